// Shared helpers for the browser tests: launch Debian's chromium the one way that
// works on this machine, and serve a built site on 127.0.0.1.
//
// The tests are run by `cargo test` (tests/browser.rs), which builds the demo site and
// passes its folder in SVCBOOK_SITE. Each test file may also be run by hand:
//   SVCBOOK_SITE=/path/to/public node --test tests/browser/site.test.mjs
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** The built site under test. */
export function siteDir() {
  const dir = process.env.SVCBOOK_SITE;
  if (!dir || !fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`SVCBOOK_SITE must point at a built site (got ${dir}); run through cargo test`);
  }
  return dir;
}

/** Where screenshots and other artefacts go: target/browser/ of the repo. */
export function artefactDir() {
  const dir = process.env.SVCBOOK_ARTEFACTS || path.resolve(import.meta.dirname, '../../target/browser');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A persistent context with a fresh profile, so no state leaks between runs. */
export async function launch(options = {}) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'svcbook-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    ...options,
  });
  const close = async () => {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, close };
}

const MIME = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.wasm': 'application/wasm', '.xml': 'application/xml',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.txt': 'text/plain; charset=utf-8',
  '.bin': 'application/octet-stream',
};

/**
 * Serves `root` on a free loopback port; resolves to { url, close, requests, setDown }.
 * `setDown(true)` makes every request fail as on a dead network (the socket is
 * dropped without an answer), for offline tests that must not be fooled by a
 * browser's network emulation missing a request.
 * With `{ gzip: true }`, text types (and wasm) go out gzipped when the browser
 * accepts it, as static hosts send them; other types as they are.
 */
export function serve(root, options = {}) {
  const requests = [];
  let down = false;
  const server = http.createServer((req, res) => {
    if (down) { req.socket.destroy(); return; }
    requests.push(req.url);
    let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(root, rel);
    if (!file.startsWith(path.resolve(root)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(fs.existsSync(path.join(root, '404.html')) ? fs.readFileSync(path.join(root, '404.html')) : 'not found');
      return;
    }
    const type = MIME[path.extname(file)] || 'application/octet-stream';
    const body = fs.readFileSync(file);
    if (options.gzip && /^(text\/|application\/(json|xml|wasm)|image\/svg)/.test(type)
      && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
      res.writeHead(200, { 'content-type': type, 'content-encoding': 'gzip', vary: 'accept-encoding' });
      res.end(zlib.gzipSync(body, { level: 9 }));
      return;
    }
    res.writeHead(200, { 'content-type': type });
    res.end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}/`, requests,
        setDown: (v) => { down = v; server.closeIdleConnections?.(); },
        close: () => new Promise((r) => { server.close(r); server.closeAllConnections?.(); }),
      });
    });
  });
}

/**
 * Records console errors, page errors and every request that leaves `origin`
 * (file:// pages: anything not file://). Tests assert both lists are empty.
 */
export function watchPage(page, origin) {
  const consoleErrors = [];
  const external = [];
  page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
  page.on('pageerror', (err) => consoleErrors.push(String(err)));
  page.on('response', (res) => { if (res.status() >= 400) consoleErrors.push(`HTTP ${res.status()} ${res.url()}`); });
  page.on('request', (req) => {
    const url = req.url();
    const inside = origin.startsWith('file:') ? url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:')
      : url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:');
    if (!inside) external.push(url);
  });
  return { consoleErrors, external };
}

/**
 * The browser and the server of the built site for one test file: launched
 * before its tests, closed after them, and handed to `receive(browser, server)`
 * (so the file keeps its own `browser` / `server` names).
 */
export function openSite(receive, dir = undefined) {
  let browser, server;
  before(async () => {
    browser = await launch();
    server = await serve(dir ?? siteDir());
    receive(browser, server);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

/** A watched page ({@link watchPage}) whose alert/confirm dialogs are recorded and dismissed. */
export async function watchedPage(browser, origin) {
  const page = await browser.context.newPage();
  const watch = watchPage(page, origin);
  watch.dialogs = [];
  page.on('dialog', async (d) => { watch.dialogs.push(d.message()); await d.dismiss(); });
  return { page, watch };
}

/** The names of an index's chunk scripts and its warm file (search/index/<name>.js), from the manifest's table. */
export function chunkNames(table) {
  const count = Math.ceil(table.len / table.chunk_size);
  return [...Array.from({ length: count }, (_, n) => `${table.id}-${n}`), table.warm];
}

/** The two widths the layout and accessibility tests use. */
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

/**
 * axe-core on every page of `rels` (relative to `origin`) at phone and desktop
 * widths, light and dark: resolves to { runs, failures }, one line per serious
 * or critical violation. `exclude`: selectors axe leaves out; `ready(page, rel)`:
 * waits for what a page draws after load.
 */
export async function axeSweep(page, origin, rels, { exclude = [], ready } = {}) {
  const axe = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  const failures = [];
  let runs = 0;
  for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    await page.setViewportSize(viewport);
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const rel of rels) {
        await page.goto(origin + rel);
        if (ready) await ready(page, rel);
        await page.addScriptTag({ path: axe });
        const violations = await page.evaluate(async (ex) => (await window.axe.run(
          ex.length ? { exclude: ex.map((sel) => [sel]) } : document, { resultTypes: ['violations'] })).violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`), exclude);
        runs++;
        failures.push(...violations.map((v) => `${size}/${scheme} ${rel}: ${v}`));
      }
    }
  }
  return { runs, failures };
}
