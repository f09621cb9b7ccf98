// Issue 14 in a real browser: what an engineer types into the header box (a code
// half typed, a Chinese kind label as a filter, a pasted summary) and where a
// click on a hit lands: the section's heading, the query's terms highlighted,
// a control that clears them (http and file://, hostile parameters inert).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { siteDir, openSite, watchedPage } from './lib.mjs';

const INPUT = '[data-svcbook-search-input]';
const HEADER = '[data-svcbook-search][data-mode="dropdown"]';
const RESULT = '[data-svcbook-result]';
const CONTENT = path.resolve(import.meta.dirname, '../../content');

let browser, server;
openSite((b, s) => { browser = b; server = s; });

const newPage = (origin) => watchedPage(browser, origin);

/** Waits until the header box has answered `query` (results or a message). */
async function answered(page, query) {
  await page.waitForFunction(
    ([s, q]) => {
      const w = document.querySelector(s);
      const status = w.querySelector('[data-svcbook-search-status]').textContent;
      return w.getAttribute('aria-busy') !== 'true' && w.querySelector('[data-svcbook-search-input]').value.trim() === q
        && (w.querySelector('[data-svcbook-result]') || status.includes('没有找到') || status.includes('可用'));
    },
    [HEADER, query],
    { timeout: 20000 },
  );
  await page.waitForTimeout(250); // the debounce settles on the last keystroke
  return page.$$eval(`${HEADER} ${RESULT}`, (els) => els.map((e) => ({
    id: e.dataset.id, kind: e.dataset.kind,
    codes: Array.from(e.querySelectorAll('.svcb-result-codes code')).map((c) => c.textContent),
  })));
}

async function typeInto(page, query) {
  const input = page.locator(`${HEADER} ${INPUT}`);
  await input.click();
  await input.fill('');
  await input.pressSequentially(query, { delay: 20 });
  return answered(page, query);
}

async function pasteInto(page, query) {
  const input = page.locator(`${HEADER} ${INPUT}`);
  await input.click();
  await input.fill(query);
  return answered(page, query);
}

async function statusText(page) {
  return (await page.textContent(`${HEADER} [data-svcbook-search-status]`)).trim();
}

/** Front matter `field:` of every article under content/, as { id, value }. */
function frontMatter(field) {
  const out = [];
  for (const dir of fs.readdirSync(CONTENT, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of fs.readdirSync(path.join(CONTENT, dir.name))) {
      if (!f.endsWith('.md') || f.startsWith('_')) continue;
      const md = fs.readFileSync(path.join(CONTENT, dir.name, f), 'utf8');
      const id = md.match(/^id:\s*(.+)$/m)?.[1].trim();
      const value = md.match(new RegExp(`^${field}:\\s*(.+)$`, 'm'))?.[1].trim();
      if (id && value) out.push({ id, value: value.replace(/^"(.*)"$/, '$1') });
    }
  }
  return out;
}

test('typing XR-2 shows XR-200 articles at every keystroke from XR-2 on', async () => {
  const { page, watch } = await newPage(server.url);
  await page.goto(server.url + 'index.html');
  const input = page.locator(`${HEADER} ${INPUT}`);
  await input.click();
  await input.pressSequentially('XR', { delay: 20 });
  for (const ch of ['-', '2', '0', '0']) {
    await input.pressSequentially(ch, { delay: 20 });
    const typed = await input.inputValue();
    if (typed === 'XR-') continue; // a bare dash: nothing is asserted mid-word
    const hits = await answered(page, typed);
    assert.ok(!(await statusText(page)).includes('没有找到'), `${typed}: ${await statusText(page)}`);
    assert.ok(hits.length > 0, `${typed}: no results`);
    assert.ok(hits[0].codes.includes('XR-200'), `${typed}: the first hit carries XR-200: ${JSON.stringify(hits[0])}`);
    const withCode = hits.slice(0, 5).filter((h) => h.codes.includes('XR-200')).length;
    assert.ok(withCode >= Math.min(3, hits.length), `${typed}: top 5 ${JSON.stringify(hits.slice(0, 5))}`);
  }
  assert.deepEqual(watch.consoleErrors, []);
  assert.deepEqual(watch.external, []);
  await page.close();
});

test('a mistyped code gets partial results and a "did you mean" that searches the index spelling', async () => {
  const { page, watch } = await newPage(server.url);
  await page.goto(server.url + 'index.html');
  // Letter O for zero: no page holds XR-2OO, the typo matching finds XR-200's.
  const typo = await typeInto(page, 'XR-2OO');
  assert.ok(typo.length > 0, 'partial results for the typo');
  assert.match(await statusText(page), /部分匹配/);
  const fix = page.locator(`${HEADER} [data-svcbook-did-you-mean]`);
  assert.equal((await fix.textContent()).trim(), 'XR-200');
  await fix.click();
  const hits = await answered(page, 'XR-200');
  assert.equal(await page.inputValue(`${HEADER} ${INPUT}`), 'XR-200');
  assert.ok(hits[0].codes.includes('XR-200'), JSON.stringify(hits[0]));
  assert.doesNotMatch(await statusText(page), /部分匹配|你是不是要找/);
  assert.equal(await fix.count(), 0, 'the suggestion goes once the query holds every word');
  assert.deepEqual(watch.consoleErrors, []);
  await page.close();
});

/** The marks site.js added, their texts, and whether any sits in header/nav. */
async function landedMarks(page) {
  return page.evaluate(() => {
    const marks = Array.from(document.querySelectorAll('mark[data-search-highlight]'));
    return {
      texts: marks.map((m) => m.textContent),
      outside: marks.filter((m) => !m.closest('main') || m.closest('header, nav, script, style')).length,
      bar: !!document.querySelector('[data-highlight-bar]'),
    };
  });
}

test('a section hit lands on its heading with the terms highlighted; the bar clears them', async () => {
  const { page, watch } = await newPage(server.url);
  await page.goto(server.url + 'procedures/PR-0001.html');
  const hits = await typeInto(page, '外机粗管结霜');
  assert.equal(hits[0]?.id, 'FC-0001', JSON.stringify(hits));
  const sections = page.locator(`${HEADER} ${RESULT} >> nth=0 >> [data-svcbook-result-section]`);
  await sections.first().waitFor({ timeout: 20000 });
  const count = await sections.count();
  assert.ok(count >= 2, `FC-0001 lists its sections (${count})`);
  // The last listed section: further down the page, so landing on it means scrolling.
  const link = sections.nth(count - 1);
  const href = await link.getAttribute('href');
  const url = new URL(href, server.url);
  const terms = url.searchParams.getAll('highlight');
  assert.ok(url.hash.length > 1, `section link has an anchor: ${href}`);
  assert.ok(terms.length >= 1, `section link carries the marked terms: ${href}`);
  const rowMarks = await page.$$eval(`${HEADER} ${RESULT}:first-child mark`, (ms) => ms.map((m) => m.textContent.trim()));
  for (const t of terms) assert.ok(rowMarks.includes(t), `${t} is one of the row's marks ${JSON.stringify(rowMarks)}`);

  await link.click();
  await page.waitForURL((u) => u.pathname.endsWith('/fault-cases/FC-0001.html') && u.hash === url.hash);
  await page.waitForSelector('[data-highlight-bar]');
  const anchor = decodeURIComponent(url.hash.slice(1));
  const heading = await page.evaluate((id) => {
    const h = document.getElementById(id);
    if (!h) return null;
    const r = h.getBoundingClientRect();
    return { tag: h.tagName, top: r.top, bottom: r.bottom, height: window.innerHeight, scrolled: window.scrollY };
  }, anchor);
  assert.ok(heading, `the page has #${anchor}`);
  assert.match(heading.tag, /^H[1-6]$/);
  assert.ok(heading.top >= 0 && heading.bottom <= heading.height, `heading in view: ${JSON.stringify(heading)}`);
  assert.ok(heading.scrolled > 0, 'the page scrolled to a section below the top');
  const marks = await landedMarks(page);
  assert.ok(marks.texts.length >= 1, 'terms highlighted in the page');
  assert.equal(marks.outside, 0, 'no mark in header, nav, script or style');
  const lower = terms.map((t) => t.toLowerCase());
  for (const t of marks.texts) assert.ok(lower.includes(t.toLowerCase()), `mark ${t} is a query term ${JSON.stringify(terms)}`);
  // The section landed on holds a mark (between its heading and the next one).
  const inSection = await page.evaluate((id) => {
    const h = document.getElementById(id);
    let n = 0;
    for (let el = h.nextElementSibling; el && !/^H[1-6]$/.test(el.tagName); el = el.nextElementSibling) {
      n += el.querySelectorAll('mark[data-search-highlight]').length;
    }
    return n + h.querySelectorAll('mark[data-search-highlight]').length;
  }, anchor);
  assert.ok(inSection >= 1, `a term is highlighted in section #${anchor}`);

  const clear = page.locator('[data-highlight-clear]');
  const box = await clear.boundingBox();
  assert.ok(box.width >= 44 && box.height >= 44, `clear button ${box.width}×${box.height}`);
  const layoutShift = await page.evaluate(() => new Promise((resolve) => {
    let sum = 0;
    new PerformanceObserver((l) => l.getEntries().forEach((e) => { if (!e.hadRecentInput) sum += e.value; }))
      .observe({ type: 'layout-shift', buffered: true });
    setTimeout(() => resolve(sum), 300);
  }));
  assert.ok(layoutShift < 0.01, `no layout shift from the highlight (CLS ${layoutShift})`);
  await clear.click();
  assert.equal((await landedMarks(page)).texts.length, 0, 'marks removed');
  assert.equal((await landedMarks(page)).bar, false, 'bar removed');
  const after = new URL(page.url());
  assert.equal(after.searchParams.has('highlight'), false, `parameter dropped: ${page.url()}`);
  assert.equal(after.hash, url.hash, 'anchor kept');
  assert.ok((await page.textContent('main')).includes(terms[0]), 'the text itself is still there');
  assert.deepEqual(watch.consoleErrors, []);
  assert.deepEqual(watch.external, []);
  await page.close();
});

test('a page hit (no anchor) scrolls to its first mark; works from file://', async () => {
  const { page, watch } = await newPage('file://');
  const file = pathToFileURL(path.join(siteDir(), 'fault-cases', 'FC-0001.html')).href;
  await page.goto(file + '?highlight=' + encodeURIComponent('喇叭口') + '&highlight=E04');
  await page.waitForSelector('[data-highlight-bar]');
  const marks = await landedMarks(page);
  assert.ok(marks.texts.includes('喇叭口') && marks.texts.includes('E04'), JSON.stringify(marks));
  assert.equal(marks.outside, 0);
  const first = await page.evaluate(() => {
    const r = document.querySelector('mark[data-search-highlight]').getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, height: window.innerHeight };
  });
  assert.ok(first.top >= 0 && first.bottom <= first.height, `first mark in view: ${JSON.stringify(first)}`);
  await page.keyboard.press('Escape');
  assert.equal((await landedMarks(page)).texts.length, 0, 'Escape clears too');
  assert.equal(new URL(page.url()).searchParams.has('highlight'), false, `parameter dropped on file://: ${page.url()}`);
  assert.deepEqual(watch.consoleErrors, []);
  assert.deepEqual(watch.external, []);
  await page.close();
});

test('hostile highlight parameters stay text: no markup, no pattern, no dialog', async () => {
  const { page, watch } = await newPage(server.url);
  const probes = ['<img src=x onerror=alert(1)>', '.*', '"><script>alert(2)</script>', '(E04|'];
  await page.goto(server.url + 'fault-cases/FC-0001.html?' + probes.map((p) => 'highlight=' + encodeURIComponent(p)).join('&'));
  await page.waitForLoadState('load');
  await page.waitForTimeout(300);
  const state = await page.evaluate(() => ({
    marks: document.querySelectorAll('mark[data-search-highlight]').length,
    imgs: document.querySelectorAll('main img[src="x"]').length,
    bar: document.querySelector('[data-highlight-bar]') ? document.querySelector('[data-highlight-bar]').textContent : null,
  }));
  assert.equal(state.imgs, 0);
  assert.equal(state.marks, 0, '`.*` and `(E04|` match only themselves, which the page does not hold');
  assert.equal(state.bar, null, 'nothing highlighted, no bar');
  assert.equal(new URL(page.url()).searchParams.has('highlight'), false, 'a parameter that marks nothing is dropped');
  assert.deepEqual(watch.dialogs, []);
  assert.deepEqual(watch.consoleErrors, []);
  await page.close();
});

test('a filter by the Chinese kind label works; an unknown value lists the valid ones', async () => {
  const { page, watch } = await newPage(server.url);
  await page.goto(server.url + 'index.html');
  const plain = await typeInto(page, 'E04');
  assert.ok(plain.some((h) => h.kind !== 'fault_case'), `E04 alone finds more than fault cases: ${JSON.stringify(plain)}`);
  const filtered = await typeInto(page, 'kind:故障案例 E04');
  assert.ok(filtered.length >= 1, 'the filter keeps the fault cases');
  assert.ok(filtered.every((h) => h.kind === 'fault_case'), JSON.stringify(filtered));
  assert.equal(filtered[0].id, 'FC-0001');
  const unknown = await typeInto(page, 'kind:故障 E04');
  assert.equal(unknown.length, 0, 'an unknown value gives no results');
  const status = await statusText(page);
  assert.ok(status.includes('故障'), status);
  for (const valid of ['故障案例', '维修流程', '沟通话术']) assert.ok(status.includes(valid), `${valid} listed: ${status}`);
  assert.deepEqual(watch.consoleErrors, []);
  await page.close();
});

test('a pasted summary finds its article at rank 1 (those with a dash included)', async () => {
  const { page, watch } = await newPage(server.url);
  await page.goto(server.url + 'index.html');
  const summaries = frontMatter('summary');
  const dashed = summaries.filter((s) => s.value.includes('-'));
  assert.ok(dashed.length >= 5, `summaries with a dash: ${dashed.length}`);
  const chosen = dashed.concat(summaries.filter((s) => !s.value.includes('-')).slice(0, 3));
  const misses = [];
  for (const { id, value } of chosen) {
    const hits = await pasteInto(page, value);
    if (hits[0]?.id !== id) misses.push(`${id} → ${hits.slice(0, 3).map((h) => h.id).join(', ')}`);
  }
  console.log(`pasted summaries: ${chosen.length - misses.length}/${chosen.length} at rank 1 (${dashed.length} with a dash)`);
  assert.deepEqual(misses, []);
  assert.deepEqual(watch.consoleErrors, []);
  await page.close();
});
