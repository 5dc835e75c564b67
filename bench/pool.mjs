// The pool against the synchronous calls, side by side in one process, rounds alternating:
// `node --experimental-wasm-relaxed-simd bench/pool.mjs [--threads 2] [--rounds 25]`.
// "default" passes ordinary arrays (the pool copies inputs into shared memory and results out
// of it); "zero-copy" passes SharedArrayBuffer-backed inputs and `out` (workers read and write
// them directly) against the synchronous call into an `out`; "blocking" is the same default call on a
// blocking pool of as many threads (Node: the calling thread computes a share). Prints a markdown table.
import os from 'node:os';
import * as S from '../dist/index.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const threads = arg('threads', 2);
const rounds = arg('rounds', 25);
S.setBackend('wasm-simd');
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
let seed = 1;
const fill = (a, scale = 1) => {
  for (let i = 0; i < a.length; i++) a[i] = (((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) >>> 8) / (1 << 24) - 0.5) * scale;
  return a;
};
const f32 = (n, shared) => new Float32Array(shared ? new SharedArrayBuffer(n * 4) : n);
const u8 = (n, shared) => new Uint8ClampedArray(shared ? new SharedArrayBuffer(n) : n);
const sharpen = { data: Float32Array.of(0, -1, 0, -1, 5, -1, 0, -1, 0), shape: [3, 3] };
const px = 1920 * 1080 * 4;

const workloads = [
  ['W1 1024x1024 3x3', 'correlate2d', (sh) => [{ data: fill(f32(1 << 20, sh)), shape: [1024, 1024] }, { data: fill(f32(9)), shape: [3, 3] }, { mode: 'same' }], () => f32(1 << 20, true)],
  ['W3 1024x1024 31x31 (FFT tiles)', 'correlate2d', (sh) => [{ data: fill(f32(1 << 20, sh)), shape: [1024, 1024] }, { data: fill(f32(961)), shape: [31, 31] }, { mode: 'same' }], () => f32(1 << 20, true)],
  ['W4 RGBA 1080p 3x3 float32', 'filter2d', (sh) => [{ data: fill(f32(px, sh), 255), width: 1920, height: 1080 }, sharpen, {}], () => f32(px, true)],
  ['W4 RGBA 1080p 3x3 uint8', 'filter2d', (sh) => [{ data: u8(px, sh).map((_, i) => (i * 37) & 255), width: 1920, height: 1080 }, sharpen, {}], () => u8(px, true)],
  ['W5 64->64 3x3 at 56x56', 'conv2d', (sh) => [{ data: fill(f32(64 * 56 * 56, sh)), shape: [1, 64, 56, 56] }, { data: fill(f32(64 * 64 * 9), 0.1), shape: [64, 64, 3, 3] }, { padding: 1, bias: fill(f32(64)) }], null],
];

const pool = await S.createPool({ threads });
const blocking = await S.createPool({ threads, blocking: true });
console.log(`${threads} threads (${pool.mode} mode), ${rounds} rounds; node ${process.version}; ${os.cpus()[0].model}, nproc ${os.availableParallelism()}; ${new Date().toISOString().slice(0, 16)} UTC; backend ${S.getBackend()}\n`);
console.log('| workload | sync ms | pool ms | pool vs sync | blocking pool ms | blocking vs sync | sync into out ms | pool zero-copy ms | zero-copy vs sync into out |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const [name, fn, make, makeOut] of workloads) {
  const plain = make(false);
  const shared = make(true);
  const syncOut = makeOut?.().constructor === Uint8ClampedArray ? new Uint8ClampedArray(px) : makeOut ? new Float32Array(makeOut().length) : null;
  const poolOut = makeOut?.();
  const t = { sync: [], pool: [], blocking: [], syncOut: [], zero: [] };
  const withOut = (args, out) => [...args.slice(0, -1), { ...args.at(-1), out }];
  for (let r = 0; r < rounds; r++) {
    let s = performance.now();
    S[fn](...plain);
    t.sync.push(performance.now() - s);
    s = performance.now();
    await pool[fn](...plain);
    t.pool.push(performance.now() - s);
    s = performance.now();
    await blocking[fn](...plain);
    t.blocking.push(performance.now() - s);
    if (!poolOut) continue;
    s = performance.now();
    S[fn](...withOut(plain, syncOut));
    t.syncOut.push(performance.now() - s);
    s = performance.now();
    await pool[fn](...withOut(shared, poolOut));
    t.zero.push(performance.now() - s);
  }
  const m = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.length ? median(v) : NaN]));
  const ms = (v) => (Number.isNaN(v) ? '-' : v.toFixed(2));
  const ratio = (a, b) => (Number.isNaN(a) ? '-' : `${(a / b).toFixed(2)}x`);
  console.log(`| ${name} | ${ms(m.sync)} | ${ms(m.pool)} | ${ratio(m.sync, m.pool)} | ${ms(m.blocking)} | ${ratio(m.sync, m.blocking)} | ${ms(m.syncOut)} | ${ms(m.zero)} | ${ratio(m.syncOut, m.zero)} |`);
}
await pool.close();
await blocking.close();
