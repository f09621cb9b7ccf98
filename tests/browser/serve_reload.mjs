// Live reload in a real browser (Debian chromium via playwright-core), driven by
// tests/serve_reload.rs, which starts `svcbook serve` on a copy of the demo site
// and passes:
//   SVCBOOK_SERVE_URL  http://127.0.0.1:PORT/
//   SVCBOOK_ARTICLE    the Markdown file to edit
//   SVCBOOK_PAGE       its page, relative to the site root
//   SVCBOOK_OTHER_PAGE a page the edit does not change
// Not a *.test.mjs file: it needs a running server, so tests/browser.rs must not
// pick it up. Prints one JSON line with the timings; exits non-zero on failure.
import fs from 'node:fs';
import assert from 'node:assert/strict';
import { launch } from './lib.mjs';

const url = process.env.SVCBOOK_SERVE_URL;
const article = process.env.SVCBOOK_ARTICLE;
const pagePath = process.env.SVCBOOK_PAGE;
const otherPath = process.env.SVCBOOK_OTHER_PAGE;
const ROUNDS = Number(process.env.SVCBOOK_ROUNDS || 5);
const TIMEOUT = 90_000;

const original = fs.readFileSync(article, 'utf8');
const withMarker = (marker) => original.replace(/\n## ([^\n]+)\n/, (m, h) => `\n## ${h}\n\n${marker}\n`);

const browser = await launch();
const result = { reload_ms: [], overlay_ms: null, recover_ms: null };
try {
  const page = await browser.context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  const other = await browser.context.newPage();

  const connected = (p) => p.waitForSelector('html[data-svcbook-live="connected"]', { state: 'attached', timeout: TIMEOUT });
  await page.goto(url + pagePath);
  await connected(page);
  await other.goto(url + otherPath);
  await connected(other);
  await other.evaluate(() => { window.__stillTheSamePage = true; });

  // Edit → reload, several times; the time is from the write to the reloaded page's load event.
  for (let i = 0; i < ROUNDS; i++) {
    const marker = `实时刷新标记-${i}-${Date.now()}`;
    assert.equal(await page.locator(`text=${marker}`).count(), 0);
    const loaded = page.waitForEvent('load', { timeout: TIMEOUT });
    const t0 = performance.now();
    fs.writeFileSync(article, withMarker(marker));
    await loaded;
    result.reload_ms.push(Math.round(performance.now() - t0));
    await page.waitForSelector(`text=${marker}`, { timeout: TIMEOUT });
    await connected(page);
  }

  // A build error: the overlay shows the diagnostic; the page is not reloaded.
  const lastGood = fs.readFileSync(article, 'utf8');
  const broken = lastGood.replace(/^severity: \w+$/m, 'severity: urgent');
  assert.notEqual(broken, lastGood, 'the article has a severity line to break');
  await page.evaluate(() => { window.__beforeError = true; });
  let t0 = performance.now();
  fs.writeFileSync(article, broken);
  const overlay = await page.waitForSelector('#svcbook-error-overlay', { timeout: TIMEOUT });
  result.overlay_ms = Math.round(performance.now() - t0);
  const text = await overlay.textContent();
  assert.match(text, /error\[E0105\]: `urgent` is not a valid `severity`/);
  assert.match(text, /FC-0001\.md:\d+:\d+/);
  assert.equal(await page.evaluate(() => window.__beforeError), true, 'no reload on a failed build');
  assert.ok(await page.locator('article h1').count() > 0, 'the last good page is still shown');

  // Fixed: the overlay goes and the new text shows.
  const loaded = page.waitForEvent('load', { timeout: TIMEOUT });
  t0 = performance.now();
  fs.writeFileSync(article, withMarker('修好之后'));
  await loaded;
  result.recover_ms = Math.round(performance.now() - t0);
  await page.waitForSelector('text=修好之后', { timeout: TIMEOUT });
  assert.equal(await page.locator('#svcbook-error-overlay').count(), 0);

  assert.equal(await other.evaluate(() => window.__stillTheSamePage), true,
    'a page whose files did not change is not reloaded');
  assert.deepEqual(problems, [], 'no console errors');
} finally {
  fs.writeFileSync(article, original);
  await browser.close();
}
const sorted = [...result.reload_ms].sort((a, b) => a - b);
result.median_reload_ms = sorted[Math.floor(sorted.length / 2)];
console.log(JSON.stringify(result));
