// Listings split into pages (`paginate_by`), in a real browser, on
// tests/sites/paginated built with two entries a page (tests/browser.rs passes
// it in SVCBOOK_PAGINATED_SITE): the page numbers lead from page to page over
// file:// with no request leaving the folder; on a phone they wrap inside the
// width as 44px targets; and axe-core finds no serious or critical violation
// on a later page of every kind of listing, phone and desktop, light and dark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openSite, watchPage, axeSweep, PHONE } from './lib.mjs';

// A later page of every kind of listing the fixture has.
const PAGES = [
  'fault-cases/page/2.html', 'faqs/page/2.html', 'tags/' + encodeURIComponent('制冷') + '/page/2.html',
  'error-codes/page/2.html', 'time-limits/page/2.html', 'review/page/2.html', 'guide/page/5.html',
];

function siteDir() {
  const dir = process.env.SVCBOOK_PAGINATED_SITE;
  if (!dir || !fs.existsSync(path.join(dir, 'fault-cases/page/2.html'))) {
    throw new Error(`SVCBOOK_PAGINATED_SITE must point at the built tests/sites/paginated (got ${dir}); run through cargo test`);
  }
  return dir;
}

let browser, server;
openSite((b, s) => { browser = b; server = s; }, siteDir());

const titles = (page) => page.locator('main .article-card-title').allTextContents();

test('the page numbers lead through a listing over file://', async () => {
  const page = await browser.context.newPage();
  const watch = watchPage(page, 'file://');
  await page.goto('file://' + path.join(siteDir(), 'fault-cases/index.html'));
  assert.deepEqual(await titles(page), ['案例 1', '案例 2']);
  const pager = page.getByRole('navigation', { name: '分页' });
  assert.equal(await pager.locator('[aria-current="page"]').textContent(), '1');
  await pager.getByRole('link', { name: '下一页' }).click();
  await page.waitForURL(/fault-cases\/page\/2\.html$/);
  assert.deepEqual(await titles(page), ['案例 3', '案例 4']);
  assert.match(await page.title(), /第 2 页/);
  await pager.getByRole('link', { name: '第 3 页' }).click();
  await page.waitForURL(/fault-cases\/page\/3\.html$/);
  assert.deepEqual(await titles(page), ['案例 5']);
  assert.equal(await pager.getByRole('link', { name: '下一页' }).count(), 0, 'no next page after the last');
  await pager.getByRole('link', { name: '上一页' }).click();
  await page.waitForURL(/fault-cases\/page\/2\.html$/);
  await pager.getByRole('link', { name: '第 1 页' }).click();
  await page.waitForURL(/fault-cases\/index\.html$/);
  // Styles load from the later pages too (their links climb two folders).
  await page.goto('file://' + path.join(siteDir(), 'guide/page/5.html'));
  const current = pager.locator('[aria-current="page"]');
  const bg = await current.evaluate((a) => getComputedStyle(a).backgroundColor);
  assert.notEqual(bg, 'rgba(0, 0, 0, 0)', 'the current page is filled: style.css loaded');
  assert.deepEqual(watch.consoleErrors, []);
  assert.deepEqual(watch.external, []);
  await page.close();
});

test('phone: the page numbers wrap inside the width, each a 44px target', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize(PHONE);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const rel of PAGES) {
      await page.goto(server.url + rel);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${scheme} ${rel}: fits the width (overflow ${overflow}px)`);
      const small = await page.evaluate(() => Array.from(document.querySelectorAll('.pager a'))
        .map((a) => a.getBoundingClientRect())
        .filter((r) => r.width < 43.5 || r.height < 43.5)
        .map((r) => `${r.width.toFixed(0)}×${r.height.toFixed(0)}`));
      assert.deepEqual(small, [], `${scheme} ${rel}`);
      const nav = await page.locator('nav.pager').boundingBox();
      assert.ok(nav.x >= 0 && nav.x + nav.width <= PHONE.width, `${rel}: the nav is inside the screen`);
    }
  }
  // Ten pages: the numbers and gaps of page 5 take at most three rows.
  await page.goto(server.url + 'guide/page/5.html');
  const rows = await page.evaluate(() => new Set(Array.from(document.querySelectorAll('.pager-list > li'))
    .map((li) => Math.round(li.getBoundingClientRect().top))).size);
  assert.ok(rows <= 3, `${rows} rows`);
  await page.close();
});

test('axe-core: no serious or critical violation on later pages, phone and desktop, light and dark', async () => {
  const page = await browser.context.newPage();
  // The folder tree beside a plain page (.section-nav) is left out: its
  // folder links inside <summary> are axe's nested-interactive on every
  // docs-tree page, this branch's or not (reported, not this test's).
  const { runs, failures } = await axeSweep(page, server.url, PAGES, { exclude: ['.section-nav'] });
  assert.equal(runs, PAGES.length * 4);
  assert.deepEqual(failures, []);
  await page.close();
});
