// Large kernels, single thread: simdconv's correlate2d / correlate ('auto', and 'direct' and
// 'fft' forced) against scipy.signal's fftconvolve and oaconvolve (python3, fed the same arrays
// and timed in the same run, rounds alternating with ours), opencv.js filter2D (which takes its
// own DFT path for kernels this large), and, for the transform alone, fft.js against the Wasm
// kernel. Run: node bench/fft.bench.mjs [--rounds 9 --cases all | w0,w1,...]
// Times are medians over rounds; ratios are taken within each round, then their median.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { Bench } from 'tinybench';
import { correlate, correlate2d, ready } from '../dist/index.js';
import { machine, median, parseArgs, table } from './report.mjs';

const require = createRequire(import.meta.url);
const args = parseArgs({ rounds: 9, cases: 'all' });
const ROUNDS = Number(args.rounds);
const dir = mkdtempSync(join(tmpdir(), 'simdconv-fft-bench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function random(n, seed) {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 8) / (1 << 24) - 0.5;
  }
  return out;
}

/** scipy in a python3 process of its own, or null where python3 or scipy is missing. */
async function scipyTimer() {
  const py = spawn('python3', [new URL('./scipy_timer.py', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
  const first = await Promise.race([lines.next(), new Promise((ok) => setTimeout(() => ok({ done: true }), 20000))]);
  py.on('error', () => {});
  if (first.done) return null;
  return {
    version: first.value,
    async time(request) {
      py.stdin.write(`${request}\n`);
      return Number((await lines.next()).value);
    },
    close: () => py.stdin.end(),
  };
}

async function loadOpenCv() {
  let cv = require('@techstark/opencv-js');
  if (cv instanceof Promise) cv = await cv;
  // The Emscripten module is a thenable that resolves to itself: never await it.
  for (let waited = 0; !cv.Mat; waited += 10) {
    if (waited > 30000) throw new Error('opencv.js did not initialise in 30 s');
    await new Promise((r) => setTimeout(r, 10));
  }
  return { cv };
}

/** src/engines/fftPlan.ts (the transform tables the engine hands the kernel), bundled with esbuild. */
async function planModule() {
  const { build } = await import('esbuild');
  const out = join(dir, 'fft-plan.mjs');
  await build({ entryPoints: [new URL('../src/engines/fftPlan.ts', import.meta.url).pathname], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'warning' });
  return import(pathToFileURL(out).href);
}

/**
 * One round: tinybench runs each task `reps` times after one warm-up call (tasks one after
 * another, each result kept until the next call as a caller would) and gives its p50 in ms.
 */
async function round(tasks, reps) {
  const bench = new Bench({ time: 0, iterations: reps, warmupTime: 0, warmupIterations: 1 });
  let keep = null;
  for (const [name, run] of Object.entries(tasks)) bench.add(name, () => { keep = run(); });
  await bench.run();
  void keep;
  return Object.fromEntries(bench.tasks.map((t) => [t.name, t.result.latency.p50]));
}

await ready();
const scipy = await scipyTimer();
const { cv } = await loadOpenCv();
const CASES = [
  { name: 'w0', label: '1024x1024 * 9x9', h: 1024, w: 1024, k: 9 },
  { name: 'w1', label: '1024x1024 * 15x15', h: 1024, w: 1024, k: 15 },
  { name: 'w2', label: '1024x1024 * 31x31', h: 1024, w: 1024, k: 31 },
  { name: 'w3', label: '1024x1024 * 63x63', h: 1024, w: 1024, k: 63 },
  { name: 'w4', label: '4096x4096 * 31x31', h: 4096, w: 4096, k: 31 },
  { name: 'w5', label: '1-D 1e6 * 1001 taps', h: 1, w: 1000000, k: 1001 },
  { name: 'w6', label: '1-D 1e6 * 63 taps', h: 1, w: 1000000, k: 63 },
].filter((c) => args.cases === 'all' || String(args.cases).split(',').includes(c.name));

const rows = [];
for (const c of CASES) {
  const oneD = c.h === 1;
  const image = { data: random(c.h * c.w, 1), shape: oneD ? [c.w] : [c.h, c.w] };
  const kernel = { data: random(oneD ? c.k : c.k * c.k, 2), shape: oneD ? [c.k] : [c.k, c.k] };
  const f1 = join(dir, `${c.name}-in1.bin`);
  const f2 = join(dir, `${c.name}-in2.bin`);
  writeFileSync(f1, Buffer.from(image.data.buffer));
  writeFileSync(f2, Buffer.from(kernel.data.buffer));
  const call = (method) => (oneD ? () => correlate(image, kernel, { mode: 'same', method }) : method === 'auto' ? () => correlate2d(image, kernel, { mode: 'same' }) : () => correlate(image, kernel, { mode: 'same', method }));
  const big = c.h * c.w > 4e6;
  const directCalls = c.h * c.w * c.k ** (oneD ? 1 : 2) > 3e9 ? 1 : big ? 2 : 3;
  const reps = big ? 3 : 7;
  let mats = null;
  if (!oneD) {
    const src = cv.matFromArray(c.h, c.w, cv.CV_32F, image.data);
    const ker = cv.matFromArray(c.k, c.k, cv.CV_32F, kernel.data);
    mats = { src, ker, dst: new cv.Mat() };
  }
  const s = { auto: [], direct: [], fft: [], scipyFft: [], scipyOa: [], opencv: [] };
  for (let r = 0; r < ROUNDS; r++) {
    // The slow direct sum first, then the others in an order that odd rounds reverse, so that
    // 'auto' and 'fft' (the same work whenever 'auto' picks the FFT) each follow it half the time.
    const fast = [['auto', call('auto')], ['fft', call('fft')]];
    if (mats) fast.push(['opencv', () => cv.filter2D(mats.src, mats.dst, cv.CV_32F, mats.ker)]);
    for (const [name, t] of Object.entries(await round({ direct: call('direct') }, directCalls))) s[name].push(t);
    for (const [name, t] of Object.entries(await round(Object.fromEntries(r % 2 ? fast.slice().reverse() : fast), reps))) s[name].push(t);
    if (scipy) {
      const req = (fn) => `${fn} same ${reps} ${f1} ${c.h} ${c.w} ${f2} ${oneD ? 1 : c.k} ${c.k}`;
      s.scipyFft.push(await scipy.time(req('fftconvolve')));
      s.scipyOa.push(await scipy.time(req('oaconvolve')));
    }
  }
  if (mats) for (const m of Object.values(mats)) m.delete();
  const ms = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.length ? median(v) : NaN]));
  // Ratios are taken within each round (the machine drifts between rounds), then their median.
  const ratio = (a, b) => median(s[a].map((t, r) => b(r) / t));
  const autoOverBest = median(s.auto.map((t, r) => t / Math.min(s.direct[r], s.fft[r])));
  const f = (v) => (Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 1) : '-');
  rows.push({
    case: c.label,
    'auto ms': f(ms.auto),
    'direct ms': f(ms.direct),
    'fft ms': f(ms.fft),
    'auto / best': autoOverBest.toFixed(2),
    'scipy fftconvolve ms': f(ms.scipyFft),
    'scipy oaconvolve ms': f(ms.scipyOa),
    'opencv.js filter2D ms': f(ms.opencv),
    'vs scipy fftconvolve': s.scipyFft.length ? `${ratio('auto', (r) => s.scipyFft[r]).toFixed(2)}x` : '-',
    'vs opencv.js': s.opencv.length ? `${ratio('auto', (r) => s.opencv[r]).toFixed(2)}x` : '-',
  });
}

// The transform alone: 64 complex transforms of 4096 points, fft.js one after another, the Wasm
// kernel all 64 at once across its vector lanes (the layout the engine uses).
const FFT = require('fft.js');
const n = 4096;
const count = 64;
const plan = new FFT(n);
const signals = Array.from({ length: count }, (_, i) => plan.toComplexArray(Array.from(random(n, i)), null));
const spectra = Array.from({ length: count }, () => plan.createComplexArray());
const memory = new WebAssembly.Memory({ initial: 256 });
const { instance } = await WebAssembly.instantiate(readFileSync(new URL('../build/simdconv.wasm', import.meta.url)), { env: { memory } });
const e = instance.exports;
const t = (await planModule()).transform(n);
const base = (e.heapBase() + 63) & ~63;
new Int32Array(memory.buffer).set(t.stages, base / 4);
const tw = base + 256;
new Float32Array(memory.buffer).set(t.twiddles, tw / 4);
const re = (tw + t.twiddles.length * 4 + 63) & ~63;
const im = re + n * count * 4;
new Float32Array(memory.buffer).set(random(n * count, 9), re / 4);
const tr = { fftjs: [], wasm: [] };
for (let r = 0; r < ROUNDS; r++) {
  const r = await round({ fftjs: () => signals.forEach((x, i) => plan.transform(spectra[i], x)), wasm: () => e.fftForwardF32(re, im, 1, n, count, base, t.stages.length / 2, tw) }, 20);
  tr.fftjs.push(r.fftjs);
  tr.wasm.push(r.wasm);
}
scipy?.close();

console.log(`Large kernels, float32, 'same', one thread; medians of ${ROUNDS} alternating rounds (${scipy ? scipy.version : 'scipy not found'})`);
console.log(machine());
console.log(table(rows));
console.log('');
console.log(`The transform alone: ${count} complex FFTs of ${n} points`);
console.log(table([{ 'fft.js ms': median(tr.fftjs).toFixed(3), 'simdconv Wasm SIMD ms': median(tr.wasm).toFixed(3), ratio: `${(median(tr.fftjs) / median(tr.wasm)).toFixed(1)}x` }]));
