// The benchmark grid in headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH, driven
// by playwright-core), where relaxed SIMD runs by default and the page is cross-origin isolated so
// that tfjs-backend-wasm and onnxruntime-web can use threads. The page (bench/browser/) runs the
// same workloads as `npm run bench` (bench/workloads.mjs) once with the peers on one thread and
// once on two; simdconv is single-threaded in both. Rewrites the browser section of
// bench/RESULTS.md and bench/grid-browser.svg when the whole grid ran.
//   npm run bench:browser  (node bench/browser.mjs [--rounds 5 --time 200 --only w1,w5 --threads 1,2])
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { chromium } from 'playwright-core';
import { ISOLATION, serve } from '../scripts/serve.mjs';
import { barChart } from './chart.mjs';
import { parseArgs } from './report.mjs';
import { RATIOS, markdownTable, tables, taskNames } from './workloads.mjs';

const args = parseArgs({ rounds: 5, time: 200, only: '', threads: '1,2' });
const root = new URL('../', import.meta.url).pathname;
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`${executablePath} is missing: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
  process.exit(1);
}
if (!existsSync(`${root}dist/index.js`)) {
  console.error('dist/index.js is missing: run npm run build first');
  process.exit(1);
}

const server = await serve({
  mounts: { '/dist/': `${root}dist`, '/node_modules/': `${root}node_modules`, '/bench/': `${root}bench` },
  headers: () => ISOLATION,
});
const browser = await chromium.launch({
  executablePath,
  args: ['--js-flags=--expose-gc', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const runs = [];
try {
  for (const threads of String(args.threads).split(',').map(Number)) {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    page.on('crash', () => console.error('the page crashed'));
    page.on('console', (m) => m.type() === 'error' && console.error(`page console: ${m.text()}`));
    const query = new URLSearchParams({ threads: String(threads), rounds: String(args.rounds), time: String(args.time), only: String(args.only) });
    await page.goto(`${server.url}/bench/browser/index.html?${query}`);
    let printed = 0;
    for (;;) {
      const state = await page.evaluate(() => ({ grid: window.__grid ?? null, log: document.getElementById('log')?.textContent ?? '' }));
      const lines = state.log.split('\n');
      for (; printed < lines.length; printed++) process.stderr.write(`[${threads} thread${threads > 1 ? 's' : ''}] ${lines[printed]}\n`);
      if (state.grid) {
        if (state.grid.error) throw new Error(`the page failed: ${state.grid.error}`);
        runs.push(state.grid);
        break;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}

const date = new Date().toISOString();
const chromiumVersion = runs[0].meta.userAgent.match(/Chrome\/([\d.]+)/)?.[1] ?? runs[0].meta.userAgent;
const sections = [];
for (const { results, meta } of runs) {
  const names = taskNames({ opencv: meta.opencv, tfjs: meta.tfjs.version, ort: meta.ort.version });
  const { ratios, times } = tables(results, names);
  const peers = `peers on ${meta.threads} thread${meta.threads > 1 ? 's' : ''} (tfjs-wasm ${meta.tfjs.threads}, onnxruntime-web ${meta.ort.threads}; cross-origin isolated: ${meta.crossOriginIsolated})`;
  const ours = meta.pool ? `simdconv on one thread (${meta.backend}) and its pool of ${meta.pool.threads} workers (${meta.pool.mode} mode, plain SIMD)` : `simdconv on one thread (${meta.backend})`;
  const text = [`### Chromium ${chromiumVersion}, ${peers}; ${ours}`, '', markdownTable(ratios), '', markdownTable(times)].join('\n');
  console.log(text);
  console.log('');
  sections.push({ meta, results, text });
}

if (!String(args.only)) {
  const series = RATIOS.slice(0, 5).map(([c]) => c);
  const single = sections.find((s) => s.meta.threads === 1) ?? sections[0];
  writeFileSync(new URL('./grid-browser.svg', import.meta.url), barChart({
    title: `simdconv, one thread, Chromium ${chromiumVersion.split('.')[0]}: how many times faster (${date.slice(0, 10)})`,
    subtitle: `nproc ${cpus().length}, ${cpus()[0].model}; peers on one thread`,
    note: `Peers, one thread each: opencv.js ${single.meta.opencv}, tfjs-wasm ${single.meta.tfjs.version}, onnxruntime-web ${single.meta.ort.version}. Bars: peer time / simdconv plain SIMD time.`,
    groups: single.results.map((r) => r.workload),
    series,
    values: single.results.map((r) => series.map((c) => r.ratios[c])),
  }));
  const header = [
    `Command: \`npm run bench:browser\` (\`node bench/browser.mjs --rounds ${args.rounds} --time ${args.time} --threads ${args.threads}\`), ${date.slice(0, 16).replace('T', ' ')} UTC.`,
    `Headless Chromium ${chromiumVersion} on nproc ${cpus().length}, ${cpus()[0].model}; the page is cross-origin isolated so the peers can use threads. Same workloads, measurement and ratios as the Node grid above; "relaxed vs plain" is simdconv's plain build over its relaxed one (Chromium runs relaxed SIMD by default).`,
  ].join('\n');
  const section = ['<!-- browser:begin (written by bench/browser.mjs) -->', '## The grid in Chromium (`npm run bench:browser`)', '', header, '', '![ratios in Chromium](grid-browser.svg)', '', ...sections.map((s) => s.text), '<!-- browser:end -->'].join('\n');
  const path = new URL('./RESULTS.md', import.meta.url);
  const md = readFileSync(path, 'utf8');
  const re = /<!-- browser:begin[\s\S]*?<!-- browser:end -->/;
  writeFileSync(path, re.test(md) ? md.replace(re, section) : md.replace('<!-- grid:end -->', `<!-- grid:end -->\n\n${section}`));
  process.stderr.write('wrote bench/RESULTS.md (browser section) and bench/grid-browser.svg\n');
}
