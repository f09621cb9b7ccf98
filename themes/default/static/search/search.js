/* svcbook search: the JavaScript API (window.svcbook) and the search UI built on it.
 *
 * API (documented in README "Search"):
 *   svcbook.search(query, { kind, product, tag, limit, offset, facets })
 *     → Promise<{ total, hits: [{ id, url, path, title, titleHtml, kind, kindLabel,
 *                 status, snippet, snippetText, products, errorCodes, tags, summary, score }],
 *                 facets: { kind: {value: count}, product: {…}, tag: {…} } }>
 *     `facets: false` leaves the counts out (`facets` is then null): counting
 *     reads the facet column of every match, which a first query need not
 *     download (the search box counts only while its filter panel is open).
 *   svcbook.facets(query, { kind, product, tag }) → Promise<facets>: the counts
 *     alone, with no hits' text fetched.
 *     `url` is relative to the current page (ready for href); `path` to the site root.
 *     `snippet` and `titleHtml` are escaped HTML whose only tags are <mark>.
 *     kind/product/tag take a string or an array (any of them).
 *     onRanked(res): optional; called with the ranked hits (summary snippets) as
 *     soon as ranking is done, before the body fragments are fetched; the promise
 *     then resolves with body snippets. The search UI renders in these two steps.
 *   svcbook.preload() → Promise: starts loading the runtime and index (idempotent).
 *   svcbook.stats: { loadMs, load: { scriptsMs, fetchMs, instantiateMs, openMs, totalMs },
 *     lastQuery: { rankMs, textMs, snippetMs } }, where the
 *     time went (ranking in the engine, fetching fragments, cutting snippets).
 *
 * Loading is lazy: nothing but this file and its CSS is fetched until the search
 * box is focused or `/` is pressed. Then manifest.js names the content-hashed
 * files and carries the index's chunk table. The index itself is cut into
 * 4 KiB chunks (search/index/<id>-<n>.js, scripts holding base64): the engine
 * loads the small warm file at once and, per query, only the chunks the query
 * touches (term-dictionary blocks, postings, the shown hits' stored fields),
 * kept for the session. Article bodies are not in the index: after ranking, the
 * few fragment files (search/text/…) holding the shown hits' bodies are loaded
 * and the engine cuts the snippets from them.
 * Over http(s) a Worker (made from engine.js's source as a Blob) fetches the
 * .wasm, the chunks and the fragments itself. On file://, where fetch is
 * refused, the engine runs on the page and the same files load as <script>s
 * (the runtime from its base64 twin); one copy of the index serves both. If
 * workers are blocked the engine runs on the main thread too.
 */
(function () {
  'use strict';
  if (window.svcbook && window.svcbook.search) return;

  // Filled from the manifest's `kinds` (the build's kind registry) once it loads.
  const KIND_LABELS = {};
  const script = document.currentScript;
  const root = (script && script.dataset.root) || (document.body && document.body.dataset.root) || '';

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = src;
      s.async = true;
      s.onload = () => resolve();
      s.onerror = () => reject(new Error('cannot load ' + src));
      document.head.appendChild(s);
    });
  }

  function base64Bytes(text) {
    const bin = atob(text);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  }

  async function scriptBytes(name) {
    await loadScript(root + 'search/' + name.replace(/\.(bin|wasm)$/, '.js'));
    const data = self.svcbookSearchData || {};
    const text = data[name];
    if (typeof text !== 'string') throw new Error('search data missing: ' + name);
    delete data[name];
    return base64Bytes(text);
  }

  // Chunk scripts call svcbookChunk(name, hash, base64); a loader waits for its name.
  const chunkWaiters = new Map();
  self.svcbookChunk = (name, hash, b64) => {
    const w = chunkWaiters.get(name);
    // The engine takes a chunk as its script's text, as fetch gives it.
    if (w) w.resolve('svcbookChunk("' + name + '","' + hash + '","' + b64 + '");');
  };
  // On the page (file://, or workers blocked): a chunk as a <script>.
  function scriptChunk(name) {
    if (!chunkWaiters.has(name)) {
      let resolve;
      const promise = new Promise((r) => { resolve = r; });
      chunkWaiters.set(name, { promise, resolve });
      loadScript(root + 'search/index/' + name + '.js').catch((e) => {
        chunkWaiters.delete(name);
        resolve(Promise.reject(e));
      });
    }
    return chunkWaiters.get(name).promise.then((text) => {
      // Kept by the engine from now on: drop the page's copy of the text.
      chunkWaiters.delete(name);
      return text;
    });
  }

  async function fetchText(url) {
    const res = await fetch(url);
    if (!res.ok) throw new Error('HTTP ' + res.status + ' for ' + url);
    return res.text();
  }

  async function fetchBytes(url) {
    const res = await fetch(url);
    if (!res.ok) throw new Error('HTTP ' + res.status + ' for ' + url);
    return new Uint8Array(await res.arrayBuffer());
  }

  // Runs inside the Worker, after engine.js's function source.
  function workerMain() {
    let engine = null;
    // Over http(s) the worker fetches fragment files itself, so a query is one
    // round trip: rank, fetch the hits' bodies, cut snippets.
    const texts = new Map();
    const loading = new Map();
    const PREFIX = 'svcbookSearchText(';
    function loadText(url) {
      if (!loading.has(url)) {
        const p = fetch(url).then((r) => {
          if (!r.ok) throw new Error('HTTP ' + r.status);
          return r.text();
        }).then((js) => {
          const data = JSON.parse(js.slice(PREFIX.length, js.lastIndexOf(')')));
          Object.keys(data).forEach((id) => texts.set(id, data[id]));
        });
        // A fragment that fails to load costs its snippets, not the search; retry next time.
        p.catch(() => loading.delete(url));
        loading.set(url, p);
      }
      return loading.get(url).catch(() => {});
    }
    // hits: [{ id, fragment, summary }] → [{ snippet, snippet_text }], timing filled in.
    async function bodySnippets(q, hits, textBase, timing) {
      if (!hits.length) return [];
      let t = performance.now();
      const names = [...new Set(hits.map((h) => h.fragment).filter(Boolean))];
      await Promise.all(names.map((n) => loadText(textBase + n)));
      timing.textMs = performance.now() - t;
      t = performance.now();
      const snippets = await engine.snippets({
        q,
        hits: hits.map((h) => ({ id: h.id, summary: h.summary, body: texts.has(h.id) ? texts.get(h.id) : null })),
      });
      timing.snippetMs = performance.now() - t;
      return snippets;
    }
    async function query(m) {
      const t = performance.now();
      const res = await engine.search(m.req);
      const timing = { rankMs: performance.now() - t, textMs: 0, snippetMs: 0 };
      const snippets = await bodySnippets(res.query, res.hits, m.textBase, timing);
      res.hits.forEach((h, i) => Object.assign(h, snippets[i]));
      return { res, timing };
    }
    self.onmessage = async (ev) => {
      const m = ev.data;
      try {
        if (m.type === 'query') {
          self.postMessage({ id: m.id, ok: true, result: await query(m) });
        } else if (m.type === 'bodySnippets') {
          const timing = { textMs: 0, snippetMs: 0 };
          const snippets = await bodySnippets(m.q, m.hits, m.textBase, timing);
          self.postMessage({ id: m.id, ok: true, result: { snippets, timing } });
        } else if (m.type === 'init') {
          const t = performance.now();
          const res = await fetch(m.wasmUrl);
          if (!res.ok) throw new Error('HTTP ' + res.status + ' for ' + m.wasmUrl);
          const wasm = new Uint8Array(await res.arrayBuffer());
          const fetchMs = performance.now() - t;
          const chunk = (name) => fetch(m.chunkBase + name + '.js').then((r) => {
            if (!r.ok) throw new Error('HTTP ' + r.status + ' for search index chunk ' + name);
            return r.text();
          });
          engine = await svcbookSearchEngine(wasm, m.table, chunk); // eslint-disable-line no-undef
          const timing = Object.assign({ fetchMs }, engine.timing);
          self.postMessage({ id: m.id, ok: true, result: { timing } });
        } else if (m.type === 'snippets') {
          self.postMessage({ id: m.id, ok: true, result: await engine.snippets(m.req) });
        } else if (m.type === 'loaded') {
          self.postMessage({ id: m.id, ok: true, result: Object.assign({}, engine.loaded) });
        } else {
          self.postMessage({ id: m.id, ok: true, result: await engine.search(m.req) });
        }
      } catch (e) {
        self.postMessage({ id: m.id, ok: false, error: String((e && e.message) || e) });
      }
    };
  }

  function workerBackend(init) {
    return new Promise((resolve, reject) => {
      /* global svcbookSearchEngine */
      const source = svcbookSearchEngine.toString() + '\n(' + workerMain.toString() + ')();\n';
      const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
      let worker;
      try {
        worker = new Worker(url);
      } catch (e) {
        reject(e);
        return;
      }
      const pending = new Map();
      let next = 0;
      const send = (msg, transfer) => new Promise((res, rej) => {
        const id = ++next;
        pending.set(id, { res, rej });
        worker.postMessage(Object.assign({ id }, msg), transfer || []);
      });
      worker.onmessage = (ev) => {
        const p = pending.get(ev.data.id);
        if (!p) return;
        pending.delete(ev.data.id);
        if (ev.data.ok) p.res(ev.data.result); else p.rej(new Error(ev.data.error));
      };
      worker.onerror = (ev) => {
        ev.preventDefault();
        const err = new Error('search worker failed: ' + (ev.message || 'blocked'));
        pending.forEach((p) => p.rej(err));
        pending.clear();
        reject(err);
      };
      send(Object.assign({ type: 'init' }, init)).then((ready) => {
        URL.revokeObjectURL(url);
        resolve({
          timing: ready.timing,
          search: (req) => send({ type: 'search', req }),
          snippets: (req) => send({ type: 'snippets', req }),
          loaded: () => send({ type: 'loaded' }),
          query: (req) => send({ type: 'query', req, textBase: init.textBase }),
          bodySnippets: (q, hits) => send({
            type: 'bodySnippets', q, textBase: init.textBase,
            hits: hits.map((h) => ({ id: h.id, fragment: h.fragment, summary: h.summary })),
          }),
        });
      }, reject);
    });
  }

  async function boot() {
    const t0 = performance.now();
    await Promise.all([loadScript(root + 'search/manifest.js'), loadScript(root + 'assets/search/engine.js')]);
    const scriptsMs = performance.now() - t0;
    const m = self.svcbookSearchManifest;
    if (!m) throw new Error('search manifest missing: rebuild the site');
    Object.assign(KIND_LABELS, m.kinds || {});
    const onFile = location.protocol === 'file:';
    const abs = (name) => new URL(root + 'search/' + name, location.href).href;
    let backend = null;
    if (!onFile) {
      try {
        backend = await workerBackend({ wasmUrl: abs(m.wasm), table: m.index, chunkBase: abs('index/'), textBase: abs('') });
      } catch (e) {
        backend = null; // Workers blocked (CSP, old browser): same engine, main thread.
      }
    }
    if (!backend) {
      // file:// (fetch refused: everything loads as scripts) or no worker.
      const tf = performance.now();
      const wasm = onFile ? await scriptBytes(m.wasm) : await fetchBytes(abs(m.wasm));
      const fetchMs = performance.now() - tf;
      const chunk = onFile ? scriptChunk : (name) => fetchText(abs('index/' + name + '.js'));
      const engine = await svcbookSearchEngine(wasm, m.index, chunk);
      backend = {
        timing: Object.assign({ fetchMs }, engine.timing),
        search: (req) => engine.search(req),
        snippets: (req) => engine.snippets(req),
        loaded: () => Promise.resolve(Object.assign({}, engine.loaded)),
      };
    }
    api.stats.loadMs = performance.now() - t0;
    // scriptsMs: manifest + glue; fetchMs: the runtime's bytes (in the
    // worker over http, as scripts on file://); the rest is the engine's own timing.
    api.stats.load = Object.assign({ scriptsMs, totalMs: api.stats.loadMs }, backend.timing);
    return backend;
  }

  let booting = null;
  function preload() {
    if (!booting) {
      booting = boot();
      booting.catch(() => { booting = null; });
    }
    return booting;
  }

  // Bodies by article id, filled by fragment scripts calling svcbookSearchText.
  const texts = new Map();
  self.svcbookSearchText = (data) => {
    Object.keys(data).forEach((id) => texts.set(id, data[id]));
  };
  const fragments = new Map();
  function loadFragment(name) {
    if (!fragments.has(name)) {
      const p = loadScript(root + 'search/' + name);
      // A fragment that fails to load costs its snippets, not the search; retry next time.
      p.catch(() => fragments.delete(name));
      fragments.set(name, p);
    }
    return fragments.get(name).catch(() => {});
  }

  // On file:// or without a worker: fragments load as scripts, the engine cuts the
  // snippets. Same answer as the worker's bodySnippets: { snippets, timing }.
  async function pageBodySnippets(backend, q, hits) {
    const timing = { textMs: 0, snippetMs: 0 };
    let t = performance.now();
    await Promise.all([...new Set(hits.map((h) => h.fragment).filter(Boolean))].map(loadFragment));
    timing.textMs = performance.now() - t;
    t = performance.now();
    const snippets = await backend.snippets({
      q,
      hits: hits.map((h) => ({ id: h.id, summary: h.summary, body: texts.has(h.id) ? texts.get(h.id) : null })),
    });
    timing.snippetMs = performance.now() - t;
    return { snippets, timing };
  }

  const list = (v) => (v == null || v === '' ? [] : Array.isArray(v) ? v.filter(Boolean) : [String(v)]);

  const request = (query, o) => ({
    q: String(query || ''), kind: list(o.kind), product: list(o.product), tag: list(o.tag),
    limit: o.limit || 10, offset: o.offset || 0, skip_facets: o.facets === false,
  });

  async function facets(query, opts) {
    const backend = await preload();
    const res = await backend.search(Object.assign(request(query, opts || {}), { limit: 1, offset: 0 }));
    return res.facets;
  }

  async function search(query, opts) {
    const o = opts || {};
    const backend = await preload();
    const req = request(query, o);
    const timing = { rankMs: 0, textMs: 0, snippetMs: 0 };
    let res;
    if (backend.query && typeof o.onRanked !== 'function') {
      // One worker round trip: rank, fetch the hits' fragments, cut snippets.
      const answer = await backend.query(req);
      res = answer.res;
      Object.assign(timing, answer.timing);
      if (req.skip_facets) res.facets = null;
    } else {
      // Two steps: hits as soon as they are ranked (summary snippets), then body
      // snippets once the fragments are in, so a slow network never holds the list back.
      const t = performance.now();
      res = await backend.search(req);
      timing.rankMs = performance.now() - t;
      if (req.skip_facets) res.facets = null;
      if (typeof o.onRanked === 'function') {
        try { o.onRanked(shape(res)); } catch (e) { setTimeout(() => { throw e; }); }
      }
      if (res.hits.length) {
        const answer = await (backend.bodySnippets
          ? backend.bodySnippets(res.query, res.hits)
          : pageBodySnippets(backend, res.query, res.hits));
        res.hits.forEach((h, i) => Object.assign(h, answer.snippets[i]));
        Object.assign(timing, answer.timing);
      }
    }
    api.stats.lastQuery = timing;
    return shape(res);
  }

  // The engine's response in the API's shape (a copy: later snippet updates do not leak).
  function shape(res) {
    return {
      query: res.query,
      total: res.total,
      partialTotal: res.partial_total || 0,
      unknownFilters: res.unknown_filters || [],
      didYouMean: res.did_you_mean || null,
      facets: res.facets,
      hits: res.hits.map((h) => ({
        id: h.id, url: root + h.url, path: h.url, title: h.title, titleHtml: h.title_html,
        kind: h.kind, kindLabel: KIND_LABELS[h.kind] || h.kind, status: h.status,
        snippet: h.snippet, snippetText: h.snippet_text, products: h.products,
        errorCodes: h.error_codes, tags: h.tags, summary: h.summary, score: h.score,
        partial: !!h.partial, sections: h.sections || [],
      })),
    };
  }

  /** What the engine has loaded of the index: { chunks, bytes, rounds } (rounds: searches that waited for chunks). */
  async function indexLoaded() {
    const backend = await preload();
    return backend.loaded();
  }

  const api = { search, facets, preload, indexLoaded, root, kindLabels: KIND_LABELS, stats: { loadMs: null, load: null, lastQuery: null } };
  window.svcbook = Object.assign(window.svcbook || {}, api);
})();
