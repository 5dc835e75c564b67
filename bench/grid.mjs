// The benchmark grid in Node, single thread, one process: simdconv (plain Wasm SIMD, relaxed SIMD
// where the host runs it, the TypeScript backend) against a hand-written loop and the peers a
// user would pick: opencv.js filter2D (W1-W4), tfjs-backend-wasm (W1-W3 as a 1-channel conv, W4
// as a depthwise conv, W5-W7; its threaded build cannot start workers in Node) and
// onnxruntime-web (W5-W7). The workloads and the measuring loop are bench/workloads.mjs; the same
// grid runs in Chromium with `npm run bench:browser`. With the whole grid run (no --only) the
// script rewrites the grid section of bench/RESULTS.md and bench/grid.svg.
//   npm run bench  (node --experimental-wasm-relaxed-simd --expose-gc bench/grid.mjs [--rounds 9 --time 200 --only w1,w5])
import { readFileSync, writeFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import * as simdconv from '../dist/index.js';
import { barChart } from './chart.mjs';
import { loadOpenCv, loadOrt, loadTfjs } from './peers.mjs';
import { machine, parseArgs } from './report.mjs';
import { RATIOS, makeWorkloads, markdownTable, runGrid, tables, taskNames } from './workloads.mjs';

const args = parseArgs({ rounds: 9, time: 200, only: '' });
const only = String(args.only).split(',').filter(Boolean);
const wanted = (name) => !only.length || only.includes(name) || only.includes(name.replace(/u8$/, ''));

// opencv.js turns an uncaught error into a dump of its own source: report errors here instead.
process.on('uncaughtException', (e) => {
  console.error(e);
  process.exit(1);
});

const { features, getBackend, ready, setBackend } = simdconv;
await ready();
const [opencv, tfjs, ort] = [await loadOpenCv(), await loadTfjs(), await loadOrt(1)];
for (const peer of [opencv, tfjs, ort]) if (peer.missing) console.error(`left out: ${peer.missing}`);
const host = features();
const startBackend = getBackend();
const hasRelaxed = host.relaxedSimd && startBackend === 'wasm-relaxed-simd';

const workloads = makeWorkloads({ simdconv, cv: opencv.cv ?? null, tf: tfjs.tf ?? null, ort: ort.missing ? null : ort, hasRelaxed }).filter((w) => wanted(w.name));
const results = await runGrid({ workloads, Bench, setBackend, rounds: Number(args.rounds), time: Number(args.time), log: (line) => process.stderr.write(`${line}\n`) });

const names = taskNames({ opencv: opencv.version, tfjs: tfjs.version, ort: ort.version });
const { ratios, times } = tables(results, names);
const date = new Date().toISOString();
const header = [
  `Command: \`npm run bench\` (\`node --experimental-wasm-relaxed-simd --expose-gc bench/grid.mjs --rounds ${args.rounds} --time ${args.time}\`), ${date.slice(0, 16).replace('T', ' ')} UTC.`,
  `${machine()}; ${names.opencv}, ${names.tfjs} (XNNPACK, 1 thread), ${names.ort} (1 thread).`,
  `simdconv's backend at start: ${startBackend} (host: SIMD ${host.simd}, relaxed SIMD ${host.relaxedSimd}${hasRelaxed ? '' : '; start Node with --experimental-wasm-relaxed-simd for the relaxed rows'}).`,
  'Image rows two ways: "vs opencv.js" = both return a fresh array per call (simdconv\'s default; opencv.js copies its dst Mat out), "buffers reused" = simdconv writes into a caller-owned `out`, opencv.js into the same dst Mat read through its view (no copy).',
  "Single thread. Each task runs after a full garbage collection. Times: medians over rounds of tinybench p50 (ms). Ratios: the peer's time over simdconv's plain SIMD build (above 1: simdconv is faster), per round, then the median; the layer rows compare like layouts (tfjs-wasm against simdconv NHWC, onnxruntime-web against NCHW); \"relaxed vs plain\" is simdconv's plain build over its relaxed one.",
].join('\n');

console.log(header);
console.log('');
console.log(markdownTable(ratios));
console.log('');
console.log(markdownTable(times));

if (!only.length) {
  const series = RATIOS.slice(0, 5).map(([c]) => c);
  writeFileSync(new URL('./grid.svg', import.meta.url), barChart({
    title: `simdconv, one thread, Node: how many times faster (${date.slice(0, 10)})`,
    subtitle: machine().replace(/^machine: /, ''),
    note: `Peers, one thread each: ${names.opencv}, ${names.tfjs}, ${names.ort}. Bars: peer time / simdconv plain SIMD time.`,
    groups: results.map((r) => r.workload),
    series,
    values: results.map((r) => series.map((c) => r.ratios[c])),
  }));
  const section = ['<!-- grid:begin (written by bench/grid.mjs) -->', '## The grid (`npm run bench`)', '', header, '', '![ratios](grid.svg)', '', markdownTable(ratios), '', markdownTable(times), '<!-- grid:end -->'].join('\n');
  const path = new URL('./RESULTS.md', import.meta.url);
  const md = readFileSync(path, 'utf8');
  const re = /<!-- grid:begin[\s\S]*?<!-- grid:end -->/;
  writeFileSync(path, re.test(md) ? md.replace(re, section) : md.replace(/\n## /, `\n${section}\n\n## `));
  process.stderr.write('wrote bench/RESULTS.md (grid section) and bench/grid.svg\n');
}
process.exit(0);
