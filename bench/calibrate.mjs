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
import { machine, median, parseArgs, table } from './report.mjs';

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
/** Least squares of y against the columns of X, each row weighted by 1 / y² (relative error). */
function fitRelative(X, y) {
  const k = X[0].length;
  const A = Array.from({ length: k }, () => new Array(k + 1).fill(0));
  X.forEach((row, i) => {
    const w = 1 / (y[i] * y[i]);
    for (let r = 0; r < k; r++) {
      for (let c = 0; c < k; c++) A[r][c] += w * row[r] * row[c];
      A[r][k] += w * row[r] * y[i];
    }
  });
  for (let c = 0; c < k; c++) {
    for (let r = c + 1; r < k; r++) {
      const f = A[r][c] / A[c][c];
      for (let j = c; j <= k; j++) A[r][j] -= f * A[c][j];
    }
  }
  const x = new Array(k).fill(0);
  for (let r = k - 1; r >= 0; r--) x[r] = (A[r][k] - A[r].slice(r + 1, k).reduce((s, v, j) => s + v * x[r + 1 + j], 0)) / A[r][r];
  return x;
}

// Both engines over a grid around their crossover: images from 64x64 to 2048x2048 with 5x5 to
// 25x25 kernels, 1-D signals of 1e4 to 1e6 samples with 15 to 151 taps. The direct model is
// fitted in the FFT model's units (measured direct times divided by the run's median ratio of
// measured to modelled FFT time), so the two stay comparable on a machine faster or slower
// than the one the stage constants came from: only their ratio decides.
const rows = [];
const direct = {};
const grid = [];
for (const n of [64, 256, 1024, 2048]) for (const k of [5, 7, 9, 11, 13, 15, 19, 25]) grid.push([[1, n, n], k]);
for (const n of [10000, 100000, 1000000]) for (const k of [15, 31, 47, 63, 101, 151]) grid.push([[1, 1, n], k]);
for (const dtype of ['float32', 'float64']) {
  const jobs = grid.map(([s, k]) => job(s, k, dtype));
  const fftTimes = fastest(jobs.map((j) => () => m.runFftCorrelation(j)));
  const directTimes = fastest(jobs.map((j) => () => m.runCorrelation(j)));
  const scale = median(jobs.map((j, i) => fftTimes[i] / m.fftTiling(j).cost));
  const outputs = (j) => j.inputShape[1] * j.inputShape[2];
  const taps = (j) => j.kernelShape[1] * j.kernelShape[2];
  const [perTap, perOutput, perCall] = fitRelative(jobs.map((j) => [(outputs(j) * taps(j)) / 1e6, outputs(j) / 1e6, 1]), directTimes.map((t) => t / scale));
  direct[dtype] = { measuredOverModel: +scale.toFixed(2), perTap: +perTap.toFixed(4), perOutput: +perOutput.toFixed(2), perCall: +perCall.toFixed(4) };
  jobs.forEach((j, i) => {
    const pick = m.directCost(j, 'wasm') <= m.fftTiling(j).cost ? directTimes[i] : fftTimes[i];
    rows.push({
      dtype,
      problem: `${j.inputShape.slice(1).join('x')} * ${j.kernelShape.slice(1).join('x')}`,
      'direct ms': directTimes[i].toFixed(3),
      'direct model': (m.directCost(j, 'wasm') * scale).toFixed(3),
      'fft ms': fftTimes[i].toFixed(3),
      'fft model': (m.fftTiling(j).cost * scale).toFixed(3),
      plan: `F ${m.fftTiling(j).F.slice(1).join('x')}, T ${m.fftTiling(j).T}`,
      'chosen / best': (pick / Math.min(directTimes[i], fftTimes[i])).toFixed(2),
    });
  });
}
console.log(machine());
console.log('stage ns per element (FFT_COST.wasm[dtype].stage):', JSON.stringify(stage));
console.log('direct (DIRECT_COST.wasm, in FFT-model ns; measuredOverModel is the FFT model\'s error in this run):', JSON.stringify(direct));
console.log('model columns are scaled by measuredOverModel');
console.log(table(rows));
