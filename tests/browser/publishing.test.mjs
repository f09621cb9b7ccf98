// Learning paths and checklists in a real browser: ticks survive a reload
// (localStorage), previous/next navigation walks a path, and a path's printable
// page prints to a multi-page PDF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { artefactDir, watchPage, openSite } from './lib.mjs';

let browser, server;
openSite((b, s) => { browser = b; server = s; });

test('ticks on a learning path and a procedure survive a reload', async () => {
  const page = await browser.context.newPage();
  const watch = watchPage(page, server.url);
  await page.goto(server.url + 'paths/onboarding.html');
  const items = page.locator('input[data-path-item]');
  assert.ok((await items.count()) >= 8);
  await items.nth(0).check();
  await items.nth(2).check();
  assert.match(await page.locator('.path-progress').textContent(), /已学完 2 \//);
  await page.reload();
  assert.equal(await items.nth(0).isChecked(), true);
  assert.equal(await items.nth(1).isChecked(), false);
  assert.equal(await items.nth(2).isChecked(), true);

  await page.goto(server.url + 'procedures/PR-0001.html');
  const steps = page.locator('ol[data-checklist] input.step-check');
  await steps.nth(1).check();
  await page.reload();
  assert.equal(await steps.nth(1).isChecked(), true);
  assert.equal(await steps.nth(0).isChecked(), false);
  await page.click('[data-checklist-reset]');
  await page.reload();
  assert.equal(await steps.nth(1).isChecked(), false, 'reset clears the stored ticks');
  assert.deepEqual(watch.consoleErrors, []);
  await page.close();
});

test('previous/next navigation walks a path in order', async () => {
  const page = await browser.context.newPage();
  await page.goto(server.url + 'paths/onboarding.html');
  const ids = await page.locator('input[data-path-item]').evaluateAll((els) => els.map((e) => e.getAttribute('data-path-item')));
  await page.locator('.path-item a').first().click();
  const seen = [];
  for (let i = 0; i < ids.length; i++) {
    seen.push(await page.locator('article[data-article-id]').getAttribute('data-article-id'));
    const nav = page.locator('nav[data-path-nav]', { hasText: '新员工入职' });
    assert.match(await nav.locator('.path-nav-title').textContent(), new RegExp(`第 ${i + 1} / ${ids.length} 篇`));
    if (i + 1 < ids.length) await nav.locator('a.path-next').click();
    else assert.equal(await nav.locator('a.path-next').count(), 0, 'last article has no next');
  }
  assert.deepEqual(seen, ids);
  // And back one step.
  await page.locator('nav[data-path-nav]', { hasText: '新员工入职' }).locator('a.path-prev').click();
  assert.equal(await page.locator('article[data-article-id]').getAttribute('data-article-id'), ids[ids.length - 2]);
  await page.close();
});

test('a path prints to PDF with one article per page or more', async () => {
  const page = await browser.context.newPage();
  await page.goto(server.url + 'paths/onboarding.html');
  await page.locator('input[data-path-item]').first().check();
  await page.goto(server.url + 'paths/onboarding-print.html');
  const articles = await page.locator('section.print-article').count();
  assert.ok(articles >= 8);
  const out = artefactDir();
  const pdfPath = path.join(out, 'path-onboarding.pdf');
  await page.pdf({ path: pdfPath, format: 'A4', printBackground: true });
  const pdf = fs.readFileSync(pdfPath, 'latin1');
  const pages = (pdf.match(/\/Type\s*\/Page[^s]/g) || []).length;
  // Cover + table of contents, then every article starts on a new page.
  assert.ok(pages >= articles + 1, `${pages} PDF pages for ${articles} articles`);
  fs.writeFileSync(path.join(out, 'path-onboarding-pages.txt'), `${pages} pages, ${articles} articles\n`);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '2', '-l', '2', pdfPath, path.join(out, 'path-onboarding-page')]);
  const png = fs.readdirSync(out).find((f) => f.startsWith('path-onboarding-page') && f.endsWith('.png'));
  assert.ok(png, 'page 2 rendered to PNG');
  // Checkboxes print empty and the site chrome is hidden.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isVisible(), false);
  await page.close();
});
