/* svcbook search UI: drives every [data-svcbook-search] widget through the
 * public API in search.js (window.svcbook.search), as any embedding site could.
 *
 * Stable hooks for tests and embedders:
 *   [data-svcbook-search]            a widget; data-mode="page" on search.html
 *   [data-svcbook-search-input]      its input
 *   [data-svcbook-results]           the result list; items [data-svcbook-result]
 *                                    with data-id, data-kind, and data-active on the
 *                                    one whose link has focus (arrow keys move it)
 *   [data-svcbook-facet=kind|product|tag][data-value]  filter toggles (aria-pressed)
 *   [data-svcbook-search-status]     result count / no-results / loading message
 *   [data-svcbook-clear-filters]     shown with "no results" when filters are on
 *   [data-svcbook-filters]           the <details> the filters fold into (open by
 *                                    default on wide screens), its summary the count
 *   [data-svcbook-recent]            recent searches (kept in this browser only),
 *                                    shown while the box is empty
 */
(function () {
  'use strict';
  const sv = window.svcbook;
  if (!sv || !sv.search) return;

  const DIMS = [['kind', '类型'], ['product', '型号'], ['tag', '标签']];
  const DEBOUNCE_MS = 120;
  const RECENT_KEY = 'svcbook:recent-searches';
  // One collator for every sort: `localeCompare` builds one per call, which
  // was 58 ms of the search page's main thread on a throttled phone.
  const byName = (typeof Intl !== 'undefined' && Intl.Collator) ? new Intl.Collator().compare : (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const RECENT_MAX = 8;
  let widgetCount = 0;

  // Recent searches live in this browser's localStorage only, never sent anywhere.
  function recentList() {
    try { const v = JSON.parse(localStorage.getItem(RECENT_KEY) || '[]'); return Array.isArray(v) ? v.filter((q) => typeof q === 'string') : []; }
    catch (e) { return []; }
  }
  function rememberSearch(q) {
    q = (q || '').trim();
    if (!q) return;
    const list = [q].concat(recentList().filter((x) => x !== q)).slice(0, RECENT_MAX);
    try { localStorage.setItem(RECENT_KEY, JSON.stringify(list)); } catch (e) { /* storage off */ }
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v === true ? '' : v);
    }
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // The engine escapes everything and adds only <mark>; refuse anything else
  // rather than trust it (defence in depth: content is written by many hands).
  function setMarked(node, html, plain) {
    if (/<(?!\/?mark>)/i.test(html)) node.textContent = plain;
    else node.innerHTML = html;
  }

  // `/` is a character in text fields; on checkboxes and buttons it is ours.
  function isEditable(t) {
    if (!t) return false;
    if (t.isContentEditable || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT') return true;
    return t.tagName === 'INPUT' && !/^(checkbox|radio|button|submit|reset|range|color|file)$/i.test(t.type);
  }

  function Widget(root) {
    const id = ++widgetCount;
    const mode = root.dataset.mode === 'page' ? 'page' : 'dropdown';
    const input = root.querySelector('[data-svcbook-search-input]');
    const form = input.form;
    const panel = root.querySelector('[data-svcbook-search-panel]');
    const facetsBox = root.querySelector('[data-svcbook-facets]');
    const status = root.querySelector('[data-svcbook-search-status]');
    const results = root.querySelector('[data-svcbook-results]');
    const filters = { kind: [], product: [], tag: [] };
    let seq = 0;
    let timer = null;
    let lastQuery = null;
    // Filters fold behind one control; open at first on wide screens only.
    let filtersOpen = !!(window.matchMedia && window.matchMedia('(min-width: 48rem)').matches);

    // Results are plain links and the arrow keys move real focus through them
    // (as MkDocs Material does): Enter then follows the link natively and screen
    // readers announce each one, with no combobox/listbox ARIA to get wrong.
    results.id = results.id || 'svcb-results-' + id;
    input.setAttribute('aria-controls', results.id);

    const hasFilters = () => DIMS.some(([d]) => filters[d].length > 0);
    const items = () => Array.from(results.querySelectorAll('[data-svcbook-result]'));

    function open(show) {
      if (mode === 'page') return;
      panel.hidden = !show;
    }

    /** Index of the result whose link has focus, or -1 (the input, or elsewhere). */
    function current() {
      return items().findIndex((li) => li.contains(document.activeElement));
    }

    function focusResult(i) {
      const list = items();
      if (i < 0 || list.length === 0) { input.focus(); return; }
      const li = list[Math.min(i, list.length - 1)];
      li.querySelector('a').focus();
      li.scrollIntoView({ block: 'nearest' });
    }

    function syncUrl(q) {
      if (mode !== 'page') return;
      const params = new URLSearchParams();
      if (q) params.set('q', q);
      DIMS.forEach(([d]) => filters[d].forEach((v) => params.append(d, v)));
      const qs = params.toString();
      try { history.replaceState(null, '', qs ? '?' + qs : location.pathname.split('/').pop()); } catch (e) { /* file:// quirks */ }
    }

    function renderRecent() {
      facetsBox.textContent = '';
      const list = recentList();
      if (list.length === 0) return false;
      const group = el('div', { class: 'svcb-recent', role: 'group', 'aria-label': '最近搜索', 'data-svcbook-recent': true });
      group.appendChild(el('span', { class: 'svcb-facet-label' }, '最近搜索'));
      for (const q of list) {
        const b = el('button', { type: 'button', class: 'svcb-facet svcb-recent-item', 'data-svcbook-recent-query': q }, q);
        b.addEventListener('mousedown', (e) => e.preventDefault());
        b.addEventListener('click', () => { input.value = q; run(true); input.focus(); });
        group.appendChild(b);
      }
      const clear = el('button', { type: 'button', class: 'svcb-clear', 'data-svcbook-recent-clear': true }, '清除记录');
      clear.addEventListener('mousedown', (e) => e.preventDefault());
      clear.addEventListener('click', () => {
        try { localStorage.removeItem(RECENT_KEY); } catch (e) { /* storage off */ }
        facetsBox.textContent = '';
        if (mode !== 'page') open(false);
        input.focus();
      });
      group.appendChild(clear);
      facetsBox.appendChild(group);
      return true;
    }

    // `facets` null: not counted yet (the panel was folded when the query ran;
    // counting would download the facet column): opening the panel counts them.
    function renderFacets(facets) {
      facetsBox.textContent = '';
      const fold = el('details', { class: 'svcb-filters', 'data-svcbook-filters': true });
      fold.open = filtersOpen;
      const summary = el('summary', { class: 'svcb-filters-toggle' });
      fold.appendChild(summary);
      const active = DIMS.reduce((n, [d]) => n + filters[d].length, 0);
      if (facets === null) {
        const mine = seq;
        let counting = false;
        const count = () => {
          if (counting) return;
          counting = true;
          fold.appendChild(el('p', { class: 'svcb-facet-label', 'data-svcbook-facets-counting': true }, '正在统计…'));
          sv.facets(lastQuery, filters).then((f) => { if (mine === seq) renderFacets(f); }, () => {});
        };
        fold.addEventListener('toggle', () => {
          filtersOpen = fold.open;
          if (fold.open) count();
        });
        summary.textContent = active ? '筛选（已选 ' + active + ' 项）' : '筛选';
        facetsBox.appendChild(fold);
        if (fold.open) count();
        return;
      }
      fold.addEventListener('toggle', () => { filtersOpen = fold.open; });
      let options = 0;
      for (const [dim, label] of DIMS) {
        const counts = Object.assign({}, facets[dim] || {});
        filters[dim].forEach((v) => { if (!(v in counts)) counts[v] = 0; });
        let values = Object.keys(counts).sort((a, b) => counts[b] - counts[a] || byName(a, b));
        if (values.length === 0) continue;
        const max = mode === 'page' ? 40 : dim === 'tag' ? 8 : 12;
        values = values.filter((v, i) => i < max || filters[dim].includes(v));
        const group = el('div', { class: 'svcb-facet-group', role: 'group', 'aria-label': label, 'data-svcbook-facet-group': dim });
        group.appendChild(el('span', { class: 'svcb-facet-label' }, label));
        for (const v of values) {
          const on = filters[dim].includes(v);
          const b = el('button', {
            type: 'button', class: 'svcb-facet', 'data-svcbook-facet': dim, 'data-value': v, 'aria-pressed': on ? 'true' : 'false',
          });
          b.appendChild(el('span', {}, dim === 'kind' ? (sv.kindLabels[v] || v) : v));
          b.appendChild(el('span', { class: 'svcb-facet-count' }, String(counts[v])));
          b.addEventListener('mousedown', (e) => e.preventDefault()); // keep focus in the input
          b.addEventListener('click', () => {
            const list = filters[dim];
            const at = list.indexOf(v);
            if (at >= 0) list.splice(at, 1); else list.push(v);
            run(true);
          });
          group.appendChild(b);
          options++;
        }
        fold.appendChild(group);
      }
      if (options === 0) return;
      summary.textContent = active ? '筛选（已选 ' + active + ' 项）' : '筛选（' + options + ' 项可选）';
      facetsBox.appendChild(fold);
    }

    // Puts body snippets into the rows already on screen; false when the rows differ.
    function updateSnippets(res) {
      const rows = Array.from(results.querySelectorAll('[data-svcbook-result]'));
      if (rows.length !== res.hits.length || rows.some((li, i) => li.getAttribute('data-id') !== res.hits[i].id)) return false;
      rows.forEach((li, i) => {
        const snippet = li.querySelector('[data-svcbook-result-snippet]');
        if (snippet) setMarked(snippet, res.hits[i].snippet, res.hits[i].snippetText);
        addSections(li, res.hits[i]);
        linkHighlights(li);
      });
      return true;
    }

    // The terms the engine marked in a row (title, snippets, sections): the page it
    // links to highlights them (site.js reads `?highlight=`; a repeated parameter,
    // URL-escaped, matched there as plain text).
    function markedTerms(li) {
      const seen = new Set();
      const terms = [];
      li.querySelectorAll('mark').forEach((m) => {
        const t = m.textContent.trim();
        if (!t || t.length > 60 || terms.length >= 12 || seen.has(t.toLowerCase())) return;
        seen.add(t.toLowerCase());
        terms.push(t);
      });
      return terms;
    }
    function withHighlight(href, terms) {
      const at = href.indexOf('#');
      const fragment = at >= 0 ? href.slice(at) : '';
      const base = (at >= 0 ? href.slice(0, at) : href).split('?')[0];
      if (!terms.length) return base + fragment;
      const p = new URLSearchParams();
      terms.forEach((t) => p.append('highlight', t));
      return base + '?' + p.toString() + fragment;
    }
    function linkHighlights(li) {
      const terms = markedTerms(li);
      li.querySelectorAll('a.svcb-result-link, a[data-svcbook-result-section]').forEach((a) => {
        a.setAttribute('href', withHighlight(a.getAttribute('href'), terms));
      });
    }

    // The hit's best sections (they come with the body snippets), each a link to its heading.
    function addSections(li, h) {
      const old = li.querySelector('[data-svcbook-result-sections]');
      if (old) old.remove();
      if (!h.sections || !h.sections.length) return;
      const box = el('span', { class: 'svcb-result-sections', 'data-svcbook-result-sections': true });
      h.sections.forEach((s) => {
        const a = el('a', { href: h.url + '#' + encodeURIComponent(s.anchor), class: 'svcb-result-section', 'data-svcbook-result-section': true });
        a.appendChild(el('span', { class: 'svcb-result-section-heading' }, s.heading));
        const text = el('span', { class: 'svcb-result-snippet' });
        setMarked(text, s.snippet, s.snippet_text);
        a.appendChild(text);
        box.appendChild(a);
      });
      li.appendChild(box);
    }

    function renderHits(res, q) {
      results.textContent = '';
      res.hits.forEach((h, i) => {
        const li = el('li', {
          id: 'svcb-r-' + id + '-' + i, class: 'svcb-result', 'data-svcbook-result': true, 'data-id': h.id, 'data-kind': h.kind,
        });
        const a = el('a', { href: h.url, class: 'svcb-result-link' });
        a.addEventListener('focus', () => li.setAttribute('data-active', 'true'));
        a.addEventListener('blur', () => li.removeAttribute('data-active'));
        const head = el('span', { class: 'svcb-result-head' });
        const title = el('span', { class: 'svcb-result-title', 'data-svcbook-result-title': true });
        setMarked(title, h.titleHtml, h.title);
        head.appendChild(title);
        head.appendChild(el('span', { class: 'badge kind-' + h.kind, 'data-svcbook-result-kind': true }, h.kindLabel));
        // Lacks a word of the query (or holds it only with a typo): after the complete matches.
        if (h.partial) head.appendChild(el('span', { class: 'svcb-partial', 'data-svcbook-result-partial': true }, '部分匹配'));
        a.appendChild(head);
        const snippet = el('span', { class: 'svcb-result-snippet', 'data-svcbook-result-snippet': true });
        setMarked(snippet, h.snippet, h.snippetText);
        a.appendChild(snippet);
        const codes = h.products.concat(h.errorCodes);
        if (codes.length) {
          const c = el('span', { class: 'svcb-result-codes' });
          codes.forEach((code) => c.appendChild(el('code', {}, code)));
          a.appendChild(c);
        }
        li.appendChild(a);
        addSections(li, h);
        linkHighlights(li);
        results.appendChild(li);
      });
      status.textContent = '';
      if (res.unknownFilters.length) {
        // An unknown filter value: say which, and what would work.
        status.textContent = res.unknownFilters.map((u) =>
          '没有“' + u.value + '”这个筛选值（' + u.dimension + '）。可用：' + u.valid.join('、')).join(' ');
      } else if (res.hits.length === 0) {
        status.appendChild(document.createTextNode('没有找到与“' + q + '”相关的结果。'));
        if (hasFilters()) {
          status.appendChild(document.createTextNode('试试去掉筛选条件：'));
          const clear = el('button', { type: 'button', class: 'svcb-clear', 'data-svcbook-clear-filters': true }, '清除筛选');
          clear.addEventListener('mousedown', (e) => e.preventDefault());
          clear.addEventListener('click', () => { DIMS.forEach(([d]) => { filters[d].length = 0; }); run(true); });
          status.appendChild(clear);
        } else {
          status.appendChild(document.createTextNode('换个说法，或只输入型号、故障代码试试。'));
        }
      } else if (res.total === 0) {
        // Only partial matches: say so, and offer the index's own spelling when there is one.
        status.appendChild(document.createTextNode('没有同时包含全部词语的结果，以下为部分匹配。'));
        if (res.didYouMean) {
          // The index's own spelling, one click (or Enter) away, as a search engine offers it.
          status.appendChild(document.createTextNode('你是不是要找：'));
          const fix = el('button', { type: 'button', class: 'svcb-clear', 'data-svcbook-did-you-mean': true }, res.didYouMean);
          fix.addEventListener('mousedown', (e) => e.preventDefault());
          fix.addEventListener('click', () => { input.value = res.didYouMean; run(true); input.focus(); });
          status.appendChild(fix);
        }
      } else if (mode === 'page') {
        status.textContent = '共 ' + res.total + ' 条结果';
      } else {
        status.appendChild(document.createTextNode(res.total + ' 条结果 · '));
        const all = new URLSearchParams({ q });
        DIMS.forEach(([d]) => filters[d].forEach((v) => all.append(d, v)));
        status.appendChild(el('a', { href: sv.root + 'search.html?' + all.toString(), 'data-svcbook-all-results': true }, '查看全部'));
      }
    }

    // `settled`: draw the rows once, in their final shape. A query run as the
    // page opens (search.html?q=…) is not a reply to typing, so rows that grow
    // when their snippets and sections arrive would count as layout shift
    // (Lighthouse measured CLS 0.31 on a phone); while typing, ranked rows
    // first and snippets after is the faster answer.
    async function run(force, settled) {
      const q = input.value.trim();
      if (!force && q === lastQuery) return;
      lastQuery = q;
      const mine = ++seq;
      syncUrl(q);
      if (!q && !hasFilters()) {
        results.textContent = '';
        const recent = renderRecent();
        status.textContent = mode === 'page' ? '输入型号、故障代码或问题描述开始搜索。' : '';
        open(recent && document.activeElement === input);
        return;
      }
      if (!sv.stats.loadMs) status.textContent = '正在加载搜索…';
      root.setAttribute('aria-busy', 'true');
      try {
        let shown = false;
        const show = (res) => {
          if (mine !== seq) return; // a newer query is on its way
          renderFacets(res.facets);
          renderHits(res, q);
          open(true);
          shown = true;
        };
        // Hits show as soon as they are ranked; snippets from the bodies follow
        // into the same rows, so focus and keyboard position survive.
        // Facet counts only while the filter panel is open (desktop: open by
        // default); on a phone the first query does without the facet column.
        const res = await sv.search(q, Object.assign({
          limit: mode === 'page' ? 50 : 8, onRanked: settled ? null : show, facets: filtersOpen,
        }, filters));
        if (mine !== seq) return;
        if (!shown || !updateSnippets(res)) show(res);
      } catch (e) {
        if (mine !== seq) return;
        status.textContent = '搜索暂时不可用：' + e.message;
        open(true);
      } finally {
        if (mine === seq) root.removeAttribute('aria-busy');
      }
    }

    input.addEventListener('focus', () => {
      sv.preload().catch(() => {});
      if (input.value.trim()) open(items().length > 0 || status.textContent !== '');
      else open(renderRecent());
    });
    // A query is worth remembering once the reader acts on it: opens a result,
    // or presses Enter.
    results.addEventListener('click', (e) => { if (e.target.closest('a')) rememberSearch(input.value); });
    if (form) form.addEventListener('submit', () => rememberSearch(input.value));
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => run(false), DEBOUNCE_MS);
    });
    root.addEventListener('keydown', (e) => {
      const at = current();
      if (e.key === 'ArrowDown' && (at >= 0 || e.target === input)) {
        e.preventDefault();
        open(true);
        focusResult(at + 1);
      } else if (e.key === 'ArrowUp' && at >= 0) {
        e.preventDefault();
        focusResult(at - 1);
      } else if (e.key === 'Escape') {
        if (mode === 'page' && e.target === input) { input.value = ''; run(false); return; }
        input.focus();
        open(false);
      } else if (e.key === 'Enter' && e.target === input && mode === 'page') {
        e.preventDefault();
        rememberSearch(input.value);
        clearTimeout(timer);
        run(true);
      }
    });
    if (mode === 'dropdown') {
      document.addEventListener('click', (e) => { if (!root.contains(e.target)) open(false); });
      root.addEventListener('focusout', (e) => { if (e.relatedTarget && !root.contains(e.relatedTarget)) open(false); });
    }
    if (form && mode === 'page') form.addEventListener('submit', (e) => { e.preventDefault(); run(true); });

    if (mode === 'page') {
      const params = new URLSearchParams(location.search);
      input.value = params.get('q') || '';
      DIMS.forEach(([d]) => { filters[d] = params.getAll(d).filter(Boolean); });
      run(true, true);
    }
    return { input, mode };
  }

  function init() {
    const widgets = Array.from(document.querySelectorAll('[data-svcbook-search]')).map(Widget);
    const target = widgets.find((w) => w.mode === 'page') || widgets[0];
    document.addEventListener('keydown', (e) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || isEditable(e.target) || !target) return;
      e.preventDefault();
      target.input.focus();
      target.input.select();
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
