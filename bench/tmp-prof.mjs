import * as s from '../dist/index.js';
await s.ready(); s.setBackend('wasm-simd');
function rnd(n, seed) { const o = new Float32Array(n); let x = seed; for (let i = 0; i < n; i++) { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; o[i] = x / 2 ** 32 - 0.5; } return o; }
const nhwc = process.argv[2] === 'nhwc';
const x = { data: rnd(32*112*112, 1), shape: nhwc ? [1, 112, 112, 32] : [1, 32, 112, 112] }, w = { data: rnd(32*9, 2), shape: [32, 1, 3, 3] }, b = rnd(32, 3);
const t = [];
for (let i = 0; i < Number(process.env.R ?? 1500); i++) { const a = performance.now(); s.conv2d(x, w, { padding: 1, groups: 32, bias: b, layout: nhwc ? 'NHWC' : 'NCHW' }); t.push(performance.now() - a); }
t.sort((a, b) => a - b); console.log('median', t[t.length >> 1].toFixed(3));
