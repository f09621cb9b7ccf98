// Browser search cost in headless Chromium, for bench/run. Prints one JSON object.
//
//   node bench/browser.mjs --engine svcbook  --site DIR --page REL --queries FILE [--cold 3] [--rounds 3]
//   node bench/browser.mjs --engine pagefind --site DIR --page REL --queries FILE [--cold 3] [--rounds 3]
//   … --block-sw 1: no service worker (its offline precache of the search
//   folder, see src/offline.rs, is then not counted as first-query bytes).
//   … --facets 1: svcbook's queries also count facets, as the search box does
//   while its filter panel is open (desktop); default 0, a phone's folded panel.
//   … --throttle 1: serve gzip as a static host does and emulate a slow phone
//   link (Chromium CDP Network.emulateNetworkConditions: 1.6 Mbps down,
//   750 kbps up, 150 ms RTT); reports time to first results.
//
// DIR is a built site, served on 127.0.0.1 by tests/browser/lib.mjs (no compression,
// like a plain static server); Chromium is launched the way the tests launch it, with
// a fresh profile for every cold run, so nothing is cached.
//
// For each engine:
// * cold: open REL, then time "runtime + index ready" (svcbook: svcbook.preload();
//   pagefind: import pagefind.js + init()) and the first query with its results
//   shown (svcbook: 10 hits with snippets; pagefind: search + data() of the top 10,
//   which is what fetches its result fragments);
// * first-query bytes: every file the server sent from the page load through the
//   first query's results, split into search files and the rest, raw and gzip -9,
//   and "wire": what a static host sends (gzip -9 for the types hosts compress
//   by default: html, css, js, json, svg, xml, wasm; other types such as
//   application/octet-stream as they are);
// * warm: ROUNDS passes over the queries on the warmed page, median and p95 (ms).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { launch, serve } from '../tests/browser/lib.mjs';

function args() {
  const out = { cold: 3, rounds: 3, throttle: 0, 'block-sw': 0, facets: 0 };
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i += 2) out[a[i].replace(/^--/, '')] = a[i + 1];
  out.cold = Number(out.cold);
  out.rounds = Number(out.rounds);
  out.throttle = Number(out.throttle);
  out.facets = Number(out.facets);
  for (const k of ['engine', 'site', 'page', 'queries']) {
    if (!out[k]) throw new Error(`missing --${k}`);
  }
  return out;
}

const pct = (xs, p) => {
  if (!xs.length) return null;
  const s = [...xs].sort((x, y) => x - y);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] * 100) / 100;
};
const median = (xs) => pct(xs, 50);

// What each engine does in the page. Both return ms, measured with performance.now().
const ENGINES = {
  svcbook: {
    ready: async () => {
      const t = performance.now();
      await window.svcbook.preload();
      return performance.now() - t;
    },
    // As the bundled search box asks: hits as soon as they are ranked (rankedMs,
    // what the reader first sees), then the same rows with body snippets.
    query: async (q) => {
      const t = performance.now();
      let rankedMs = null;
      const onRanked = () => { rankedMs = performance.now() - t; };
      // Facet counts as the search box asks for them: only with its filter
      // panel open (desktop); `--facets 0` (default) is a phone's folded panel.
      const r = await window.svcbook.search(q, { limit: 10, onRanked, facets: window.__benchFacets === true });
      return [performance.now() - t, r.total, r.hits.length, { rankedMs, ...window.svcbook.stats.lastQuery }];
    },
    loadPhases: () => window.svcbook.stats.load,
  },
  pagefind: {
    ready: async () => {
      const t = performance.now();
      window.__pf = await import(new URL('/pagefind/pagefind.js', location.href).href);
      await window.__pf.init();
      return performance.now() - t;
    },
    query: async (q) => {
      const t = performance.now();
      const s = await window.__pf.search(q);
      const data = await Promise.all(s.results.slice(0, 10).map((r) => r.data()));
      return [performance.now() - t, s.results.length, data.length];
    },
  },
};

// The types static hosts (GitHub Pages, Netlify, Cloudflare Pages, nginx's
// common gzip_types) compress by default.
const COMPRESSED = /\.(html|css|js|mjs|json|svg|xml|txt|wasm)$/;

function sizeOf(root, url, cache) {
  let rel = decodeURIComponent(new URL(url, 'http://x').pathname);
  if (rel.endsWith('/')) rel += 'index.html';
  const file = path.join(root, rel);
  if (!cache.has(file)) {
    let raw = 0;
    let gzip = 0;
    try {
      const bytes = fs.readFileSync(file);
      raw = bytes.length;
      gzip = zlib.gzipSync(bytes, { level: 9 }).length;
    } catch { /* 404 */ }
    cache.set(file, { raw, gzip, wire: COMPRESSED.test(file) ? gzip : raw });
  }
  return cache.get(file);
}

const isSearchFile = (url) => /\/(search|assets\/search|pagefind)\//.test(url);

async function main() {
  const o = args();
  const engine = ENGINES[o.engine];
  if (!engine) throw new Error(`unknown engine ${o.engine}`);
  const queries = JSON.parse(fs.readFileSync(o.queries, 'utf8'));
  const server = await serve(o.site, { gzip: o.throttle > 0 });
  const sizes = new Map();
  const cold = [];
  let warmTimes = [];
  // svcbook only: where each warm query's time went (engine ranking, fragment
  // fetches, snippet cutting), to tell engine cost from network cost.
  const phases = { rankedMs: [], rankMs: [], textMs: [], snippetMs: [] };
  const loads = [];
  let hits = 0;
  // Everything the server sent from the page load through the first pass over
  // the first SESSION queries: what a reader's search session downloads.
  const SESSION = 20;
  let session = null;
  try {
    for (let run = 0; run < o.cold; run++) {
      const browser = await launch(Number(o['block-sw']) ? { serviceWorkers: 'block' } : {});
      try {
        const page = await browser.context.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        server.requests.length = 0;
        if (o.throttle) {
          const cdp = await browser.context.newCDPSession(page);
          await cdp.send('Network.enable');
          await cdp.send('Network.emulateNetworkConditions', {
            offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8,
          });
        }
        const t0 = Date.now();
        await page.goto(server.url + o.page);
        await page.waitForLoadState('load');
        const pageLoadMs = Date.now() - t0;
        await page.evaluate((f) => { window.__benchFacets = f; }, o.facets === 1);
        const readyMs = await page.evaluate(engine.ready);
        if (engine.loadPhases) loads.push(await page.evaluate(engine.loadPhases));
        const [firstMs, firstTotal] = await page.evaluate(engine.query, queries[0]);
        const requests = [...server.requests];
        const bytes = bytesOf(requests);
        cold.push({
          page_load_ms: pageLoadMs, ready_ms: readyMs, first_query_ms: firstMs,
          // From the page's load to the first query's results (ready + first query).
          first_results_ms: readyMs + firstMs,
          first_query_total: firstTotal, requests: requests.length, ...bytes, errors,
        });
        if (run === o.cold - 1 && !o.throttle) {
          // Warm: the same page, runtime and index loaded, every query ROUNDS times.
          for (let r = 0; r < o.rounds; r++) {
            for (const [i, q] of queries.entries()) {
              const [ms, total, , split] = await page.evaluate(engine.query, q);
              if (r === 0 && i + 1 === Math.min(SESSION, queries.length)) {
                const b = bytesOf([...server.requests]);
                session = { queries: i + 1, requests: server.requests.length, search_wire: b.search_wire,
                  total_wire: b.search_wire + b.other_wire };
              }
              warmTimes.push(ms);
              if (split) Object.keys(phases).forEach((k) => phases[k].push(split[k] || 0));
              if (r === 0 && total > 0) hits++;
            }
          }
        }
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
  }
  function bytesOf(requests) {
    const bytes = { search_raw: 0, search_gzip: 0, search_wire: 0, other_raw: 0, other_gzip: 0, other_wire: 0 };
    for (const url of requests) {
      const s = sizeOf(o.site, url, sizes);
      const k = isSearchFile(url) ? 'search' : 'other';
      bytes[`${k}_raw`] += s.raw;
      bytes[`${k}_gzip`] += s.gzip;
      bytes[`${k}_wire`] += s.wire;
    }
    return bytes;
  }
  const pick = (k) => cold.map((c) => c[k]);
  const last = cold[cold.length - 1];
  const result = {
    engine: o.engine,
    page: o.page,
    service_worker: Number(o['block-sw']) ? 'blocked' : 'allowed',
    throttled: o.throttle ? { down_mbps: 1.6, up_kbps: 750, rtt_ms: 150, server_gzip: true } : null,
    cold_runs: cold.length,
    page_load_ms: median(pick('page_load_ms')),
    ready_ms: median(pick('ready_ms')),
    // svcbook: medians of where "ready" went (scripts, wasm + index download,
    // wasm compile + instantiate, opening the index), from svcbook.stats.load.
    ready_phases_ms: loads.length && loads[0]
      ? Object.fromEntries(Object.keys(loads[0]).map((k) => [k, median(loads.map((l) => l[k] || 0))]))
      : null,
    first_query_ms: median(pick('first_query_ms')),
    first_results_ms: median(pick('first_results_ms')),
    first_query_bytes: {
      search_raw: last.search_raw, search_gzip: last.search_gzip, search_wire: last.search_wire,
      total_raw: last.search_raw + last.other_raw, total_gzip: last.search_gzip + last.other_gzip,
      total_wire: last.search_wire + last.other_wire,
      requests: last.requests,
    },
    session_bytes: session,
    warm_ms: { n: warmTimes.length, median: median(warmTimes), p95: pct(warmTimes, 95), max: pct(warmTimes, 100) },
    warm_phases_ms: phases.rankMs.length
      ? Object.fromEntries(Object.entries(phases).map(([k, xs]) => [k, { median: median(xs), p95: pct(xs, 95) }]))
      : null,
    queries: queries.length,
    queries_with_hits: hits,
    errors: cold.flatMap((c) => c.errors),
    cold,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
