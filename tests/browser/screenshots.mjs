// Screenshots for people to look at (not a test): phone (390×844) and desktop,
// light and dark, of the home page, an article, search with results, changes,
// review and the error-code index.
//   SVCBOOK_SITE=/path/to/public node tests/browser/screenshots.mjs OUT_DIR
import path from 'node:path';
import fs from 'node:fs';
import { launch, serve, siteDir } from './lib.mjs';

const out = process.argv[2] || 'shots';
fs.mkdirSync(out, { recursive: true });
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } };
const PAGES = {
  home: 'index.html',
  article: 'fault-cases/FC-0001.html',
  procedure: 'procedures/PR-0001.html',
  search: 'search.html?q=E04',
  changes: 'changes.html',
  review: 'review.html',
  'error-codes': 'error-codes/index.html',
  'time-limits': 'time-limits.html',
};
const only = process.env.ONLY ? process.env.ONLY.split(',') : null;

const browser = await launch();
const server = await serve(siteDir());
try {
  const page = await browser.context.newPage();
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [name, rel] of Object.entries(PAGES)) {
        if (only && !only.includes(name)) continue;
        await page.goto(server.url + rel);
        if (name === 'search') await page.locator('[data-svcbook-result]').first().waitFor({ timeout: 30000 });
        await page.waitForTimeout(150);
        const file = path.join(out, `${name}-${size}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: process.env.FULL === '1' });
        console.log(file);
      }
    }
  }
} finally {
  await server.close();
  await browser.close();
}
