// Hostile markup in a real browser (Debian chromium via playwright-core), driven
// by tests/browser_hostile.rs, which builds tests/sites/bad/hostile-markup and
// starts `svcbook serve` on it, and passes:
//   SVCBOOK_HOSTILE_SITE  the built site (opened from file://)
//   SVCBOOK_SERVE_URL     http://127.0.0.1:PORT/ of `svcbook serve` on the same site
// Every HTML page of the site — articles of every kind, plain pages, the home
// page, learning paths and their print pages, term pages, changes, review —
// is opened both ways. On none may a dialog fire, an element or attribute made
// by the content appear (every payload's element carries `data-hostile`), an
// `on…` handler or script URL exist, the page navigate away or be hidden. The
// search box is asked for the payloads' words too: its hits show body text.
// Not a *.test.mjs file: it needs a running server, so tests/browser.rs must
// not pick it up. Prints one JSON line; exits non-zero on failure.
import fs from 'node:fs';
import path from 'node:path';
import { launch } from './lib.mjs';

const site = process.env.SVCBOOK_HOSTILE_SITE;
const serveUrl = process.env.SVCBOOK_SERVE_URL;
if (!site || !serveUrl) throw new Error('SVCBOOK_HOSTILE_SITE and SVCBOOK_SERVE_URL must be set');

function htmlPages(dir, rel = '') {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) return htmlPages(dir, r);
    return e.name.endsWith('.html') ? [r] : [];
  });
}

/** What the content made of the page, read in the page. */
function inspect() {
  const problems = [];
  for (const e of document.querySelectorAll('[data-hostile]')) problems.push(`element made: ${e.outerHTML.slice(0, 80)}`);
  for (const e of document.querySelectorAll('*')) {
    for (const a of e.attributes) {
      if (/^on/i.test(a.name)) problems.push(`handler ${a.name} on <${e.tagName.toLowerCase()}>`);
      if (['href', 'src', 'action', 'formaction', 'data'].includes(a.name.toLowerCase())
        && /^[\s\u0000-\u001f]*(javascript|vbscript|data:text|data:image\/svg)/i.test(a.value.replace(/[\t\n\r]/g, ''))) {
        problems.push(`script URL in ${a.name} of <${e.tagName.toLowerCase()}>: ${a.value.slice(0, 40)}`);
      }
    }
  }
  for (const e of document.querySelectorAll('iframe, object, embed, meta[http-equiv], base')) problems.push(`<${e.tagName.toLowerCase()}> present`);
  if (getComputedStyle(document.body).display === 'none') problems.push('the body is hidden');
  return problems;
}

const pages = htmlPages(site).sort();
const browser = await launch();
const result = { pages: pages.length, opened: 0, dialogs: [], problems: [], searched: 0 };
try {
  const context = browser.context;
  for (const [mode, base] of [['file', `file://${path.resolve(site)}/`], ['serve', serveUrl]]) {
    for (const rel of pages) {
      const page = await context.newPage();
      page.on('dialog', async (d) => { result.dialogs.push(`${mode} ${rel}: ${d.message()}`); await d.dismiss(); });
      const url = base + rel.split('/').map(encodeURIComponent).join('/');
      await page.goto(url, { waitUntil: 'load' });
      // Time for onload / ontoggle / a meta refresh to act, had any got through.
      await page.waitForTimeout(150);
      if (page.url() !== url) result.problems.push(`${mode} ${rel}: navigated to ${page.url()}`);
      for (const p of await page.evaluate(inspect)) result.problems.push(`${mode} ${rel}: ${p}`);
      result.opened += 1;
      await page.close();
    }
  }
  // The search box shows hits with body text: the payloads' words find them.
  const page = await context.newPage();
  page.on('dialog', async (d) => { result.dialogs.push(`search: ${d.message()}`); await d.dismiss(); });
  await page.goto(serveUrl + 'search.html', { waitUntil: 'load' });
  for (const query of ['alert', 'onerror', 'data-hostile', 'script', '标签']) {
    const input = page.locator('[data-svcbook-search][data-mode="page"] [data-svcbook-search-input]');
    await input.fill(query);
    await page.waitForFunction(() => {
      const w = document.querySelector('[data-svcbook-search][data-mode="page"]');
      return w && w.getAttribute('aria-busy') !== 'true' && w.querySelector('[data-svcbook-result]');
    }, null, { timeout: 30000 });
    await page.waitForTimeout(500);
    for (const p of await page.evaluate(inspect)) result.problems.push(`search "${query}": ${p}`);
    result.searched += 1;
  }
  await page.close();
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
if (result.dialogs.length || result.problems.length || result.opened !== 2 * pages.length) process.exit(1);
