// Offline over http(s): the service worker keeps a saved learning path and the
// search readable with no network, and a rebuilt site replaces the cached one.
// "No network" is both chromium's offline emulation and a server that drops
// every connection, so a request the emulation missed cannot pass unnoticed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, serve, siteDir, watchPage } from './lib.mjs';

let copy, server;
before(async () => {
  // A copy, so the rebuild test may change it.
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'svcbook-offline-'));
  fs.cpSync(siteDir(), copy, { recursive: true });
  server = await serve(copy);
});
after(async () => {
  await server?.close();
  fs.rmSync(copy, { recursive: true, force: true });
});

async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
}

async function until(what, check, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function cacheNames(page) {
  return page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('svcbook:')));
}

test('a learning path saved for offline opens, article by article, and search works with the network off', async () => {
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    const watch = watchPage(page, server.url);
    await page.goto(server.url + 'paths/onboarding.html');
    await controlled(page);
    const button = page.locator('[data-offline-save="path:onboarding"]');
    await button.waitFor({ state: 'visible' });
    assert.match(await button.textContent(), /保存本路径离线阅读（[\d.]+ (KB|MB)）/, 'the size is shown');
    const urls = await page.locator('.path-item > a').evaluateAll((as) => as.map((a) => a.href));
    assert.ok(urls.length >= 8, `the path lists its articles (${urls.length})`);
    await button.click();
    await page.waitForFunction(() => document.querySelector('[data-offline-save="path:onboarding"]').getAttribute('data-offline-state'), null, { timeout: 60000 });
    assert.equal(await button.getAttribute('data-offline-state'), 'saved', await page.locator('#offline-status-onboarding').textContent());
    assert.match(await page.locator('#offline-status-onboarding').textContent(), /已保存到本机/);

    await browser.context.setOffline(true);
    server.setDown(true);
    const before = server.requests.length;
    for (const url of urls) {
      const res = await page.goto(url);
      assert.equal(res.status(), 200, url);
      const h1 = (await page.locator('article h1').textContent()).trim();
      assert.ok(h1.length > 0, `${url} shows its article`);
      // The stylesheet came from the cache too.
      const bg = await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).backgroundColor);
      assert.notEqual(bg, 'rgba(0, 0, 0, 0)', `${url}: styled offline`);
    }
    // The search page, and the search box of an article.
    await page.goto(server.url + 'search.html?q=E04');
    await page.locator('[data-svcbook-result]').first().waitFor({ timeout: 30000 });
    assert.ok(await page.locator('[data-svcbook-result]').count() > 0, 'search answers offline');
    const snippet = await page.locator('[data-svcbook-result-snippet]').first().textContent();
    assert.ok(snippet.trim().length > 0, 'snippets load offline');
    await page.goto(urls[0]);
    await page.fill('[data-mode="dropdown"] [data-svcbook-search-input]', '不制冷');
    await page.locator('[data-mode="dropdown"] [data-svcbook-result]').first().waitFor({ timeout: 30000 });
    // A hit's address carries ?highlight=: the saved copy (kept by path) still answers it.
    const title = (await page.locator('article h1').textContent()).trim();
    const landed = await page.goto(urls[0].split('#')[0] + '?highlight=' + encodeURIComponent(title.slice(0, 2)));
    assert.equal(landed.status(), 200, 'a page address with a query opens offline');
    await page.locator('mark[data-search-highlight]').first().waitFor({ timeout: 5000 });
    assert.equal(server.requests.length, before, 'nothing reached the server while offline');

    // A page never visited nor saved says so instead of the browser's error.
    const res = await page.goto(server.url + 'tags/index.html');
    assert.equal(res.status(), 503);
    assert.match(await page.locator('h1').textContent(), /离线/);
    await browser.context.setOffline(false);
    server.setDown(false);
    assert.deepEqual(watch.external, []);
    await page.close();
  } finally {
    await browser.close();
    server.setDown(false);
  }
});

test('the whole site saved for offline: every file of the list, search included, opens with the network off', async () => {
  // No search precache on the first visit: what is cached comes from the save.
  const listFile = path.join(copy, 'offline.json');
  const original = fs.readFileSync(listFile, 'utf8');
  fs.writeFileSync(listFile, JSON.stringify({ ...JSON.parse(original), search_precache_bytes: 0 }));
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    await page.goto(server.url + 'paths/index.html');
    await controlled(page);
    const button = page.locator('[data-offline-save="site"]');
    await button.waitFor({ state: 'visible' });
    // The size shown is the list's pages and search files, each counted once.
    const list = JSON.parse(original);
    assert.ok(list.other.every(([rel]) => !rel.startsWith('search/')), 'search files are listed once');
    const total = [...list.other, ...list.search].reduce((sum, [, bytes]) => sum + bytes, 0);
    const shown = (await button.textContent()).match(/（([\d.]+) MB）/);
    assert.ok(shown, await button.textContent());
    assert.ok(Math.abs(Number(shown[1]) - total / 1e6) < 0.1, `${shown[1]} MB shown, ${total} bytes listed`);
    await button.click();
    await page.waitForFunction(() => document.querySelector('[data-offline-save="site"]').getAttribute('data-offline-state'), null, { timeout: 120000 });
    assert.equal(await button.getAttribute('data-offline-state'), 'saved', await page.locator('#offline-status-site').textContent());
    const cache = (await cacheNames(page))[0];
    assert.equal(await page.evaluate(async (name) => (await caches.open(name)).match(location.origin + '/search/manifest.json').then(Boolean), cache), true, 'search saved');
    const cached = new Set(await page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => r.url), cache));
    for (const [rel] of [...list.other, ...list.search]) assert.ok(cached.has(new URL(rel, server.url).href), `${rel} saved`);

    await browser.context.setOffline(true);
    server.setDown(true);
    const res = await page.goto(server.url + 'tags/index.html');
    assert.equal(res.status(), 200, 'a page never visited opens from the saved site');
    await page.goto(server.url + 'search.html?q=' + encodeURIComponent('压缩机'));
    await page.locator('[data-svcbook-result]').first().waitFor({ timeout: 30000 });
    await browser.context.setOffline(false);
    server.setDown(false);
    await page.close();
  } finally {
    await browser.close();
    server.setDown(false);
    fs.writeFileSync(listFile, original);
  }
});

test('pages visited are kept; a rebuilt site replaces the cached one', async () => {
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    await page.goto(server.url + 'index.html');
    await controlled(page);
    const first = await cacheNames(page);
    assert.equal(first.length, 1, `one cache: ${first}`);
    // The search runtime and index were cached on this first visit (the demo's are under 10 MB).
    const list = JSON.parse(fs.readFileSync(path.join(copy, 'offline.json'), 'utf8'));
    const cached = await page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => r.url), first[0]);
    for (const [rel] of list.search) assert.ok(cached.includes(server.url + rel), `${rel} precached`);
    // A visited page is kept.
    await page.goto(server.url + 'fault-cases/FC-0001.html');
    await browser.context.setOffline(true);
    server.setDown(true);
    assert.equal((await page.goto(server.url + 'fault-cases/FC-0001.html')).status(), 200);
    await browser.context.setOffline(false);
    server.setDown(false);

    // "Rebuild": another stylesheet and so another build hash in sw.js.
    const css = path.join(copy, 'assets/style.css');
    fs.appendFileSync(css, '\n.rebuilt-marker { color: red; }\n');
    const sw = path.join(copy, 'sw.js');
    const js = fs.readFileSync(sw, 'utf8').replace(/const VERSION = "([0-9a-f]+)";/, 'const VERSION = "$1-rebuilt";');
    fs.writeFileSync(sw, js);
    const reg = await page.evaluate(async () => { const r = await navigator.serviceWorker.getRegistration(); await r.update(); return true; });
    assert.ok(reg);
    await until('the new build to take over', async () => {
      const names = await cacheNames(page);
      return names.length === 1 && names[0].endsWith('-rebuilt');
    });
    const after = await cacheNames(page);
    assert.equal(after.length, 1, `old cache deleted: ${after}`);
    assert.ok(after[0].endsWith('-rebuilt'));
    await page.goto(server.url + 'index.html');
    const text = await page.evaluate(async () => (await fetch('assets/style.css')).text());
    assert.ok(text.includes('rebuilt-marker'), 'the new build\'s files are served');
    await page.close();
  } finally {
    await browser.close();
  }
});

test('no service worker on file://', async () => {
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    const watch = watchPage(page, 'file://');
    await page.goto('file://' + path.join(siteDir(), 'paths/onboarding.html'));
    await page.waitForTimeout(300);
    assert.equal(await page.locator('[data-offline-save]:visible').count(), 0, 'no save button where it cannot work');
    assert.deepEqual(watch.consoleErrors, []);
  } finally {
    await browser.close();
  }
});
