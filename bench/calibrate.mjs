// Measures the constants of the cost models that choose between the direct sum and the FFT
// (src/engines/fftPlan.ts FFT_COST, src/engines/choose.ts DIRECT_COST) on this machine and prints
// them to paste in, with the models' estimates beside measured runs of both engines. The machine
// is shared: every figure is the fastest of rounds that alternate over the tasks, the run least
// disturbed by others. Bundles the engines from src/ with esbuild (a dev dependency).
//   node bench/calibrate.mjs [--rounds 5]
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { machine, parseArgs, table } from './report.mjs';

const args = parseArgs({ rounds: 5 });
const dir = mkdtempSync(join(tmpdir(), 'simdconv-calibrate-'));
const src = new URL('../src/', import.meta.url).pathname;
await build({
  stdin: { contents: `export * from '${src}engines/fft'; export * from '${src}engines/fftPlan'; export * from '${src}engines/plane'; export * from '${src}engines/choose'; export * from '${src}index';`, resolveDir: src, loader: 'ts' },
  bundle: true, platform: 'node', format: 'esm', outfile: join(dir, 'engines.mjs'), logLevel: 'warning',
});
const m = await import(pathToFileURL(join(dir, 'engines.mjs')).href);
rmSync(dir, { recursive: true, force: true });
await m.ready();

/** The fastest call of each task over rounds alternating over the tasks. */
function fastest(tasks, rounds = Number(args.rounds)) {
  const t = tasks.map(() => Infinity);
  let keep = null;
  for (let r = 0; r < rounds; r++) {
    tasks.forEach((task, i) => {
      for (let c = 0; c < 2; c++) {
        const t0 = performance.now();
        keep = task();
        t[i] = Math.min(t[i], performance.now() - t0);
      }
    });
  }
  void keep;
  return t;
}

// 1. Transform stages by radix: the Wasm kernels on planes of [A][n][C] that stay in cache.
const wasm = new WebAssembly.Memory({ initial: 256 });
const { instance } = await WebAssembly.instantiate(readFileSync(new URL('../build/simdconv.wasm', import.meta.url)), { env: { memory: wasm } });
const e = instance.exports;
function stageTask(dtype, n, C) {
  const t = m.transform(n);
  const bytes = dtype === 'float64' ? 8 : 4;
  const base = (e.heapBase() + 63) & ~63;
  new Int32Array(wasm.buffer).set(t.stages, base / 4);
  const tw = base + 256;
  (dtype === 'float64' ? new Float64Array(wasm.buffer) : new Float32Array(wasm.buffer)).set(t.twiddles, tw / bytes);
  const re = (tw + t.twiddles.length * bytes + 63) & ~63;
  const A = Math.max(1, Math.floor(65536 / (n * C)));
  const im = re + A * n * C * bytes;
  const fwd = dtype === 'float64' ? e.fftForwardF64 : e.fftForwardF32;
  const inv = dtype === 'float64' ? e.fftInverseF64 : e.fftInverseF32;
  return { task: () => (fwd(re, im, A, n, C, base, t.stages.length / 2, tw), inv(re, im, A, n, C, base, t.stages.length / 2, tw)), elements: 2 * A * n * C * (t.stages.length / 2) };
}
const stage = {};
for (const dtype of ['float32', 'float64']) {
  const runs = [[2, 2], [3, 243], [4, 256], [5, 125]].map(([r, n]) => ({ r, ...stageTask(dtype, n, 16) }));
  const t = fastest(runs.map((x) => x.task), 3 * Number(args.rounds));
  stage[dtype] = Object.fromEntries(runs.map((x, i) => [x.r, +((t[i] / x.elements) * 1e6).toFixed(2)]));
}

// 2. Whole FFT correlations and direct sums of 1024x1024 images and 1-D signals.
function data(n, dtype) {
  const a = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.sin(i * 0.37) * 100;
  return a;
}
function job(shape, k, dtype) {
  const kernelShape = shape[1] === 1 ? [1, 1, k] : [1, k, k];
  const pad = kernelShape.map((n) => n >> 1);
  return { dtype, input: data(shape[1] * shape[2], dtype), inputShape: shape, padding: { before: pad, after: pad, mode: 'constant', value: 0 }, kernel: data(kernelShape[1] * k, dtype), kernelShape, flipKernel: false };
}
const rows = [];
const direct = {};
for (const dtype of ['float32', 'float64']) {
  const ffts = [[[1, 1024, 1024], 15], [[1, 1024, 1024], 31], [[1, 1024, 1024], 63], [[1, 1, 1000000], 1001], [[1, 1, 100000], 101]].map(([s, k]) => job(s, k, dtype));
  const directs = [3, 5, 7, 9, 11, 15, 21].map((k) => job([1, 1024, 1024], k, dtype));
  const t = fastest([...ffts.map((j) => () => m.runFftCorrelation(j)), ...directs.map((j) => () => m.runCorrelation(j))]);
  // Direct: least squares of time = outputs * (perTap * taps + perOutput).
  const X = directs.map((j) => [j.kernelShape[1] * j.kernelShape[2], 1].map((f) => (f * 1024 * 1024) / 1e6));
  const y = t.slice(ffts.length);
  const [a, b, c, d] = [X.reduce((s, r) => s + r[0] * r[0], 0), X.reduce((s, r) => s + r[0] * r[1], 0), X.reduce((s, r) => s + r[1] * r[1], 0), 0];
  void d;
  const u = X.reduce((s, r, i) => s + r[0] * y[i], 0);
  const v = X.reduce((s, r, i) => s + r[1] * y[i], 0);
  const det = a * c - b * b;
  direct[dtype] = { perTap: +((u * c - v * b) / det).toFixed(4), perOutput: +((a * v - b * u) / det).toFixed(2) };
  ffts.forEach((j, i) => rows.push({ dtype, problem: `${j.inputShape.slice(1).join('x')} * ${j.kernelShape.slice(1).join('x')}`, method: 'fft', 'measured ms': t[i].toFixed(2), 'model ms': m.fftTiling(j).cost.toFixed(2), plan: `F ${m.fftTiling(j).F.slice(1).join('x')}, T ${m.fftTiling(j).T}` }));
  directs.forEach((j, i) => rows.push({ dtype, problem: `1024x1024 * ${j.kernelShape[1]}x${j.kernelShape[2]}`, method: 'direct', 'measured ms': t[ffts.length + i].toFixed(2), 'model ms': m.directCost(j, 'wasm').toFixed(2), plan: '' }));
}
console.log(machine());
console.log('stage ns per element (FFT_COST.wasm[dtype].stage):', JSON.stringify(stage));
console.log('direct (DIRECT_COST.wasm):', JSON.stringify(direct));
console.log(table(rows));
