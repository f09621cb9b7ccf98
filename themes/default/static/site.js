// Procedure step checklists: state stays in this browser's localStorage, per
// article; nothing is ever sent anywhere. Works from file:// too.
(function () {
  'use strict';
  function storage() {
    try { const s = window.localStorage; s.setItem('svcbook-probe', '1'); s.removeItem('svcbook-probe'); return s; }
    catch (e) { return null; }
  }
  function setup(list) {
    const article = list.closest('[data-article-id]');
    const id = article ? article.getAttribute('data-article-id') : location.pathname;
    const key = 'svcbook:steps:' + id;
    const store = storage();
    const boxes = Array.from(list.querySelectorAll('input.step-check'));
    const progress = document.querySelector('[data-checklist-progress]');
    let saved = {};
    if (store) { try { saved = JSON.parse(store.getItem(key) || '{}'); } catch (e) { saved = {}; } }
    function refresh() {
      const done = boxes.filter((b) => b.checked).length;
      boxes.forEach((b) => b.closest('li').classList.toggle('done', b.checked));
      if (progress) progress.textContent = '已完成 ' + done + ' / ' + boxes.length + ' 步';
    }
    boxes.forEach((box) => {
      box.checked = !!saved[box.getAttribute('data-step')];
      box.addEventListener('change', () => {
        saved[box.getAttribute('data-step')] = box.checked;
        if (store) store.setItem(key, JSON.stringify(saved));
        refresh();
      });
    });
    const reset = document.querySelector('[data-checklist-reset]');
    if (reset) {
      reset.addEventListener('click', () => {
        saved = {};
        if (store) store.removeItem(key);
        boxes.forEach((b) => { b.checked = false; });
        refresh();
      });
    }
    refresh();
  }
  document.querySelectorAll('ol[data-checklist]').forEach(setup);

  // Learning paths: one checkbox per article, kept per path in localStorage.
  function pathKey(id) { return 'svcbook:path:' + id; }
  function loadPath(store, id) {
    if (!store) return {};
    try { return JSON.parse(store.getItem(pathKey(id)) || '{}'); } catch (e) { return {}; }
  }
  const pathPage = document.querySelector('[data-path-id]');
  if (pathPage) {
    const id = pathPage.getAttribute('data-path-id');
    const store = storage();
    let done = loadPath(store, id);
    const boxes = Array.from(pathPage.querySelectorAll('input[data-path-item]'));
    const refresh = () => {
      boxes.forEach((b) => b.closest('li').classList.toggle('done', b.checked));
      const n = boxes.filter((b) => b.checked).length;
      document.querySelectorAll('[data-path-progress="' + id + '"]').forEach((el) => {
        el.textContent = '已学完 ' + n + ' / ' + boxes.length + ' 篇';
      });
    };
    boxes.forEach((b) => {
      b.checked = !!done[b.getAttribute('data-path-item')];
      b.addEventListener('change', () => {
        done[b.getAttribute('data-path-item')] = b.checked;
        if (store) store.setItem(pathKey(id), JSON.stringify(done));
        refresh();
      });
    });
    const reset = document.querySelector('[data-path-reset]');
    if (reset) reset.addEventListener('click', () => {
      done = {};
      if (store) store.removeItem(pathKey(id));
      boxes.forEach((b) => { b.checked = false; });
      refresh();
    });
    refresh();
  } else {
    // The list of paths shows each path's progress.
    const store = storage();
    document.querySelectorAll('[data-path-progress]').forEach((el) => {
      const n = Object.values(loadPath(store, el.getAttribute('data-path-progress'))).filter(Boolean).length;
      el.textContent = n ? '已学完 ' + n + ' 篇' : '尚未开始';
    });
  }
  document.querySelectorAll('[data-print]').forEach((b) => b.addEventListener('click', () => window.print()));

  // A table wider than the screen scrolls in its box; a box with nothing to
  // focus inside gets a tab stop and a name, so keyboard users can scroll it too.
  function scrollableTables() {
    document.querySelectorAll('.table-wrap').forEach((wrap) => {
      const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      const focusable = wrap.querySelector('a[href], button, input, select, textarea, [tabindex]');
      if (scrolls && !focusable && !wrap.hasAttribute('tabindex')) {
        wrap.setAttribute('tabindex', '0');
        wrap.setAttribute('role', 'region');
        wrap.setAttribute('aria-label', '表格（可左右滑动）');
      }
    });
  }
  scrollableTables();
  window.addEventListener('resize', scrollableTables);

  // A tap anywhere on a step ticks it, not only on its 24px box (links in the
  // step's text still work as links).
  document.addEventListener('click', (e) => {
    const step = e.target.closest && e.target.closest('ol[data-checklist] li.step');
    if (!step || e.target.closest('a, button, input, label, summary')) return;
    if (window.getSelection && String(window.getSelection()).length > 0) return; // selecting text
    const box = step.querySelector('input.step-check');
    if (!box) return;
    box.checked = !box.checked;
    box.dispatchEvent(new Event('change', { bubbles: true }));
  });

  // The link beside a heading: a tap also copies the section's address.
  document.addEventListener('click', (e) => {
    const anchor = e.target.closest && e.target.closest('a.heading-anchor');
    if (!anchor || !navigator.clipboard || !window.isSecureContext) return;
    navigator.clipboard.writeText(anchor.href).then(() => {
      anchor.setAttribute('data-copied', '');
      setTimeout(() => anchor.removeAttribute('data-copied'), 2000);
    }, () => {});
  });

  // Dark mode: the system's choice until the reader picks one with the toggle;
  // the pick is remembered in this browser.
  const THEME_KEY = 'svcbook:theme';
  const store = storage();
  const html = document.documentElement;
  const saved = store && store.getItem(THEME_KEY);
  if (saved === 'dark' || saved === 'light') html.setAttribute('data-theme', saved);
  const systemDark = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  const isDark = () => html.getAttribute('data-theme') === 'dark'
    || (html.getAttribute('data-theme') !== 'light' && !!(systemDark && systemDark.matches));
  document.querySelectorAll('[data-theme-toggle]').forEach((button) => {
    const sync = () => button.setAttribute('aria-pressed', isDark() ? 'true' : 'false');
    button.addEventListener('click', () => {
      const next = isDark() ? 'light' : 'dark';
      html.setAttribute('data-theme', next);
      if (store) store.setItem(THEME_KEY, next);
      sync();
    });
    if (systemDark && systemDark.addEventListener) systemDark.addEventListener('change', sync);
    sync();
    button.hidden = false;
  });
})();

// Section navigation: open beside the article on wide screens, closed above
// it on phones (where it would push the article down a screen).
(function () {
  const box = document.querySelector('[data-section-nav]');
  if (!box || !window.matchMedia) return;
  const wide = window.matchMedia('(min-width: 60rem)');
  const apply = () => { if (wide.matches) box.open = true; };
  apply();
  wide.addEventListener('change', apply);
})();

// Landing from a search hit: the page's address carries the terms the engine
// marked (`?highlight=a&highlight=b`, as Pagefind's `?pagefind-highlight=` and
// MkDocs Material's `?h=`). They are matched as plain text (never as HTML or
// as a pattern), wrapped in <mark> inside the page's main column only, and the
// page scrolls to the section's heading (a section hit, `#anchor`) or else to
// the first mark. A bar fixed to the bottom of the screen (no layout shift)
// says what is highlighted and clears it: marks removed, parameter dropped
// from the address with history.replaceState. The offline worker keys pages
// by path without the query, so such an address is still served offline.
(function () {
  'use strict';
  var params;
  try { params = new URLSearchParams(location.search); } catch (e) { return; }
  var terms = [];
  params.getAll('highlight').forEach(function (t) {
    t = t.trim();
    if (t && t.length <= 60 && terms.length < 12 && terms.indexOf(t) < 0) terms.push(t);
  });
  var root = document.querySelector('main');
  if (!terms.length || !root) return;
  // Longest first, so 不制冷 is marked whole rather than as 制冷 inside it.
  var alternatives = terms.slice().sort(function (a, b) { return b.length - a.length; })
    .map(function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); });
  var pattern = new RegExp(alternatives.join('|'), 'gi');
  var SKIP = 'script, style, noscript, template, nav, header, textarea, input, select, button, svg, mark, [data-svcbook-search], [data-highlight-bar]';
  var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: function (n) {
      var p = n.parentElement;
      if (!n.nodeValue.trim() || !p || p.closest(SKIP)) return NodeFilter.FILTER_REJECT;
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  var nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  var marks = [];
  nodes.forEach(function (node) {
    var text = node.nodeValue;
    var last = 0;
    var frag = document.createDocumentFragment();
    var m;
    pattern.lastIndex = 0;
    while ((m = pattern.exec(text))) {
      if (m.index > last) frag.appendChild(document.createTextNode(text.slice(last, m.index)));
      var mark = document.createElement('mark');
      mark.className = 'search-highlight';
      mark.setAttribute('data-search-highlight', '');
      mark.textContent = m[0];
      frag.appendChild(mark);
      marks.push(mark);
      last = m.index + m[0].length;
    }
    if (last === 0) return;
    if (last < text.length) frag.appendChild(document.createTextNode(text.slice(last)));
    node.parentNode.replaceChild(frag, node);
  });

  function dropParameter() {
    try {
      var url = new URL(location.href);
      url.searchParams.delete('highlight');
      history.replaceState(history.state, '', url.href);
    } catch (e) { /* file:// quirks: the marks are gone all the same */ }
  }
  if (!marks.length) { dropParameter(); return; }

  var bar = document.createElement('div');
  bar.className = 'highlight-bar';
  bar.setAttribute('data-highlight-bar', '');
  bar.setAttribute('role', 'status');
  var label = document.createElement('span');
  label.textContent = '已高亮搜索词：' + terms.join('、') + '（' + marks.length + ' 处）';
  var clear = document.createElement('button');
  clear.type = 'button';
  clear.className = 'highlight-clear';
  clear.setAttribute('data-highlight-clear', '');
  clear.textContent = '清除高亮';
  bar.appendChild(label);
  bar.appendChild(clear);
  document.body.appendChild(bar);
  document.body.classList.add('has-highlight-bar');

  function clearHighlight() {
    marks.forEach(function (mark) {
      var parent = mark.parentNode;
      if (!parent) return;
      parent.replaceChild(document.createTextNode(mark.textContent), mark);
      parent.normalize();
    });
    marks = [];
    bar.remove();
    document.body.classList.remove('has-highlight-bar');
    dropParameter();
    document.removeEventListener('keydown', onKey);
  }
  function onKey(e) {
    if (e.key === 'Escape' && !e.defaultPrevented && !(e.target && e.target.closest && e.target.closest('input, textarea, select, [data-svcbook-search]'))) clearHighlight();
  }
  clear.addEventListener('click', clearHighlight);
  document.addEventListener('keydown', onKey);

  // A section hit lands on its heading; a page hit on the first mark.
  var target = null;
  if (location.hash.length > 1) {
    try { target = document.getElementById(decodeURIComponent(location.hash.slice(1))); } catch (e) { target = null; }
  }
  if (target) target.scrollIntoView({ block: 'start' });
  else marks[0].scrollIntoView({ block: 'center' });
})();

// FAQ accordion: a link to a question (`#id`, on its answer) opens it. Chromium
// does this by itself; this is for the browsers that do not.
(function () {
  'use strict';
  function openTarget() {
    if (location.hash.length < 2) return;
    var el = null;
    try { el = document.getElementById(decodeURIComponent(location.hash.slice(1))); } catch (e) { el = null; }
    var details = el && el.closest ? el.closest('details.faq-item') : null;
    if (details && !details.open) {
      details.open = true;
      el.scrollIntoView({ block: 'start' });
    }
  }
  openTarget();
  window.addEventListener('hashchange', openTarget);
})();
