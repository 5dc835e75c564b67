// Writes docs/demo-calculator.png and docs/demo-gallery.jpg, the README's pictures of the demo
// page, from demo/dist in Debian's headless Chromium (npm run demo:build first).
//   node scripts/screenshot-demo.mjs
import { chromium } from 'playwright-core';
import { DEMO_CSP, serve } from './serve.mjs';

const root = new URL('..', import.meta.url).pathname;
const { url, close } = await serve({ mounts: { '/': `${root}demo/dist` }, headers: () => ({ 'Content-Security-Policy': DEMO_CSP }) });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1180, height: 900 }, deviceScaleFactor: 1 });
await page.goto(`${url}/`);
await page.waitForSelector('body[data-ready="true"]');
await page.waitForSelector('body[data-gallery="ready"]');
await page.selectOption('[name="mode"]', 'same');
await page.click('[data-grid="output"] td[data-row="0"][data-col="0"] button');
await (await page.$('#calculator')).screenshot({ path: `${root}docs/demo-calculator.png` });
await (await page.$('#gallery')).screenshot({ path: `${root}docs/demo-gallery.jpg`, type: 'jpeg', quality: 82 });
await browser.close();
await close();
console.log('wrote docs/demo-calculator.png and docs/demo-gallery.jpg');
