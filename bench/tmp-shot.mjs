import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const p = await b.newPage({ viewport: { width: 900, height: 640 } });
await p.goto('file://' + process.argv[2]);
await p.screenshot({ path: process.argv[3] });
await b.close();
