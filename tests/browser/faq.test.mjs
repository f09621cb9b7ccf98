// The FAQ kind in a real browser, on a phone: an accordion of <details> that
// opens by tap, a link to one question opens that question (with JavaScript
// off too), a search hit's section lands on the question opened, and the
// result badge and facet carry the kind's label from the registry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, serve, siteDir, artefactDir, watchPage } from './lib.mjs';

const PHONE = { width: 390, height: 844 };
const Q = '发票丢了还能保修吗';

let browser, noScript, server;
before(async () => {
  browser = await launch();
  noScript = await launch({ javaScriptEnabled: false });
  server = await serve(siteDir());
});
after(async () => {
  await browser?.close();
  await noScript?.close();
  await server?.close();
});

async function phone(ctx) {
  const page = await ctx.context.newPage();
  await page.setViewportSize(PHONE);
  return page;
}

const openState = (page) => page.$$eval('details.faq-item', (ds) => ds.map((d) => d.open));

test('phone: questions start closed, open on a tap (click), and are thumb-sized', async () => {
  const page = await phone(browser);
  const watch = watchPage(page, server.url);
  await page.goto(server.url + 'faqs/FAQ-0001.html');
  const states = await openState(page);
  assert.equal(states.length, 5);
  assert.ok(states.every((o) => !o), 'all closed at first');
  const summary = page.locator('summary.faq-question').nth(1);
  const box = await summary.boundingBox();
  assert.ok(box.height >= 44 && box.width >= 300, `tap target ${box.width}×${box.height}`);
  const answer = page.locator('.faq-answer').nth(1);
  assert.equal(await answer.isVisible(), false);
  await summary.click();
  assert.ok(await answer.isVisible(), 'the answer shows after a tap');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `fits the width (overflow ${overflow}px)`);
  await summary.click();
  assert.equal(await answer.isVisible(), false, 'a second tap closes it');
  await page.locator("summary.faq-question").first().click();
  await page.screenshot({ path: path.join(artefactDir(), 'faq-phone.png'), fullPage: true });
  assert.deepEqual(watch.consoleErrors, []);
  await page.close();
});

for (const [name, ctx] of [['with JavaScript', () => browser], ['without JavaScript', () => noScript]]) {
  test(`a link to one question opens that question only (${name})`, async () => {
    const page = await phone(ctx());
    await page.goto(server.url + 'faqs/FAQ-0001.html#' + encodeURIComponent(Q));
    await page.waitForFunction(() => document.querySelectorAll('details.faq-item[open]').length === 1);
    const open = await page.$$eval('details.faq-item[open] summary', (s) => s.map((e) => e.textContent));
    assert.deepEqual(open, [Q + '？']);
    const answer = page.locator('#' + Q);
    assert.ok(await answer.isVisible());
    const top = (await answer.boundingBox()).y;
    assert.ok(top >= 0 && top < PHONE.height, `the answer is in view (y=${top})`);
    await page.close();
  });
}

test('a search hit lands on the question, opened', async () => {
  const page = await phone(browser);
  await page.goto(server.url + 'search.html?q=' + encodeURIComponent('发票丢了'));
  const first = page.locator('[data-svcbook-search][data-mode="page"] [data-svcbook-result]').first();
  await first.waitFor({ timeout: 20000 });
  assert.equal(await first.getAttribute('data-id'), 'FAQ-0001');
  assert.equal((await first.locator('[data-svcbook-result-kind]').textContent()).trim(), '常见问题');
  // Folded away on a phone, and counted only once opened.
  await page.locator('[data-svcbook-search][data-mode="page"] [data-svcbook-filters] > summary').click();
  const facet = page.locator('[data-svcbook-search][data-mode="page"] [data-svcbook-facet="kind"][data-value="faq"]');
  await facet.waitFor({ timeout: 20000 });
  assert.match(await facet.textContent(), /常见问题/, 'the kind facet shows the label');
  const section = first.locator('a[data-svcbook-result-section]').first();
  await section.waitFor({ timeout: 20000 });
  assert.equal((await section.locator('.svcb-result-section-heading').textContent()).trim(), Q + '？');
  await Promise.all([page.waitForNavigation(), section.click()]);
  assert.match(decodeURIComponent(page.url()), new RegExp('faqs/FAQ-0001\\.html.*#' + Q + '$'));
  await page.waitForFunction((q) => {
    const el = document.getElementById(q);
    return el && el.closest('details').open;
  }, Q);
  await page.close();
});
