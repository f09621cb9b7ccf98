// Search in a real browser on the built demo site: the header box, the full
// search page, the JS API, keyboard use, facets, XSS safety and file://.
// Driven only through the stable data-svcbook-* hooks documented in search-ui.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { serve, siteDir, openSite, watchedPage, chunkNames } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const INPUT = '[data-svcbook-search-input]';
const HEADER = '[data-svcbook-search][data-mode="dropdown"]';
const PAGE = '[data-svcbook-search][data-mode="page"]';
const RESULT = '[data-svcbook-result]';

let browser, server;
openSite((b, s) => { browser = b; server = s; });

const newPage = (origin) => watchedPage(browser, origin);

/** Types into a widget's box and waits until the results answer `query`. */
async function searchIn(page, scope, query) {
  const input = page.locator(`${scope} ${INPUT}`);
  await input.click();
  await input.fill('');
  await input.pressSequentially(query, { delay: 15 });
  await page.waitForFunction(
    ([s, q]) => {
      const w = document.querySelector(s);
      const status = w.querySelector('[data-svcbook-search-status]').textContent;
      return w.getAttribute('aria-busy') !== 'true' && w.querySelector('[data-svcbook-search-input]').value.trim() === q
        && (w.querySelector('[data-svcbook-result]') || status.includes('没有找到'));
    },
    [scope, query],
    { timeout: 20000 },
  );
  await page.waitForTimeout(200); // let the debounce settle on the last keystroke
  return page.$$eval(`${scope} ${RESULT}`, (els) => els.map((e) => ({ id: e.dataset.id, kind: e.dataset.kind })));
}

async function statusText(page, scope) {
  return (await page.textContent(`${scope} [data-svcbook-search-status]`)).trim();
}

function errorCodeOf(id) {
  const md = fs.readFileSync(path.resolve(import.meta.dirname, `../../content/fault-cases/${id}.md`), 'utf8');
  return md.match(/^error_codes:\s*\[([^\],]+)/m)[1].trim();
}

test('an error code from a fault case ranks that case first, and / focuses the box', async () => {
  const { page, watch } = await newPage(server.url);
  const before = server.requests.length;
  await page.goto(server.url + 'procedures/PR-0001.html');
  await page.waitForLoadState('load');
  // Lazy: nothing of the runtime or index is fetched before the box is used.
  assert.ok(!server.requests.slice(before).some((u) => /^\/search\//.test(u)), 'runtime not loaded eagerly');
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.matches('[data-svcbook-search-input]')), true, '/ focuses the search box');
  for (const id of ['FC-0014', 'FC-0004', 'FC-0009']) {
    const code = errorCodeOf(id);
    const hits = await searchIn(page, HEADER, code);
    assert.equal(hits[0]?.id, id, `${code} → ${JSON.stringify(hits)}`);
  }
  assert.ok(server.requests.slice(before).some((u) => /\/search\/svcbook-search\.[0-9a-f]+\.wasm$/.test(u)), 'wasm fetched once needed');
  // Result rows show title, kind badge, highlighted snippet and model codes.
  const first = page.locator(`${HEADER} ${RESULT}`).first();
  assert.ok((await first.locator('[data-svcbook-result-title]').textContent()).length > 0);
  assert.ok((await first.locator('[data-svcbook-result-kind]').textContent()).length > 0);
  assert.ok(await first.locator('[data-svcbook-result-snippet] mark').count() >= 1, 'snippet highlights the match');
  assert.ok(await first.locator('.svcb-result-codes code').count() >= 1, 'model codes shown');
  assert.deepEqual(watch.consoleErrors, []);
  assert.deepEqual(watch.external, []);
  await page.close();
});

test('four characters from the middle of a procedure body find it', async () => {
  const { page } = await newPage(server.url);
  await page.goto(server.url + 'procedures/PR-0003.html');
  // The longest paragraph's middle: no title or summary words chosen by hand.
  const fragment = await page.evaluate(() => {
    const paras = Array.from(document.querySelectorAll('article p, article li')).map((p) => p.textContent);
    const text = paras.sort((a, b) => b.length - a.length)[0];
    const han = /^[\u4e00-\u9fff]{4}$/;
    for (let d = 0; d < text.length / 2; d++) {
      for (const i of [Math.floor(text.length / 2) + d, Math.floor(text.length / 2) - d]) {
        const s = text.slice(i, i + 4);
        if (han.test(s)) return s;
      }
    }
    return null;
  });
  assert.ok(fragment, 'found a 4-character fragment');
  const hits = await searchIn(page, HEADER, fragment);
  const rank = hits.findIndex((h) => h.id === 'PR-0003');
  console.log(`fragment "${fragment}" → PR-0003 at rank ${rank + 1} of ${hits.length}`);
  assert.ok(rank >= 0, `"${fragment}" did not find PR-0003: ${JSON.stringify(hits)}`);
  await page.close();
});

test('facet filters narrow the results; no-results suggests removing them', async () => {
  const { page, watch } = await newPage(server.url);
  await page.goto(server.url + 'search.html?q=' + encodeURIComponent('客户'));
  await page.waitForSelector(`${PAGE} ${RESULT}`);
  const total = async () => Number((await statusText(page, PAGE)).match(/\d+/)[0]);
  const all = await total();
  const script = page.locator(`${PAGE} [data-svcbook-facet="kind"][data-value="script"]`);
  const count = Number(await script.locator('.svcb-facet-count').textContent());
  await script.click();
  await page.waitForFunction((s) => document.querySelector(s + ' [data-svcbook-facet="kind"][data-value="script"]')?.getAttribute('aria-pressed') === 'true', PAGE);
  await page.waitForFunction((s) => Array.from(document.querySelectorAll(s + ' [data-svcbook-result]')).every((e) => e.dataset.kind === 'script'), PAGE);
  const narrowed = await total();
  assert.ok(narrowed < all, `filter narrows: ${narrowed} < ${all}`);
  assert.equal(narrowed, count, 'the facet count predicted the filtered total');
  assert.match(page.url(), /kind=script/, 'filters are in the shareable URL');

  // A filter that excludes everything: the message says so and offers to clear.
  await page.goto(server.url + 'search.html?q=E04&kind=standard');
  await page.waitForSelector(`${PAGE} [data-svcbook-clear-filters]`);
  assert.match(await statusText(page, PAGE), /没有找到.*筛选/);
  await page.click(`${PAGE} [data-svcbook-clear-filters]`);
  await page.waitForSelector(`${PAGE} ${RESULT}`);
  assert.equal(await page.getAttribute(`${PAGE} ${RESULT}`, 'data-id'), 'FC-0001');
  assert.deepEqual(watch.consoleErrors, []);
  await page.close();
});

test('keyboard: arrows move through results, Enter opens one, Escape returns', async () => {
  const { page } = await newPage(server.url);
  await page.goto(server.url + 'index.html');
  const hits = await searchIn(page, HEADER, '投诉');
  assert.ok(hits.length >= 3);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.getAttribute(`${HEADER} [data-svcbook-result][data-active]`, 'data-id'), hits[1].id);
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.getAttribute(`${HEADER} [data-svcbook-result][data-active]`, 'data-id'), hits[0].id);
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.evaluate(() => document.activeElement.matches('[data-svcbook-search-input]')), true, 'back in the box');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(await page.textContent('article h1').then((t) => t.length > 0), true);
  // The hit's address carries the terms its row marked, for the landing highlight.
  const landed = new URL(page.url());
  assert.ok(landed.pathname.endsWith('.html') && !landed.pathname.endsWith('index.html'), page.url());
  assert.ok(landed.searchParams.getAll('highlight').length >= 1, page.url());
  await page.close();
});

test('the search page takes ?q= and the JS API returns documented fields', async () => {
  const { page, watch } = await newPage(server.url);
  await page.goto(server.url + 'search.html?q=' + encodeURIComponent('E04 不制冷'));
  await page.waitForSelector(`${PAGE} ${RESULT}`);
  assert.equal(await page.inputValue(`${PAGE} ${INPUT}`), 'E04 不制冷');
  assert.equal(await page.getAttribute(`${PAGE} ${RESULT}`, 'data-id'), 'FC-0001');
  const res = await page.evaluate(() => window.svcbook.search('XR-200', { kind: 'fault_case', limit: 3 }));
  assert.equal(res.hits.length, 3);
  assert.ok(res.total >= 3);
  for (const h of res.hits) {
    assert.equal(h.kind, 'fault_case');
    for (const k of ['url', 'title', 'kind', 'snippet', 'products', 'score']) assert.ok(k in h, k);
    assert.ok(h.products.includes('XR-200') || h.title.includes('XR-200'));
  }
  assert.ok(res.facets.kind.fault_case >= 3 && 'procedure' in res.facets.kind, 'facets count every kind');
  // Words only in a body get their snippet from the body's fragment file, which
  // the worker fetched; stats say where the time went.
  const body = await page.evaluate(async () => {
    const r = await window.svcbook.search('截止阀附近结霜');
    return { hit: r.hits[0], stats: window.svcbook.stats.lastQuery };
  });
  assert.equal(body.hit.id, 'FC-0001');
  assert.match(body.hit.snippet, /<mark>截止阀附近结霜<\/mark>/);
  assert.ok(!body.hit.summary.includes('截止阀'), 'the match is not in the summary');
  for (const k of ['rankMs', 'textMs', 'snippetMs']) assert.equal(typeof body.stats[k], 'number', k);
  // onRanked gets the ranked hits first (summary snippets), then the promise has body snippets.
  const steps = await page.evaluate(async () => {
    const seen = [];
    const r = await window.svcbook.search('截止阀附近结霜', {
      onRanked: (ranked) => seen.push(['ranked', ranked.hits[0].id, ranked.hits[0].snippet]),
    });
    seen.push(['final', r.hits[0].id, r.hits[0].snippet]);
    return seen;
  });
  assert.deepEqual(steps.map((x) => x[0]), ['ranked', 'final']);
  assert.equal(steps[0][1], steps[1][1], 'same top hit in both steps');
  assert.ok(!steps[0][2].includes('截止阀附近结霜'), 'ranked step has no body snippet yet: ' + steps[0][2]);
  assert.match(steps[1][2], /<mark>截止阀附近结霜<\/mark>/);
  // Accessible with results on screen.
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.map((n) => n.target).join(' ')));
  assert.deepEqual(violations, []);
  assert.deepEqual(watch.consoleErrors, []);
  await page.close();
});

test('an XSS probe article shows its markup as text', async () => {
  const { page, watch } = await newPage(server.url);
  await page.goto(server.url + 'search.html');
  // `onerror` is only in the payloads, so the snippet must show one of them.
  const hits = await searchIn(page, PAGE, 'onerror');
  assert.equal(hits[0]?.id, 'security-note', JSON.stringify(hits));
  const row = page.locator(`${PAGE} ${RESULT}`).first();
  const text = await row.textContent();
  assert.match(text, /<script>|onerror/, 'the payload is visible as text');
  assert.equal(await page.locator(`${PAGE} [data-svcbook-results] script, ${PAGE} [data-svcbook-results] img`).count(), 0, 'no element was created from content');
  const tags = await row.evaluate((li) => Array.from(li.querySelectorAll('*')).map((e) => e.tagName.toLowerCase()));
  assert.deepEqual([...new Set(tags)].filter((t) => !['a', 'span', 'mark', 'code'].includes(t)), []);
  assert.deepEqual(watch.dialogs, [], 'no alert ran');
  assert.deepEqual(watch.consoleErrors, []);
  await page.close();
});

test('search works opened from file://', async () => {
  const { page, watch } = await newPage('file://');
  await page.goto('file://' + path.join(siteDir(), 'fault-cases', 'FC-0003.html'));
  await page.keyboard.press('/');
  const hits = await searchIn(page, HEADER, 'E04');
  assert.equal(hits[0]?.id, 'FC-0001');
  await Promise.all([page.waitForNavigation(), page.click(`${HEADER} ${RESULT} a`)]);
  assert.match(page.url(), /^file:.*fault-cases\/FC-0001\.html\?highlight=E04$/);
  assert.ok(await page.locator('main mark[data-search-highlight]').count() >= 1, 'E04 highlighted on the landed page');
  await page.goto('file://' + path.join(siteDir(), 'search.html') + '?q=' + encodeURIComponent('返厂维修'));
  await page.waitForSelector(`${PAGE} ${RESULT}`);
  assert.equal(await page.getAttribute(`${PAGE} ${RESULT}`, 'data-id'), 'PR-0002');
  // Bodies come from fragment scripts, which must load on file:// too.
  await page.waitForSelector(`${PAGE} ${RESULT} [data-svcbook-result-snippet] mark`);
  const fragments = await page.evaluate(() => document.querySelectorAll('script[src*="search/text/"]').length);
  assert.ok(fragments >= 1, 'fragment scripts loaded: ' + fragments);
  assert.deepEqual(watch.external, []);
  assert.deepEqual(watch.consoleErrors, []);
  await page.close();
});

test('the built site holds one copy of the index: its chunk scripts', async () => {
  const dir = path.join(siteDir(), 'search');
  const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const names = new Set(chunkNames(m.index).map((n) => n + '.js'));
  assert.deepEqual(new Set(fs.readdirSync(path.join(dir, 'index'))), names);
  // Beside them: the manifests, the runtime (and its file:// twin), the bodies; no .bin.
  const rest = fs.readdirSync(dir).filter((f) => !['index', 'text', 'manifest.js', 'manifest.json', m.wasm, m.wasm_js].includes(f));
  assert.deepEqual(rest, []);
  let total = 0;
  for (const n of chunkNames(m.index).slice(0, -1)) {
    const js = fs.readFileSync(path.join(dir, 'index', n + '.js'), 'utf8');
    total += Buffer.from(js.slice(js.lastIndexOf('","') + 3, js.lastIndexOf('"')), 'base64').length;
  }
  assert.equal(total, m.index.len);
});

test('from file:// the index loads as chunk scripts, only those a query needs', async () => {
  const { page, watch } = await newPage('file://');
  await page.goto('file://' + path.join(siteDir(), 'search.html') + '?q=' + encodeURIComponent('E04'));
  await page.waitForSelector(`${PAGE} ${RESULT}`);
  const m = JSON.parse(fs.readFileSync(path.join(siteDir(), 'search', 'manifest.json'), 'utf8'));
  const loaded = await page.evaluate(() => window.svcbook.indexLoaded());
  const scripts = await page.evaluate(() => document.querySelectorAll('script[src*="search/index/"]').length);
  assert.equal(scripts, loaded.chunks, JSON.stringify(loaded));
  assert.ok(loaded.chunks >= 1 && loaded.bytes < m.index.len, JSON.stringify(loaded));
  assert.deepEqual(watch.consoleErrors, []);
  await page.close();
});

test('a damaged index chunk is reported in the search box, with no results', async () => {
  // A copy of the site whose chunk scripts each have one base64 letter changed.
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'svcbook-damaged-'));
  fs.cpSync(siteDir(), copy, { recursive: true });
  const dir = path.join(copy, 'search', 'index');
  for (const f of fs.readdirSync(dir)) {
    const js = fs.readFileSync(path.join(dir, f), 'utf8');
    const at = js.indexOf('","') + 10;
    const flipped = js.slice(0, at) + (js[at] === 'A' ? 'B' : 'A') + js.slice(at + 1);
    fs.writeFileSync(path.join(dir, f), flipped);
  }
  const damaged = await serve(copy);
  try {
    const page = await browser.context.newPage();
    await page.goto(damaged.url + 'search.html?q=' + encodeURIComponent('E04'));
    await page.waitForFunction(
      (s) => document.querySelector(s + ' [data-svcbook-search-status]').textContent.includes('搜索暂时不可用'),
      PAGE, { timeout: 20000 },
    );
    const status = await statusText(page, PAGE);
    assert.match(status, /damaged search index.*checksum/, status);
    assert.equal((await page.$$(`${PAGE} ${RESULT}`)).length, 0);
    await page.close();
  } finally {
    await damaged.close();
    fs.rmSync(copy, { recursive: true, force: true });
  }
});
