// The site on a phone (390×844) and on a desktop, light and dark: a compact
// header with a working menu, tap targets big enough for a thumb, steps that
// tick with a tap, tables that scroll instead of squeezing, heading links that
// work on touch, the dark-mode toggle remembered, recent searches, and no
// serious or critical axe-core violation on any page type in any of the four.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, axeSweep, PHONE, DESKTOP } from './lib.mjs';

// One page of every type the site makes.
const PAGES = [
  'index.html', 'fault-cases/FC-0001.html', 'procedures/PR-0001.html', 'scripts/SC-0001.html',
  'playbooks/PB-0001.html', 'standards/ST-0001.html', 'faqs/FAQ-0001.html', 'faqs/index.html',
  'about.html', 'fault-cases/index.html',
  'time-limits.html', 'search.html?q=E04', 'paths/index.html', 'paths/onboarding.html',
  'paths/onboarding-print.html', 'changes.html', 'review.html', 'error-codes/index.html',
  'error-codes/E04.html', 'tags/index.html', 'products/index.html', '404.html',
  // Landed from a search hit: highlighted terms and the bar that clears them.
  'fault-cases/FC-0001.html?highlight=E04&highlight=' + encodeURIComponent('冷媒') + '#处理',
];

let browser, server;
openSite((b, s) => { browser = b; server = s; });

async function phonePage(scheme = 'light') {
  const page = await browser.context.newPage();
  await page.setViewportSize(PHONE);
  await page.emulateMedia({ colorScheme: scheme });
  return page;
}

test('phone: the header is at most 100px tall on every page and its menu opens', async () => {
  const page = await phonePage();
  for (const rel of PAGES) {
    await page.goto(server.url + rel);
    const header = await page.locator('.site-header').boundingBox();
    if (rel.endsWith('-print.html')) continue; // printed pages have no header on paper, but keep it on screen
    assert.ok(header.height <= 100, `${rel}: header ${header.height}px`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${rel}: the page fits the width (overflow ${overflow}px)`);
  }
  await page.goto(server.url + 'fault-cases/FC-0001.html');
  const menu = page.locator('.site-menu > summary');
  const box = await menu.boundingBox();
  assert.ok(box.width >= 44 && box.height >= 44, `menu button ${box.width}×${box.height}`);
  assert.equal(await page.locator('.site-menu-panel a').first().isVisible(), false, 'menu starts closed');
  await menu.click();
  const links = page.locator('.site-menu-panel a');
  assert.ok(await links.first().isVisible(), 'menu opens');
  await page.locator('.site-menu-panel a', { hasText: '维修流程' }).click();
  await page.waitForURL(/procedures\/index\.html$/);
  await page.close();
});

test('desktop: the header is one row at 1280px (every kind, time limits, paths, search box, toggle)', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize(DESKTOP);
  await page.goto(server.url + 'index.html');
  const header = await page.locator('.site-header').boundingBox();
  const toggle = await page.locator('[data-theme-toggle]').boundingBox();
  const search = await page.locator('.site-header [data-svcbook-search-input]').boundingBox();
  assert.ok(header.height <= 64, `header ${header.height}px`);
  assert.ok(Math.abs(toggle.y - search.y) < 12, `toggle (y ${toggle.y}) on the search box's row (y ${search.y})`);
  await page.close();
});

test('phone: tap targets are at least 24px, primary controls 44px', async () => {
  const page = await phonePage();
  const failures = [];
  for (const rel of ['index.html', 'procedures/PR-0001.html', 'search.html?q=E04', 'paths/onboarding.html', 'tags/index.html', 'procedures/PR-0001.html?highlight=' + encodeURIComponent('安全')]) {
    await page.goto(server.url + rel);
    if (rel.startsWith('search')) {
      await page.locator('[data-svcbook-result]').first().waitFor();
      await page.locator('[data-svcbook-filters] > summary').click();
      await page.locator('[data-svcbook-facet]').first().waitFor(); // counted once opened
    }
    const small = await page.evaluate(() => {
      const out = [];
      const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
      // Inline links inside running text are exempt (WCAG 2.5.8); controls are not.
      for (const el of document.querySelectorAll('button, input, summary, select, .svcb-facet, .term-cloud a, .heading-anchor')) {
        if (!visible(el)) continue;
        const r = el.getBoundingClientRect();
        const primary = el.matches('.icon-button, .site-header .svcb-input, .button, .checklist-reset');
        const min = primary ? 44 : 24;
        if (r.width < min - 0.5 || r.height < min - 0.5) out.push(`${el.outerHTML.slice(0, 80)} ${r.width.toFixed(0)}×${r.height.toFixed(0)} < ${min}`);
      }
      return out;
    });
    failures.push(...small.map((s) => `${rel}: ${s}`));
  }
  assert.deepEqual(failures, []);
  await page.close();
});

test('phone: a tap on a step\'s text ticks it', async () => {
  const page = await phonePage();
  await page.goto(server.url + 'procedures/PR-0003.html');
  const step = page.locator('ol[data-checklist] li.step').nth(1);
  const box = step.locator('input.step-check');
  assert.equal(await box.isChecked(), false);
  await step.scrollIntoViewIfNeeded();
  const bounds = await step.boundingBox();
  await page.mouse.click(bounds.x + bounds.width - 20, bounds.y + bounds.height / 2);
  assert.equal(await box.isChecked(), true, 'tapping the text ticked the step');
  assert.match(await page.locator('[data-checklist-progress]').textContent(), /已完成 1 \//);
  await page.mouse.click(bounds.x + bounds.width - 20, bounds.y + bounds.height / 2);
  assert.equal(await box.isChecked(), false, 'a second tap unticks it');
  await page.close();
});

test('phone: wide tables scroll instead of squeezing their cells', async () => {
  const page = await phonePage();
  for (const rel of ['time-limits.html', 'changes.html', 'index.html']) {
    await page.goto(server.url + rel);
    const narrow = await page.evaluate(() => {
      const cells = Array.from(document.querySelectorAll('main td, main th'));
      return cells.map((c) => c.getBoundingClientRect().width).filter((w) => w > 0 && w < 60).length;
    });
    assert.equal(narrow, 0, `${rel}: no cell narrower than 60px`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${rel}: the table scrolls inside its box, not the page`);
  }
  await page.close();
});

test('heading links are visible without hover and a tap copies the link', async () => {
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.replace(/\/$/, '') });
  const page = await phonePage();
  await page.goto(server.url + 'procedures/PR-0001.html');
  const anchor = page.locator('.prose h2 .heading-anchor').first();
  const color = await anchor.evaluate((a) => getComputedStyle(a).color);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(color, bg);
  // Contrast of the resting state against the page (axe checks the number; here: not the old pale grey).
  assert.notEqual(color, 'rgb(215, 221, 230)', 'not the border colour any more');
  const box = await anchor.boundingBox();
  assert.ok(box.width >= 24 && box.height >= 24, `${box.width}×${box.height}`);
  await anchor.click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const href = await anchor.evaluate((a) => a.href);
  assert.equal(copied, href);
  assert.ok(copied.includes('#'), copied);
  assert.equal(await anchor.getAttribute('data-copied'), '');
  await page.close();
});

test('dark mode follows the system and the toggle is remembered', async () => {
  const page = await phonePage('dark');
  await page.goto(server.url + 'index.html');
  const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const dark = await bg();
  assert.equal(dark, 'rgb(18, 22, 28)', 'system dark → dark page');
  const toggle = page.locator('[data-theme-toggle]');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  await toggle.click();
  assert.equal(await bg(), 'rgb(255, 255, 255)', 'toggled to light');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  await page.goto(server.url + 'changes.html');
  assert.equal(await bg(), 'rgb(255, 255, 255)', 'remembered on the next page');
  await page.locator('[data-theme-toggle]').click();
  await page.emulateMedia({ colorScheme: 'light' });
  // The pick is applied before the deferred scripts run (no white flash): the
  // document becomes interactive before any deferred script executes.
  await page.addInitScript(() => document.addEventListener('readystatechange', () => {
    if (document.readyState === 'interactive') window.__themeAtParse = document.documentElement.getAttribute('data-theme');
  }));
  await page.reload();
  assert.equal(await bg(), 'rgb(18, 22, 28)', 'the reader\'s dark choice beats the system\'s light');
  assert.equal(await page.evaluate(() => window.__themeAtParse), 'dark', 'dark set before site.js ran');
  await page.evaluate(() => localStorage.removeItem('svcbook:theme'));
  await page.close();
});

test('phone: pages do not move once drawn (no layout shift), the search page included', async () => {
  // Lighthouse counts shifts that no input caused; the search page opened with
  // ?q= once scored CLS 0.31 because rows grew when their sections arrived.
  for (const rel of ['index.html', 'fault-cases/FC-0001.html', 'search.html?q=E04', 'search.html?q=' + encodeURIComponent('不制冷'), 'paths/index.html']) {
    const page = await phonePage();
    await page.addInitScript(() => {
      window.__shifts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value);
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(server.url + rel);
    if (rel.startsWith('search.html')) {
      await page.locator('[data-mode="page"] [data-svcbook-result]').first().waitFor();
      // Sections and body snippets are in before the rows are drawn.
      await page.waitForFunction(() => !document.querySelector('[data-mode="page"][aria-busy]'));
      assert.ok(await page.locator('[data-mode="page"] [data-svcbook-result-sections]').count() > 0, `${rel}: sections shown`);
    }
    await page.waitForTimeout(300);
    const shifts = await page.evaluate(() => window.__shifts);
    assert.deepEqual(shifts, [], `${rel}: layout shifts ${JSON.stringify(shifts)}`);
    await page.close();
  }
});

test('phone: search filters fold behind one control; recent searches are offered', async () => {
  const page = await phonePage();
  await page.goto(server.url + 'fault-cases/FC-0001.html');
  const widget = page.locator('[data-mode="dropdown"]');
  await widget.locator('[data-svcbook-search-input]').fill('E04');
  const first = widget.locator('[data-svcbook-result]').first();
  await first.waitFor();
  const toggle = widget.locator('[data-svcbook-filters] > summary');
  // Folded, the counts are not even made: a phone's first query does not
  // download the facet column. Opening the panel counts them.
  assert.equal((await toggle.textContent()).trim(), '筛选');
  assert.equal(await widget.locator('[data-svcbook-facet]').count(), 0, 'no chips before the panel opens');
  const panelTop = (await widget.locator('[data-svcbook-search-panel]').boundingBox()).y;
  const resultTop = (await first.boundingBox()).y;
  assert.ok(resultTop - panelTop < 100, `first result ${resultTop - panelTop}px below the panel's top`);
  await toggle.click();
  await widget.locator('[data-svcbook-facet="kind"]').first().waitFor();
  assert.match(await widget.locator('[data-svcbook-filters] > summary').textContent(), /筛选（\d+ 项可选）/);
  assert.equal(await widget.locator('[data-svcbook-filters]').getAttribute('open'), '', 'the panel stays open with its counts');
  await widget.locator('[data-svcbook-facet="kind"]').first().click();
  await page.waitForFunction(() => /已选 1 项/.test(document.querySelector('[data-mode="dropdown"] [data-svcbook-filters] > summary')?.textContent || ''));

  // Opening a result remembers the query; an empty box offers it again.
  await widget.locator('[data-svcbook-result] a').first().click();
  await page.waitForLoadState('load');
  const box = page.locator('[data-mode="dropdown"] [data-svcbook-search-input]');
  await box.focus();
  const recent = page.locator('[data-mode="dropdown"] [data-svcbook-recent-query]');
  await recent.first().waitFor();
  assert.equal(await recent.first().textContent(), 'E04');
  await recent.first().click();
  await page.locator('[data-mode="dropdown"] [data-svcbook-result]').first().waitFor();
  assert.equal(await box.inputValue(), 'E04');
  await page.evaluate(() => localStorage.removeItem('svcbook:recent-searches'));
  await page.close();
});

test('axe-core: no serious or critical violation on any page type, phone and desktop, light and dark', async () => {
  const page = await browser.context.newPage();
  const ready = async (p, rel) => {
    if (rel.startsWith('search')) await p.locator('[data-svcbook-result]').first().waitFor();
  };
  const { runs, failures } = await axeSweep(page, server.url, PAGES, { ready });
  assert.equal(runs, PAGES.length * 4);
  assert.deepEqual(failures, []);
  await page.close();
});
