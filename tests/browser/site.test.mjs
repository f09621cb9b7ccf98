// The built demo site in a real browser (Debian chromium): navigation to one
// article of every kind, no requests leaving the site, no console errors,
// accessibility (axe-core: no serious or critical violations), and screenshots
// at phone and desktop widths for people to look at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { siteDir, artefactDir, watchPage, openSite } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

let browser, server;
openSite((b, s) => { browser = b; server = s; });

async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

test('home → one article of every kind, offline-clean and accessible', async () => {
  const page = await browser.context.newPage();
  const watch = watchPage(page, server.url);
  await page.goto(server.url + 'index.html');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  const visited = [];
  const kinds = ['fault_case', 'procedure', 'script', 'playbook', 'standard'];
  for (const kind of kinds) {
    await page.goto(server.url + 'index.html');
    await page.click(`a.kind-tile.kind-${kind}`);
    await page.waitForLoadState('load');
    const listed = page.locator('.article-list .article-card-title').first();
    const title = (await listed.textContent()).trim();
    await listed.click();
    await page.waitForLoadState('load');
    assert.equal((await page.locator('article h1').textContent()).trim(), title, `${kind}: link leads to its article`);
    assert.equal(await page.locator(`article.kind-${kind}`).count(), 1, `${kind}: article page of that kind`);
    visited.push(page.url());
    assert.deepEqual(await axeViolations(page), [], `${kind}: ${page.url()}`);
  }
  // A plain page and the generated overview pages too.
  for (const rel of ['about.html', 'time-limits.html', 'products/index.html', 'tags/index.html', 'fault-cases/index.html', 'index.html']) {
    await page.goto(server.url + rel);
    assert.deepEqual(await axeViolations(page), [], rel);
  }
  assert.equal(visited.length, kinds.length);
  assert.deepEqual(watch.external, [], 'no request leaves the site');
  assert.deepEqual(watch.consoleErrors, [], 'no console errors');
  await page.close();
});

test('the procedure checklist is a real checkbox list', async () => {
  const page = await browser.context.newPage();
  await page.goto(server.url + 'procedures/index.html');
  await page.locator('.article-list .article-card-title').first().click();
  const boxes = page.locator('ol[data-checklist] input.step-check');
  assert.ok((await boxes.count()) >= 3, 'steps rendered as checkboxes');
  await boxes.first().check();
  assert.match(await page.locator('[data-checklist-progress]').textContent(), /已完成 1 \//);
  await page.close();
});

test('screenshots of home and a fault case, phone and desktop', async () => {
  const out = artefactDir();
  const page = await browser.context.newPage();
  for (const [name, size] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    await page.setViewportSize(size);
    await page.goto(server.url + 'index.html');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name}: home page fits the width (overflow ${overflow}px)`);
    await page.screenshot({ path: path.join(out, `home-${name}.png`), fullPage: true });
    await page.goto(server.url + 'fault-cases/FC-0001.html');
    const overflowFc = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflowFc <= 0, `${name}: fault case fits the width (overflow ${overflowFc}px)`);
    await page.screenshot({ path: path.join(out, `fault-case-${name}.png`), fullPage: true });
  }
  await page.close();
});

test('the site works opened from file://', async () => {
  const page = await browser.context.newPage();
  const watch = watchPage(page, 'file://');
  await page.goto('file://' + path.join(siteDir(), 'index.html'));
  await page.click('a.kind-tile.kind-standard');
  await page.waitForLoadState('load');
  assert.match(page.url(), /standards\/index\.html$/);
  const css = await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).backgroundColor);
  assert.notEqual(css, 'rgba(0, 0, 0, 0)', 'stylesheet loaded over file://');
  assert.deepEqual(watch.external, []);
  assert.deepEqual(watch.consoleErrors, []);
  await page.close();
});
