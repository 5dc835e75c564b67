// Conv layers end to end, single thread: simdconv (Wasm SIMD, NCHW and NHWC; and its JS
// backend) against tfjs-backend-wasm (XNNPACK, SIMD, threads off) and tfjs-backend-cpu, on
// three typical layers (a 64-channel 3x3, a ResNet stem, a depthwise 3x3). Every task returns its result to JS (tfjs: dataSync) and keeps it
// until the next call; rounds interleave the tasks so the shared machine's noise hits them alike.
// Run: npm run bench:conv [-- --rounds 9 --time 200 --js 1 --cases a,b,c]
import { Bench } from 'tinybench';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { conv2d, ready, setBackend } from '../dist/index.js';
import { machine, median, parseArgs, table } from './report.mjs';

const args = parseArgs({ rounds: 9, time: 200, js: 1, cases: 'a,b,c' });

const CASES = {
  a: { label: '(a) 1x64x56x56, 64x64x3x3, pad 1', n: 1, c: 64, h: 56, w: 56, oc: 64, k: 3, stride: 1, pad: 1, depthwise: false },
  b: { label: '(b) 1x3x224x224, 64x3x7x7, stride 2, pad 3', n: 1, c: 3, h: 224, w: 224, oc: 64, k: 7, stride: 2, pad: 3, depthwise: false },
  c: { label: '(c) depthwise 1x32x112x112, 3x3, pad 1', n: 1, c: 32, h: 112, w: 112, oc: 32, k: 3, stride: 1, pad: 1, depthwise: true },
};

function random(n, seed) {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 4294967296 - 0.5;
  }
  return out;
}

/** NCHW -> NHWC for the input, OIHW -> HWIO (or HWC1 for depthwise) for tfjs's filter. */
function nhwc(x, n, c, h, w) {
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) out[(b * h * w + i) * c + ch] = x[(b * c + ch) * h * w + i];
  return out;
}
function hwio(wt, oc, ic, k) {
  const out = new Float32Array(wt.length);
  for (let o = 0; o < oc; o++) for (let i = 0; i < ic; i++) for (let t = 0; t < k * k; t++) out[(t * ic + i) * oc + o] = wt[(o * ic + i) * k * k + t];
  return out;
}

await ready();
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

const rows = [];
for (const name of String(args.cases).split(',')) {
  const cs = CASES[name];
  const icg = cs.depthwise ? 1 : cs.c;
  const x = random(cs.n * cs.c * cs.h * cs.w, 1);
  const wt = random(cs.oc * icg * cs.k * cs.k, 2);
  const opts = { stride: cs.stride, padding: cs.pad, groups: cs.depthwise ? cs.c : 1 };
  const input = { data: x, shape: [cs.n, cs.c, cs.h, cs.w] };
  const inputLast = { data: nhwc(x, cs.n, cs.c, cs.h, cs.w), shape: [cs.n, cs.h, cs.w, cs.c] };
  const weight = { data: wt, shape: [cs.oc, icg, cs.k, cs.k] };
  const ref = conv2d(input, weight, opts);
  const oh = ref.shape[2];
  const ow = ref.shape[3];
  const flop = 2 * cs.n * cs.oc * oh * ow * icg * cs.k * cs.k;

  // tfjs: filter in its own layout, tensors created on the backend being measured.
  const tfFilter = cs.depthwise ? hwio(wt, cs.c, 1, cs.k) : hwio(wt, cs.oc, cs.c, cs.k);
  const tfFilterShape = cs.depthwise ? [cs.k, cs.k, cs.c, 1] : [cs.k, cs.k, cs.c, cs.oc];
  const tfPad = [[0, 0], [cs.pad, cs.pad], [cs.pad, cs.pad], [0, 0]];
  let tfX = null;
  let tfW = null;
  const tfUse = async (backend) => {
    await tf.setBackend(backend);
    await tf.ready();
    tfX?.dispose();
    tfW?.dispose();
    tfX = tf.tensor4d(inputLast.data, inputLast.shape);
    tfW = tf.tensor4d(tfFilter, tfFilterShape);
  };
  const tfRun = () => {
    const y = cs.depthwise ? tf.depthwiseConv2d(tfX, tfW, cs.stride, tfPad) : tf.conv2d(tfX, tfW, cs.stride, tfPad);
    const d = y.dataSync();
    y.dispose();
    return d;
  };

  // Same answer from simdconv (both layouts) and tfjs-wasm before timing.
  await tfUse('wasm');
  const tfOut = tfRun();
  const mine = conv2d(inputLast, weight, { ...opts, layout: 'NHWC' }).data;
  let worst = 0;
  for (let i = 0; i < tfOut.length; i++) worst = Math.max(worst, Math.abs(tfOut[i] - mine[i]));
  if (!(worst < 1e-3)) throw new Error(`${name}: simdconv NHWC and tfjs-wasm differ by ${worst}`);

  let last = null;
  const tasks = {
    'simdconv wasm NCHW': { fn: () => { last = conv2d(input, weight, opts); }, before: () => setBackend('wasm-simd') },
    'simdconv wasm NHWC': { fn: () => { last = conv2d(inputLast, weight, { ...opts, layout: 'NHWC' }); }, before: () => setBackend('wasm-simd') },
    'tfjs-wasm': { fn: () => { last = tfRun(); }, before: () => tfUse('wasm') },
    'tfjs-cpu': { fn: () => { last = tfRun(); }, before: () => tfUse('cpu') },
  };
  if (Number(args.js)) tasks['simdconv js'] = { fn: () => { last = conv2d(input, weight, opts); }, before: () => setBackend('js') };
  const samples = Object.fromEntries(Object.keys(tasks).map((k) => [k, []]));
  for (let r = 0; r < Number(args.rounds); r++) {
    for (const [label, t] of Object.entries(tasks)) {
      // One task per Bench so each one's backend switch happens before its own warm-up.
      await t.before();
      const bench = new Bench({ time: Number(args.time), warmupTime: 50, warmupIterations: 2, iterations: 3 });
      bench.add(label, t.fn);
      await bench.run();
      samples[label].push(bench.tasks[0].result.latency.p50);
    }
  }
  setBackend('wasm-simd');
  last = null;
  const ms = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  const row = { layer: cs.label };
  for (const [label, m] of Object.entries(ms)) {
    row[`${label} ms`] = m.toFixed(2);
    row[`${label} GFLOP/s`] = (flop / m / 1e6).toFixed(1);
  }
  row['NCHW vs tfjs-wasm'] = `${(ms['tfjs-wasm'] / ms['simdconv wasm NCHW']).toFixed(2)}x`;
  row['NHWC vs tfjs-wasm'] = `${(ms['tfjs-wasm'] / ms['simdconv wasm NHWC']).toFixed(2)}x`;
  row['NCHW vs tfjs-cpu'] = `${(ms['tfjs-cpu'] / ms['simdconv wasm NCHW']).toFixed(1)}x`;
  rows.push(row);
  tfX?.dispose();
  tfW?.dispose();
}

console.log(`conv2d layers, float32, batch 1, single thread; median of ${args.rounds} rounds of tinybench p50`);
console.log(`${machine()}; tfjs ${tf.version_core}`);
console.log(table(rows));
