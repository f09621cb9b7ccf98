// Run by tests/doc_trees.rs against the built Hugo-style fixture (not part of
// the demo-site run, hence no `.test.mjs`): an old URL from `aliases` lands
// on the page, over HTTP and from file://, with script off too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openSite, siteDir } from './lib.mjs';

let browser, server;
openSite((b, s) => { browser = b; server = s; });

const NEW_PAGE = '维修手册/空调/e04.html';
const OLD = ['old/e04/', 'old/e04/index.html', 'legacy/e04.html'];

async function landsOnNewPage(url) {
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.waitForURL((u) => decodeURIComponent(u.toString()).endsWith(NEW_PAGE), { timeout: 5000 });
  assert.equal(await page.textContent('h1'), 'E04 排查');
  await page.close();
}

test('an old URL lands on the new page over HTTP', async () => {
  for (const old of OLD) await landsOnNewPage(server.url + old);
});

test('an old URL lands on the new page from file://', async () => {
  for (const old of OLD.filter((o) => o.endsWith('.html'))) {
    await landsOnNewPage(pathToFileURL(path.join(siteDir(), old)).href);
  }
});

test('the redirect page names the new page canonical and links to it', async () => {
  const page = await browser.context.newPage();
  await page.route('**/*', (route) => route.continue());
  const res = await page.request.get(server.url + 'legacy/e04.html');
  const html = await res.text();
  assert.match(html, /<link rel="canonical" href="\.\.\/维修手册\/空调\/e04\.html">/);
  assert.match(html, /<a href="\.\.\/维修手册\/空调\/e04\.html">E04 排查<\/a>/);
  assert.doesNotMatch(html, /<script/);
  await page.close();
});
