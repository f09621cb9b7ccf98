// Run by tests/browser_large.rs on a generated 2,000-article KB, with the native
// engine's answers to the golden queries in SVCBOOK_EXPECTED: the first query
// loads < 25% of the index; every query's hits, order and snippets match native.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, serve, siteDir, artefactDir, chunkNames } from '../lib.mjs';

const expected = JSON.parse(fs.readFileSync(process.env.SVCBOOK_EXPECTED, 'utf8'));
const dir = path.join(siteDir(), 'search');
const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
const scriptBytes = (h) => fs.statSync(path.join(dir, 'index', h + '.js')).size;
const indexScriptBytes = chunkNames(manifest.index).map(scriptBytes).reduce((a, b) => a + b, 0);

let browser, server;
const report = { docs: manifest.docs, index_bytes: manifest.index.len, index_script_bytes: indexScriptBytes };
before(async () => {
  browser = await launch();
  server = await serve(siteDir());
});
after(async () => {
  await browser?.close();
  await server?.close();
  fs.writeFileSync(path.join(artefactDir(), 'lazy-index-2000.json'), JSON.stringify(report, null, 2));
  console.log('lazy-index ' + JSON.stringify(report));
});

// Native and wasm scores may differ in the last f32 bit (ln from glibc vs libm):
// hits of (nearly) equal score may swap, nothing else may.
function sameHits(q, native, got) {
  assert.equal(got.total, native.total, `${q}: total`);
  assert.equal(got.hits.length, native.hits.length, `${q}: hit count`);
  const close = (a, b) => Math.abs(a - b) <= 1e-5 * Math.max(Math.abs(a), Math.abs(b), 1);
  for (let i = 0; i < native.hits.length;) {
    let j = i + 1;
    while (j < native.hits.length && close(native.hits[j].score, native.hits[i].score)) j++;
    const a = native.hits.slice(i, j).map((h) => h.id).sort();
    const b = got.hits.slice(i, j).map((h) => h.id).sort();
    if (j < native.hits.length) assert.deepEqual(b, a, `${q}: ranks ${i}..${j}`);
    i = j;
  }
  const byId = new Map(got.hits.map((h) => [h.id, h]));
  for (const h of native.hits) {
    const w = byId.get(h.id);
    if (!w) continue; // cut differently inside the last tie group
    assert.equal(w.snippet, h.snippet, `${q}: snippet of ${h.id}`);
    assert.equal(w.titleHtml, h.title_html, `${q}: title of ${h.id}`);
  }
}

async function firstQueryAndGolden(page, origin, url) {
  await page.goto(url);
  await page.waitForLoadState('load');
  const first = await page.evaluate((q) => window.svcbook.search(q, { limit: 10 }), expected.queries[0]);
  const loaded = await page.evaluate(() => window.svcbook.indexLoaded());
  report[origin] = { first_query: expected.queries[0], loaded_after_first_query: loaded };
  assert.ok(loaded.bytes < 0.25 * manifest.index.len,
    `first query loaded ${loaded.bytes} of ${manifest.index.len} index bytes`);
  sameHits(expected.queries[0], expected.native[0], first);
  for (let i = 1; i < expected.queries.length; i++) {
    const q = expected.queries[i];
    sameHits(q, expected.native[i], await page.evaluate((q) => window.svcbook.search(q, { limit: 10 }), q));
  }
  report[origin].loaded_after_all_queries = await page.evaluate(() => window.svcbook.indexLoaded());
}

test('over http: the first query fetches < 25% of the index; hits, order, snippets as native', async () => {
  const page = await browser.context.newPage();
  const wire = [];
  page.on('response', async (res) => {
    if (res.url().includes('/search/index/')) {
      try { wire.push((await res.body()).length); } catch { /* ignore */ }
    }
  });
  await firstQueryAndGolden(page, 'http', server.url + 'search.html');
  report.http.index_script_bytes_fetched_all_queries = wire.reduce((a, b) => a + b, 0);
  assert.ok(report.http.index_script_bytes_fetched_all_queries < indexScriptBytes);
  await page.close();
});

test('from file://: the same, the index loaded as chunk scripts', async () => {
  const page = await browser.context.newPage();
  await firstQueryAndGolden(page, 'file', 'file://' + path.join(siteDir(), 'search.html'));
  await page.close();
});
