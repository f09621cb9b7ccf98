#!/usr/bin/env node
// Lighthouse (pinned 12.2.3, mobile emulation, Debian chromium) on one page of
// every type the issue names, served over http from a built site:
//
//   (cd bench/lighthouse && npm ci)
//   ./target/debug/svcbook build . -o /tmp/site
//   node bench/lighthouse.mjs /tmp/site [--desktop] [--runs 3] [--out bench/out/lighthouse] [--only search]
//
// The machine is shared and noisy: one warm-up run is thrown away, then each
// page is run --runs times and the run with the median performance score is
// reported (as Lighthouse's own docs advise). Prints a table of the four category scores and writes every report (JSON)
// under --out. Exits non-zero when any score is under 100, with the failing
// audits listed. A benchmark, not a test: run by hand or by bench/run, never
// by cargo test (it takes minutes and the machine is shared).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import zlib from 'node:zlib';
import { CHROMIUM_ARGS } from '../tests/browser/lib.mjs';

// A static server as a site is deployed: gzip for text, wasm and the index, as
// every static host does (the tests' server sends raw bytes, which would make
// this measure the server rather than the site).
const MIME = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.webmanifest': 'application/manifest+json', '.wasm': 'application/wasm',
  '.xml': 'application/xml', '.svg': 'image/svg+xml', '.png': 'image/png', '.bin': 'application/octet-stream',
};
function serve(root) {
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(root, rel);
    const ok = file.startsWith(path.resolve(root)) && fs.existsSync(file) && fs.statSync(file).isFile();
    const body = fs.readFileSync(ok ? file : path.join(root, '404.html'));
    const type = MIME[path.extname(ok ? file : '.html')] || 'application/octet-stream';
    const headers = { 'content-type': type };
    let out = body;
    if (/gzip/.test(req.headers['accept-encoding'] || '') && !type.startsWith('image/png')) {
      out = zlib.gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    res.writeHead(ok ? 200 : 404, headers);
    res.end(out);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }),
  })));
}

const args = process.argv.slice(2);
const site = args.find((a) => !a.startsWith('--'));
if (!site || !fs.existsSync(path.join(site, 'index.html'))) {
  console.error('usage: node bench/lighthouse.mjs SITE_DIR [--desktop] [--out DIR]');
  process.exit(2);
}
const desktop = args.includes('--desktop');
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
const outAt = args.indexOf('--out');
const out = path.resolve(outAt >= 0 ? args[outAt + 1] : path.join(import.meta.dirname, 'out', 'lighthouse'));
fs.mkdirSync(out, { recursive: true });
const bin = path.join(import.meta.dirname, 'lighthouse', 'node_modules', '.bin', 'lighthouse');
if (!fs.existsSync(bin)) {
  console.error('lighthouse is not installed: (cd bench/lighthouse && npm ci)');
  process.exit(2);
}

const PAGES = {
  home: 'index.html',
  'fault case': 'fault-cases/FC-0001.html',
  procedure: 'procedures/PR-0001.html',
  faq: 'faqs/FAQ-0002.html',
  search: 'search.html?q=E04',
  'learning paths': 'paths/index.html',
  changes: 'changes.html',
  review: 'review.html',
  'error codes': 'error-codes/index.html',
};
// --only NAME[,NAME]: re-run some page types while fixing one (names as above).
const onlyAt = args.indexOf('--only');
if (onlyAt >= 0) {
  const wanted = args[onlyAt + 1].split(',');
  for (const name of Object.keys(PAGES)) if (!wanted.includes(name)) delete PAGES[name];
  if (!Object.keys(PAGES).length) {
    console.error(`--only: no page named ${wanted.join(', ')}`);
    process.exit(2);
  }
}
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];

const server = await serve(site);
const rows = [];
let failed = false;
try {
  const run = async (rel, report) => {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'svcbook-lh-'));
    const flags = [...CHROMIUM_ARGS, `--user-data-dir=${profile}`].join(' ');
    try {
      // Asynchronously: the server answering Lighthouse runs in this process.
      await promisify(execFile)(bin, [
        server.url + rel,
        `--chrome-flags=${flags}`,
        `--only-categories=${CATEGORIES.join(',')}`,
        '--output=json', `--output-path=${report}`, '--quiet',
        ...(desktop ? ['--preset=desktop'] : []),
      ], { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM || '/usr/bin/chromium' }, timeout: 300000, maxBuffer: 64 << 20 });
    } finally {
      fs.rmSync(profile, { recursive: true, force: true });
    }
    return JSON.parse(fs.readFileSync(report, 'utf8'));
  };
  await run(Object.values(PAGES)[0], path.join(out, 'warm-up.json'));
  for (const [name, rel] of Object.entries(PAGES)) {
    const base = path.join(out, `${name.replace(/ /g, '-')}${desktop ? '-desktop' : ''}`);
    const lhrs = [];
    for (let i = 0; i < RUNS; i++) lhrs.push(await run(rel, `${base}-${i + 1}.json`));
    lhrs.sort((a, b) => a.categories.performance.score - b.categories.performance.score);
    const lhr = lhrs[Math.floor(lhrs.length / 2)];
    const allPerf = lhrs.map((l) => Math.round(l.categories.performance.score * 100));
    const scores = CATEGORIES.map((c) => Math.round((lhr.categories[c]?.score ?? 0) * 100));
    const misses = [];
    for (const c of CATEGORIES) {
      for (const ref of lhr.categories[c].auditRefs) {
        const a = lhr.audits[ref.id];
        if (ref.weight > 0 && a.score !== null && a.score < 1) misses.push(`${c}: ${a.id} (${a.score}) ${a.displayValue || ''}`);
      }
    }
    const metrics = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift']
      .map((id) => lhr.audits[id]?.displayValue || '').join(' / ');
    rows.push({ name, rel, scores, metrics, misses, allPerf });
    if (scores.some((s) => s < 100)) failed = true;
    console.error(`${name}: ${scores.join(' ')}`);
  }
} finally {
  await server.close();
}

console.log(`\nLighthouse 12.2.3, ${desktop ? 'desktop' : 'mobile'} emulation, ${new Date().toISOString()}\n`);
console.log(`median of ${RUNS} runs per page (performance of every run in brackets)\n`);
console.log('| page | performance | accessibility | best practices | SEO | FCP / LCP / TBT / CLS |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} (\`${r.rel}\`) | ${r.scores[0]} [${r.allPerf.join(', ')}] | ${r.scores.slice(1).join(' | ')} | ${r.metrics} |`);
for (const r of rows) for (const m of r.misses) console.log(`- ${r.name}: ${m}`);
fs.writeFileSync(path.join(out, `table${desktop ? '-desktop' : ''}.json`), JSON.stringify(rows, null, 2));
process.exit(failed ? 1 : 0);
