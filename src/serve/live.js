// svcbook serve: live reload and the build-error overlay.
// Injected only into pages that `svcbook serve` sends; never part of a built site.
(function () {
  'use strict';
  var script = document.currentScript;
  var generation = script ? Number(script.getAttribute('data-generation')) : -1;
  var here = sitePath(location.href);
  var scrollKey = 'svcbook-serve-scroll:' + here;

  function sitePath(url) {
    var u = new URL(url, location.href);
    if (u.origin !== location.origin) return null;
    var p = u.pathname;
    try { p = decodeURIComponent(p); } catch (e) { /* keep it encoded */ }
    p = p.replace(/^\/+/, '');
    if (p === '' || p.charAt(p.length - 1) === '/') p += 'index.html';
    return p;
  }

  // Files this page is made of: itself, and whatever it loaded (CSS, scripts, images, the index).
  function usedPaths() {
    var used = {};
    used[here] = true;
    var entries = (window.performance && performance.getEntriesByType) ? performance.getEntriesByType('resource') : [];
    for (var i = 0; i < entries.length; i++) {
      var p = sitePath(entries[i].name);
      if (p) used[p] = true;
    }
    return used;
  }

  function reload() {
    try { sessionStorage.setItem(scrollKey, String(window.scrollY)); } catch (e) { /* private mode */ }
    location.reload();
  }

  try {
    var y = sessionStorage.getItem(scrollKey);
    if (y !== null) {
      sessionStorage.removeItem(scrollKey);
      window.addEventListener('load', function () { window.scrollTo(0, Number(y)); });
    }
  } catch (e) { /* private mode */ }

  var overlay = null;
  function showErrors(text) {
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.id = 'svcbook-error-overlay';
      overlay.setAttribute('role', 'alert');
      overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;overflow:auto;' +
        'background:rgba(24,4,4,.94);color:#fde8e8;padding:24px;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;';
      var title = document.createElement('p');
      title.style.cssText = 'margin:0 0 12px;font-weight:bold;color:#ff8a80;font-size:16px;';
      title.textContent = '构建失败：修正下面的问题后页面会自动刷新（仍在显示上次成功构建的站点）';
      var close = document.createElement('button');
      close.type = 'button';
      close.textContent = '关闭';
      close.style.cssText = 'position:absolute;top:16px;right:16px;font:inherit;padding:4px 12px;';
      close.addEventListener('click', function () { overlay.style.display = 'none'; });
      var pre = document.createElement('pre');
      pre.style.cssText = 'margin:0;white-space:pre-wrap;';
      overlay.appendChild(title);
      overlay.appendChild(close);
      overlay.appendChild(pre);
      (document.body || document.documentElement).appendChild(overlay);
    }
    overlay.style.display = '';
    overlay.querySelector('pre').textContent = text;
  }
  function clearErrors() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  if (!window.EventSource) return;
  var source = new EventSource('/__svcbook/events');
  source.addEventListener('hello', function (e) {
    var d = JSON.parse(e.data);
    document.documentElement.setAttribute('data-svcbook-live', 'connected');
    if (d.generation !== generation) { reload(); return; }
    if (d.errors) showErrors(d.errors); else clearErrors();
  });
  source.addEventListener('reload', function (e) {
    var d = JSON.parse(e.data);
    clearErrors();
    var used = usedPaths();
    for (var i = 0; i < d.changed.length; i++) {
      if (used[d.changed[i]]) { reload(); return; }
    }
    generation = d.generation;
  });
  source.addEventListener('errors', function (e) {
    showErrors(JSON.parse(e.data).errors);
  });
})();
