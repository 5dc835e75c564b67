// The benchmark grid in Node, single thread, one process: simdconv (plain Wasm SIMD, relaxed SIMD
// where the host runs it, the TypeScript backend) against a hand-written loop and the peers a
// user would pick: opencv.js filter2D (W1-W4), tfjs-backend-wasm (W1-W3 as a 1-channel conv, W4
// as a depthwise conv, W5-W7; its threaded build cannot start workers in Node) and
// onnxruntime-web (W5-W7). The workloads and the measuring loop are bench/workloads.mjs; the same
// grid runs in Chromium with `npm run bench:browser`. With the whole grid run (no --only) the
// script rewrites the grid section of bench/RESULTS.md and bench/grid.svg. With --threads N
// (npm run bench runs it after the single-thread grid, in a second process because
// onnxruntime-web fixes its thread count per process) it adds simdconv's pool of N workers and
// runs onnxruntime-web with N threads, and writes the threaded section and bench/grid-threads.svg.
//   npm run bench  (node --experimental-wasm-relaxed-simd --expose-gc bench/grid.mjs [--rounds 9 --time 200 --only w1,w5 --threads 2])
import { readFileSync, writeFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import * as simdconv from '../dist/index.js';
import { barChart } from './chart.mjs';
import { loadOpenCv, loadOrt, loadTfjs } from './peers.mjs';
import { machine, parseArgs } from './report.mjs';
import { RATIOS, makeWorkloads, markdownTable, runGrid, tables, taskNames } from './workloads.mjs';

const args = parseArgs({ rounds: 9, time: 200, only: '', threads: 1 });
const threads = Number(args.threads);
const only = String(args.only).split(',').filter(Boolean);
const wanted = (name) => !only.length || only.includes(name) || only.includes(name.replace(/u8$/, ''));

// opencv.js turns an uncaught error into a dump of its own source: report errors here instead.
process.on('uncaughtException', (e) => {
  console.error(e);
  process.exit(1);
});

const { features, getBackend, ready, setBackend } = simdconv;
await ready();
const [opencv, tfjs, ort] = [await loadOpenCv(), await loadTfjs(), await loadOrt(threads)];
for (const peer of [opencv, tfjs, ort]) if (peer.missing) console.error(`left out: ${peer.missing}`);
const host = features();
const startBackend = getBackend();
const hasRelaxed = host.relaxedSimd && startBackend === 'wasm-relaxed-simd';

// The pool's workers run the plain build, as the single-thread column it is compared with.
setBackend('wasm-simd');
const pool = threads > 1 ? await simdconv.createPool({ threads }) : null;
const blocking = threads > 1 ? await simdconv.createPool({ threads, blocking: true }) : null;
setBackend(startBackend);
const workloads = makeWorkloads({ simdconv, cv: opencv.cv ?? null, tf: tfjs.tf ?? null, ort: ort.missing ? null : ort, hasRelaxed, pool, blocking }).filter((w) => wanted(w.name));
const results = await runGrid({ workloads, Bench, setBackend, rounds: Number(args.rounds), time: Number(args.time), log: (line) => process.stderr.write(`${line}\n`) });

const names = taskNames({ opencv: opencv.version, tfjs: tfjs.version, ort: ort.version });
const { ratios, times } = tables(results, names);
const date = new Date().toISOString();
const threadedNote = `Threaded: simdconv's pool of ${threads} workers (${pool?.mode} mode, plain SIMD, ordinary arrays in and a fresh result out, as the single-thread calls), and its blocking pool of ${threads} threads (\`createPool({ threads: ${threads}, blocking: true })\`: the calling thread computes a share and ${threads - 1} worker${threads > 2 ? 's' : ''} the rest, memory-bound direct calls, under 4 multiply-adds per byte, whole on the calling thread: W1, W4, W7; each call holds the calling thread until its result is ready), against simdconv on one thread and the peers in this process: ${names.ort} with ${threads} threads; tfjs-wasm on 1 thread (its threaded build cannot start its workers in Node: tf.setBackend('wasm') fails with WASM_HAS_MULTITHREAD_SUPPORT); opencv.js has no threads in Wasm.`;
const header = [
  `Command: \`npm run bench\` (\`node --experimental-wasm-relaxed-simd --expose-gc bench/grid.mjs --rounds ${args.rounds} --time ${args.time}${pool ? ` --threads ${threads}` : ''}\`), ${date.slice(0, 16).replace('T', ' ')} UTC.`,
  `${machine()}; ${names.opencv}, ${names.tfjs} (XNNPACK, 1 thread), ${names.ort} (${threads} thread${threads > 1 ? 's' : ''}).`,
  `simdconv's backend at start: ${startBackend} (host: SIMD ${host.simd}, relaxed SIMD ${host.relaxedSimd}${hasRelaxed ? '' : '; start Node with --experimental-wasm-relaxed-simd for the relaxed rows'}).`,
  'Image rows two ways: "vs opencv.js" = both return a fresh array per call (simdconv\'s default; opencv.js copies its dst Mat out), "buffers reused" = simdconv writes into a caller-owned `out`, opencv.js into the same dst Mat read through its view (no copy).',
  pool ? threadedNote : 'Single thread.',
  "Each task runs after a full garbage collection. Times: medians over rounds of tinybench p50 (ms). Ratios: the peer's time over simdconv's plain SIMD build (above 1: simdconv is faster), per round, then the median; the layer rows compare like layouts (tfjs-wasm against simdconv NHWC, onnxruntime-web against NCHW); \"relaxed vs plain\" is simdconv's plain build over its relaxed one.",
].join('\n');

console.log(header);
console.log('');
console.log(markdownTable(ratios));
console.log('');
console.log(markdownTable(times));

if (!only.length) {
  const [tag, svg, title] = pool ? ['grid-threads', 'grid-threads.svg', `The grid with ${threads} threads`] : ['grid', 'grid.svg', 'The grid'];
  const series = pool ? ['pool vs one thread', 'blocking pool vs one thread', 'pool vs tfjs-wasm', 'pool vs onnxruntime-web', 'pool vs opencv.js'] : RATIOS.slice(0, 5).map(([c]) => c);
  writeFileSync(new URL(`./${svg}`, import.meta.url), barChart({
    title: pool ? `simdconv's pool of ${threads}, Node: how many times faster (${date.slice(0, 10)})` : `simdconv, one thread, Node: how many times faster (${date.slice(0, 10)})`,
    subtitle: machine().replace(/^machine: /, ''),
    note: pool
      ? `Bars: other time / pool time. ${names.ort} on ${threads} threads; ${names.tfjs} and opencv.js on one.`
      : `Peers, one thread each: ${names.opencv}, ${names.tfjs}, ${names.ort}. Bars: peer time / simdconv plain SIMD time.`,
    groups: results.map((r) => r.workload),
    series,
    values: results.map((r) => series.map((c) => r.ratios[c])),
  }));
  const section = [`<!-- ${tag}:begin (written by bench/grid.mjs) -->`, `## ${title} (\`npm run bench\`)`, '', header, '', `![ratios](${svg})`, '', markdownTable(ratios), '', markdownTable(times), `<!-- ${tag}:end -->`].join('\n');
  const path = new URL('./RESULTS.md', import.meta.url);
  const md = readFileSync(path, 'utf8');
  const re = new RegExp(`<!-- ${tag}:begin[\\s\\S]*?<!-- ${tag}:end -->`);
  const after = pool ? '<!-- grid:end -->' : null;
  const placed = re.test(md) ? md.replace(re, section) : after && md.includes(after) ? md.replace(after, `${after}\n\n${section}`) : md.replace(/\n## /, `\n${section}\n\n## `);
  writeFileSync(path, placed);
  process.stderr.write(`wrote bench/RESULTS.md (${tag} section) and bench/${svg}\n`);
}
await pool?.close();
await blocking?.close();
process.exit(0);
