// Search cost in headless Chromium on the built demo site: bytes fetched before
// the first result, cold start, warm query latency (median, p95) over http and
// file://. Prints the numbers and writes target/browser/search-perf.json.
// The bounds asserted are generous sanity limits, not targets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { launch, serve, siteDir, artefactDir, chunkNames } from './lib.mjs';

const WARM_QUERIES = [
  'E04', 'XR-200 噪音', '不制冷', '客户情绪激动', '返厂维修多久', '保修', '退货', 'F3', 'E-102', '洗碗机 积水',
  '冰箱结霜', '漏电跳闸', '上门前准备', '回访', '差评', '物流延迟', '投诉处理', '冷媒', '配网失败', '安装调试',
];
const ROUNDS = 3;

let browser, server;
const report = {};
before(async () => {
  browser = await launch();
  server = await serve(siteDir());
});
after(async () => {
  await browser?.close();
  await server?.close();
  fs.writeFileSync(path.join(artefactDir(), 'search-perf.json'), JSON.stringify(report, null, 2));
  console.log('search-perf ' + JSON.stringify(report));
});

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] * 100) / 100;
};

function fileSizes() {
  const dir = path.join(siteDir(), 'search');
  const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const size = (...names) => {
    const sum = { raw: 0, gzip: 0, brotli: 0, files: names.length };
    for (const name of names) {
      const bytes = fs.readFileSync(path.join(dir, name));
      sum.raw += bytes.length;
      sum.gzip += zlib.gzipSync(bytes, { level: 9 }).length;
      sum.brotli += zlib.brotliCompressSync(bytes).length;
    }
    return sum;
  };
  // The index: its chunk scripts and warm file (search/index/<name>.js).
  const chunks = chunkNames(m.index).map((n) => `index/${n}.js`);
  return { index: size(...chunks), wasm: size(m.wasm), wasm_js: size(m.wasm_js), docs: m.docs };
}

/** Loads `url`, presses `/`, types `query`; returns ms from the key press to the first rendered result. */
async function coldStart(page, url, query) {
  await page.goto(url);
  await page.waitForLoadState('load');
  const t0 = Date.now();
  await page.keyboard.press('/');
  await page.keyboard.type(query);
  await page.waitForSelector('[data-svcbook-search][data-mode="dropdown"] [data-svcbook-result]', { timeout: 20000 });
  return Date.now() - t0;
}

async function warm(page) {
  return page.evaluate(async ([queries, rounds]) => {
    const times = [];
    for (let r = 0; r < rounds; r++) {
      for (const q of queries) {
        const t = performance.now();
        await window.svcbook.search(q, { limit: 10 });
        times.push(performance.now() - t);
      }
    }
    return times;
  }, [WARM_QUERIES, ROUNDS]);
}

// svcbook.stats.load: where loading went. Every phase is a number, and the
// phases fit inside the total (they run one after another).
async function loadPhases(page) {
  const load = await page.evaluate(() => window.svcbook.stats.load);
  for (const k of ['scriptsMs', 'fetchMs', 'instantiateMs', 'openMs', 'totalMs']) {
    assert.equal(typeof load[k], 'number', `stats.load.${k}: ${JSON.stringify(load)}`);
  }
  const parts = load.scriptsMs + load.fetchMs + load.instantiateMs + load.openMs;
  assert.ok(parts <= load.totalMs + 1, `phases ${parts} ms exceed the total ${load.totalMs} ms: ${JSON.stringify(load)}`);
  return load;
}

test('search cost over http', async () => {
  report.files = fileSizes();
  const page = await browser.context.newPage();
  const bytes = [];
  page.on('response', async (res) => {
    try { bytes.push({ url: res.url().replace(server.url, '/'), size: (await res.body()).length }); } catch { /* redirects */ }
  });
  const ms = await coldStart(page, server.url + 'fault-cases/FC-0003.html', 'E04');
  await page.waitForTimeout(100);
  const total = bytes.reduce((s, b) => s + b.size, 0);
  const loaded = await page.evaluate(() => window.svcbook.indexLoaded());
  const searchOnly = bytes.filter((b) => /\/(search|assets\/search)\//.test(b.url)).reduce((s, b) => s + b.size, 0);
  const times = await warm(page);
  report.http = {
    cold_start_ms: ms,
    runtime_load_ms: Math.round(await page.evaluate(() => window.svcbook.stats.loadMs)),
    load_phases_ms: await loadPhases(page),
    bytes_before_first_result: total,
    search_bytes_before_first_result: searchOnly,
    // What of the index the first query loaded (decoded bytes, chunk count, rounds).
    index_loaded_first_query: loaded,
    requests: bytes.map((b) => `${b.url} ${b.size}`),
    warm_ms: { n: times.length, median: pct(times, 50), p95: pct(times, 95), max: pct(times, 100) },
  };
  assert.ok(ms < 15000, `cold start ${ms} ms`);
  assert.ok(report.http.warm_ms.p95 < 500, `warm p95 ${report.http.warm_ms.p95} ms`);
  await page.close();
});

test('search cost from file://', async () => {
  const page = await browser.context.newPage();
  const ms = await coldStart(page, 'file://' + path.join(siteDir(), 'fault-cases', 'FC-0003.html'), 'E04');
  const times = await warm(page);
  report.file = {
    cold_start_ms: ms,
    runtime_load_ms: Math.round(await page.evaluate(() => window.svcbook.stats.loadMs)),
    load_phases_ms: await loadPhases(page),
    warm_ms: { n: times.length, median: pct(times, 50), p95: pct(times, 95), max: pct(times, 100) },
  };
  assert.ok(ms < 15000, `cold start ${ms} ms`);
  await page.close();
});
