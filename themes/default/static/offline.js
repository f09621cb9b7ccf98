// Offline reading over http(s): registers the service worker (sw.js at the site
// root, made by the build) and drives the "save for offline" buttons. Does
// nothing on file:// (where the site works offline as it is and a worker
// cannot run), under `svcbook serve` (pages change as they are edited), or
// when the site was built with `[offline] enabled = false`.
(function () {
  'use strict';
  const body = document.body;
  const root = body.getAttribute('data-root') || '';
  // The web app manifest (install to the home screen) is linked from here, not
  // from the page: on file:// the browser refuses to read it and says so as an error.
  if (/^https?:$/.test(location.protocol)) {
    const link = document.createElement('link');
    link.rel = 'manifest';
    link.href = root + 'manifest.webmanifest';
    document.head.appendChild(link);
  }
  // `svcbook serve` adds its live-reload script (live.js, data-generation) to
  // every page: there pages change as they are edited, so no worker may keep
  // them, and one left by an earlier visit to a built site on this same
  // address is removed.
  const preview = !!document.querySelector('script[src$="/live.js"][data-generation]');
  if (preview && 'serviceWorker' in navigator && navigator.serviceWorker.getRegistrations) {
    navigator.serviceWorker.getRegistrations().then((all) => all.forEach((r) => r.unregister())).catch(() => {});
  }
  const usable = body.getAttribute('data-offline') === 'on' && 'serviceWorker' in navigator
    && /^https?:$/.test(location.protocol) && !preview;
  if (!usable) {
    // The reserved line says why there is no button (file:// is offline already).
    if (location.protocol === 'file:') {
      document.querySelectorAll('[data-offline-save]').forEach((b) => {
        const status = document.getElementById(b.getAttribute('aria-describedby'));
        if (status) status.textContent = '从本机文件打开的站点本来就能离线阅读，无需保存。';
      });
    }
    return;
  }
  const swUrl = new URL(root + 'sw.js', location.href).href;
  const registered = new Promise((resolve, reject) => {
    const go = () => navigator.serviceWorker.register(swUrl).then(resolve, reject);
    if (document.readyState === 'complete') go(); else window.addEventListener('load', go);
  });
  registered.catch(() => {});

  const buttons = Array.from(document.querySelectorAll('[data-offline-save]'));
  if (buttons.length === 0) return;

  function mb(bytes) {
    if (bytes < 1e5) return Math.max(1, Math.round(bytes / 1e3)) + ' KB';
    return (bytes / 1e6).toFixed(1) + ' MB';
  }
  function filesFor(list, key) {
    if (key === 'site') return list.other.concat(list.search);
    const path = list.paths.find((p) => 'path:' + p.id === key);
    return path ? list.shell.concat(list.search, path.files) : [];
  }
  function size(entries) {
    const seen = new Map();
    entries.forEach((e) => seen.set(e[0], e[1]));
    let n = 0;
    seen.forEach((b) => { n += b; });
    return n;
  }
  // The worker that controls this page, or the one just installed.
  async function worker() {
    const reg = await registered;
    await navigator.serviceWorker.ready;
    return reg.active || navigator.serviceWorker.controller;
  }
  function ask(sw, message, onMessage) {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (e) => {
        if (onMessage) onMessage(e.data);
        if (e.data.type !== 'progress') resolve(e.data);
      };
      sw.postMessage(message, [channel.port2]);
    });
  }

  fetch(root + 'offline.json').then((r) => r.json()).then(async (list) => {
    const sw = await worker();
    const saved = sw ? (await ask(sw, { type: 'saved' })).keys : [];
    buttons.forEach((button) => {
      const key = button.getAttribute('data-offline-save');
      const entries = filesFor(list, key);
      if (entries.length === 0) return;
      const label = button.getAttribute('data-label') || '保存离线阅读';
      const status = document.getElementById(button.getAttribute('aria-describedby') || '') || null;
      const total = mb(size(entries));
      button.textContent = label + '（' + total + '）';
      if (saved.includes(key) && status) status.textContent = '已保存到本机，可离线阅读。';
      button.hidden = false;
      button.addEventListener('click', async () => {
        button.disabled = true;
        if (status) status.textContent = '正在保存…';
        const sw = await worker();
        const result = await ask(sw, { type: 'save', key }, (m) => {
          if (m.type === 'progress' && status) status.textContent = '正在保存 ' + m.done + ' / ' + m.total + ' 个文件…';
        });
        button.disabled = false;
        if (status) {
          status.textContent = result.type === 'done' && result.failed === 0
            ? '已保存到本机（' + total + '），可离线阅读。'
            : '保存未完成：' + (result.message || (result.failed + ' 个文件没有取到')) + '。请联网后重试。';
        }
        button.setAttribute('data-offline-state', result.type === 'done' && result.failed === 0 ? 'saved' : 'failed');
      });
    });
  }).catch(() => {});
})();
