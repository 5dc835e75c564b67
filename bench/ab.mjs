// A/B of two builds of simdconv in one process: the workloads of `npm run bench`, `bench:conv`
// and `bench:filter`, each build's call timed in alternating rounds so the shared machine's
// drift hits both alike. Reports per workload the median over rounds of each build's median call
// time and the ratio B/A (below 1: B is faster).
// Run: node bench/ab.mjs --a path/to/old/dist/index.js [--b dist/index.js] [--rounds 15 --calls 20 --only w1,w2 --backend wasm-simd]
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { machine, median, parseArgs, table } from './report.mjs';

const args = parseArgs({ a: '', b: 'dist/index.js', rounds: 15, calls: 20, only: '', backend: '' });
if (!args.a) throw new Error('--a <dist/index.js of the build to compare against> is required');
const load = (p) => import(pathToFileURL(resolve(p)).href);
const [A, B] = [await load(args.a), await load(args.b)];
await A.ready();
await B.ready();
if (args.backend) for (const m of [A, B]) m.setBackend(String(args.backend));

function random(n, seed, Type = Float32Array, scale = 1) {
  const out = new Type(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = Type === Uint8ClampedArray ? s >>> 24 : (s / 4294967296 - 0.5) * scale;
  }
  return out;
}

const N = 1024;
const img = { data: random(N * N, 1, Float32Array, 200), shape: [N, N] };
const k3 = { data: random(9, 2), shape: [3, 3] };
const k7 = { data: random(49, 3), shape: [7, 7] };
const layer = (n, c, h, w) => ({ data: random(n * c * h * w, 4), shape: [n, c, h, w] });
const la = layer(1, 64, 56, 56);
const wa = { data: random(64 * 64 * 9, 5), shape: [64, 64, 3, 3] };
const lb = layer(1, 3, 224, 224);
const wb = { data: random(64 * 3 * 49, 6), shape: [64, 3, 7, 7] };
const lc = layer(1, 32, 112, 112);
const wc = { data: random(32 * 9, 7), shape: [32, 1, 3, 3] };
const rgba = { data: random(1920 * 1080 * 4, 8, Uint8ClampedArray), width: 1920, height: 1080, channels: 4 };

const WORKLOADS = {
  'correlate2d 3x3': (m) => m.correlate2d(img, k3, { mode: 'same' }),
  'correlate2d 7x7': (m) => m.correlate2d(img, k7, { mode: 'same' }),
  'conv2d (a) 64->64 3x3': (m) => m.conv2d(la, wa, { padding: 1 }),
  'conv2d (a) NHWC': (m) => m.conv2d({ data: la.data, shape: [1, 56, 56, 64] }, wa, { padding: 1, layout: 'NHWC' }),
  'conv2d (b) stem 7x7/2': (m) => m.conv2d(lb, wb, { stride: 2, padding: 3 }),
  'conv2d (c) depthwise': (m) => m.conv2d(lc, wc, { padding: 1, groups: 32 }),
  'conv2d (c) NHWC': (m) => m.conv2d({ data: lc.data, shape: [1, 112, 112, 32] }, wc, { padding: 1, groups: 32, layout: 'NHWC' }),
  'filter2d 3x3 sharpen': (m) => m.filter2d(rgba, m.kernels.sharpen),
  'filter2d 15x15 Gaussian': (m) => m.filter2d(rgba, m.kernels.gaussian(15, 3)),
};

const only = String(args.only) ? new Set(String(args.only).split(',')) : null;
const rows = [];
let keep = null;
for (const [name, run] of Object.entries(WORKLOADS)) {
  if (only && !only.has(name)) continue;
  const times = { a: [], b: [] };
  for (const m of [A, B]) run(m);
  for (let r = 0; r < Number(args.rounds); r++) {
    // Alternate which build goes first, so neither always follows the other's garbage.
    const order = r % 2 ? [['b', B], ['a', A]] : [['a', A], ['b', B]];
    for (const [key, m] of order) {
      const calls = [];
      for (let i = 0; i < Number(args.calls); i++) {
        const t0 = performance.now();
        keep = run(m);
        calls.push(performance.now() - t0);
      }
      times[key].push(median(calls));
    }
  }
  keep = null;
  const a = median(times.a);
  const b = median(times.b);
  rows.push({ workload: name, 'A ms': a.toFixed(3), 'B ms': b.toFixed(3), 'B / A': (b / a).toFixed(3) });
}
console.log(`A: ${args.a}\nB: ${args.b}\n${machine()}; ${args.rounds} alternating rounds of ${args.calls} calls, medians`);
console.log(table(rows));
