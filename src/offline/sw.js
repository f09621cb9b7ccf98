// (VERSION, LIST and SERVE_FOLDER are defined above by the build.)
//
// What it does, over http(s) only (the page never registers it on file://):
// - on install, caches the shell (home, search page, theme files) and, when the
//   search folder is at most `search_precache_bytes`, every search file, so
//   search works offline after one visit; and caches again whatever the reader
//   had saved for offline under the previous build;
// - pages are fetched from the network first (so a reader sees the newest),
//   each one visited is kept, and the kept copy answers when the network fails;
// - every other file (styles, scripts, search files: their names do not change
//   within a build) comes from the cache first, and is kept when fetched;
// - "save for offline" (a message from the page) caches a learning path or the
//   whole site, reporting progress;
// - on activate, deletes the caches of older builds of this same site.
'use strict';

const SCOPE = self.registration.scope;
const PREFIX = 'svcbook:' + SCOPE + ':';
const CACHE = PREFIX + VERSION;
// Which lists the reader saved, kept across builds (one small JSON entry).
const META = 'svcbook-saved:' + SCOPE;
const SAVED_KEY = SCOPE + '.svcbook-saved.json'; // a key in its own cache, never fetched
// How long a page may take before a kept copy is shown instead.
const PAGE_TIMEOUT_MS = 4000;

const abs = (rel) => new URL(rel, SCOPE).href;

async function fetchList() {
  const res = await fetch(abs(LIST), { cache: 'no-store' });
  if (!res.ok) throw new Error('offline list: HTTP ' + res.status);
  const cache = await caches.open(CACHE);
  await cache.put(abs(LIST), res.clone());
  return res.json();
}

async function cachedList() {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(abs(LIST));
  return hit ? hit.json() : fetchList();
}

/** The files (relative paths) a saved key stands for. */
function filesFor(list, key) {
  const names = (entries) => entries.map((e) => e[0]);
  if (key === 'site') return names(list.other).concat(names(list.search));
  const id = key.startsWith('path:') ? key.slice(5) : null;
  const path = list.paths.find((p) => p.id === id);
  if (!path) return [];
  return names(list.shell).concat(names(list.search), names(path.files));
}

/** Caches every file not cached yet, a few at a time; reports progress. */
async function cacheAll(files, onProgress) {
  const cache = await caches.open(CACHE);
  const todo = Array.from(new Set(files));
  let done = 0;
  let failed = 0;
  let next = 0;
  async function worker() {
    while (next < todo.length) {
      const url = abs(todo[next++]);
      try {
        if (!(await cache.match(url))) {
          const res = await fetch(url, { cache: 'no-cache' });
          if (!res.ok) throw new Error('HTTP ' + res.status);
          await cache.put(url, res);
        }
      } catch (e) {
        failed++;
      }
      done++;
      if (onProgress) onProgress(done, todo.length);
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()]);
  return { total: todo.length, failed };
}

async function savedKeys() {
  const meta = await caches.open(META);
  const hit = await meta.match(SAVED_KEY);
  if (!hit) return [];
  try { return await hit.json(); } catch (e) { return []; }
}

async function remember(key) {
  const keys = await savedKeys();
  if (!keys.includes(key)) keys.push(key);
  const meta = await caches.open(META);
  await meta.put(SAVED_KEY, new Response(JSON.stringify(keys), { headers: { 'content-type': 'application/json' } }));
  return keys;
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const list = await fetchList();
    const sum = (entries) => entries.reduce((n, e) => n + e[1], 0);
    let files = list.shell.map((e) => e[0]);
    if (sum(list.search) <= list.search_precache_bytes) files = files.concat(list.search.map((e) => e[0]));
    for (const key of await savedKeys()) files = files.concat(filesFor(list, key));
    await cacheAll(files);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function isPage(request, url) {
  return request.mode === 'navigate' || url.pathname.endsWith('.html') || url.pathname.endsWith('/');
}

/** The cache key of a page: its path, without query or fragment. */
function pageKey(url) {
  const path = url.pathname.endsWith('/') ? url.pathname + 'index.html' : url.pathname;
  return url.origin + path;
}

async function fromCache(key) {
  const cache = await caches.open(CACHE);
  return cache.match(key);
}

async function page(request, url) {
  const key = pageKey(url);
  const cache = await caches.open(CACHE);
  const network = fetch(request).then(async (res) => {
    if (res.ok) await cache.put(key, res.clone());
    return res;
  });
  const kept = await cache.match(key);
  if (!kept) {
    try { return await network; } catch (e) { return offlinePage(); }
  }
  // A kept copy exists: the network has a few seconds before it is shown.
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), PAGE_TIMEOUT_MS));
  try {
    const res = await Promise.race([network, timeout]);
    if (res && (res.ok || res.status === 404)) return res;
  } catch (e) { /* offline: use the kept copy */ }
  network.catch(() => {});
  return kept;
}

async function offlinePage() {
  const body = '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>离线</title></head>'
    + '<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.7">'
    + '<h1>当前离线</h1><p>这一页还没有保存到本机。联网后打开一次，或在“学习路径”页面选择“保存离线阅读”，之后即可离线查看。</p>'
    + '<p><a href="' + abs('index.html') + '">返回首页</a></p></body></html>';
  return new Response(body, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

async function file(request, url) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request, { ignoreVary: true });
  if (kept) return kept;
  const res = await fetch(request);
  if (res.ok && res.type === 'basic') await cache.put(request, res.clone());
  return res;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(SCOPE)) return;
  const url = new URL(request.url);
  const rel = request.url.slice(SCOPE.length);
  // The worker itself, and `svcbook serve`'s own folder, always go to the network.
  if (rel === 'sw.js' || rel.startsWith(SERVE_FOLDER + '/')) return;
  if (url.pathname === new URL(abs(LIST)).pathname) {
    event.respondWith(fetch(request).catch(() => cachedList().then((l) => new Response(JSON.stringify(l), { headers: { 'content-type': 'application/json' } }))));
    return;
  }
  if (request.headers.has('range')) return;
  event.respondWith(isPage(request, url) ? page(request, url) : file(request, url));
});

// From the page: { type: 'save', key: 'site' | 'path:<id>' } and { type: 'saved' },
// answered on the message's port with progress and a result.
self.addEventListener('message', (event) => {
  const data = event.data || {};
  const port = event.ports && event.ports[0];
  const reply = (m) => { if (port) port.postMessage(m); };
  if (data.type === 'saved') {
    event.waitUntil(savedKeys().then((keys) => reply({ type: 'saved', keys, version: VERSION })));
  } else if (data.type === 'save' && typeof data.key === 'string') {
    event.waitUntil((async () => {
      try {
        const list = await cachedList();
        const files = filesFor(list, data.key);
        if (files.length === 0) throw new Error('nothing to save for ' + data.key);
        const result = await cacheAll(files, (done, total) => reply({ type: 'progress', done, total }));
        if (result.failed === 0) await remember(data.key);
        reply({ type: 'done', total: result.total, failed: result.failed });
      } catch (e) {
        reply({ type: 'error', message: String(e && e.message || e) });
      }
    })());
  }
});
