import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as wasmMod from '@tensorflow/tfjs-backend-wasm';
const which = process.argv[2] || 'wasm';
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
await tf.setBackend(which); await tf.ready();
console.log('backend', tf.getBackend(), 'simd', await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), 'threads', await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
const cases = {
  a: { x: [1, 56, 56, 64], w: [3, 3, 64, 64], s: 1, pad: [[0,0],[1,1],[1,1],[0,0]], dw: false },
  b: { x: [1, 224, 224, 3], w: [7, 7, 3, 64], s: 2, pad: [[0,0],[3,3],[3,3],[0,0]], dw: false },
  c: { x: [1, 112, 112, 32], w: [3, 3, 32, 1], s: 1, pad: [[0,0],[1,1],[1,1],[0,0]], dw: true },
};
for (const [name, c] of Object.entries(cases)) {
  const x = tf.randomNormal(c.x), w = tf.randomNormal(c.w);
  const run = () => { const y = c.dw ? tf.depthwiseConv2d(x, w, c.s, c.pad) : tf.conv2d(x, w, c.s, c.pad); const d = y.dataSync(); y.dispose(); return d; };
  const out = tf.tidy(() => c.dw ? tf.depthwiseConv2d(x, w, c.s, c.pad) : tf.conv2d(x, w, c.s, c.pad)).shape;
  for (let i = 0; i < 5; i++) run();
  const ts = [];
  const t0 = performance.now();
  while (performance.now() - t0 < 2000 && ts.length < 200) { const a = performance.now(); run(); ts.push(performance.now() - a); }
  ts.sort((a, b) => a - b);
  const med = ts[ts.length >> 1];
  const flop = 2 * out.reduce((a, b) => a * b, 1) * c.w[0] * c.w[1] * (c.dw ? 1 : c.w[2]);
  console.log(name, out.join('x'), 'median ms', med.toFixed(3), 'GFLOP/s', (flop / med / 1e6).toFixed(1));
}
