// End-to-end benchmark through the public API (copies in and out included), single thread:
// simdconv on Wasm SIMD vs simdconv's TypeScript fallback vs a hand-written JS loop, on
// float32 'same' correlation. Run: npm run bench [-- --size 1024 --rounds 5 --time 1000]
import { Bench } from 'tinybench';
import { correlate2d, ready, setBackend } from '../dist/index.js';
import { handwrittenCorrelateSame } from './handwritten.mjs';
import { machine, median, parseArgs, table } from './report.mjs';

const args = parseArgs({ size: 1024, rounds: 5, time: 1000, kernels: '3,7' });
const N = Number(args.size);
const sizes = String(args.kernels).split(',').map(Number);

await ready();
const img = { data: Float32Array.from({ length: N * N }, (_, i) => Math.sin(i * 0.37) * 100), shape: [N, N] };

const rows = [];
for (const k of sizes) {
  const ker = { data: Float32Array.from({ length: k * k }, (_, i) => ((i * 7) % 11) - 5), shape: [k, k] };
  const flop = 2 * k * k * N * N;

  // Same answer from all three before timing anything.
  const ref = handwrittenCorrelateSame(img.data, N, N, ker.data, k, k);
  const got = correlate2d(img, ker, { mode: 'same' }).data;
  for (let i = 0; i < ref.length; i++) {
    if (Math.abs(ref[i] - got[i]) > 1e-3 * (1 + Math.abs(ref[i]))) throw new Error(`mismatch at ${i}: ${got[i]} vs ${ref[i]}`);
  }

  // Every task keeps its latest result until the next call, as a caller that uses the result
  // does. 'dropped' discards each result at once: glibc then hands the freed 4 MiB back to the
  // kernel and the next result pays ~1,000 first-touch page faults (see RESULTS.md).
  let last = null;
  const wasm = () => { last = correlate2d(img, ker, { mode: 'same' }); };
  const dropped = () => { correlate2d(img, ker, { mode: 'same' }); };
  // The same call writing into a caller-owned result (options.out): no fresh 4 MiB per call.
  const reused = new Float32Array(N * N);
  const wasmOut = () => { last = correlate2d(img, ker, { mode: 'same', out: reused }); };
  const js = () => { last = correlate2d(img, ker, { mode: 'same' }); };
  const loop = () => { last = handwrittenCorrelateSame(img.data, N, N, ker.data, k, k); };
  const samples = { wasm: [], dropped: [], wasmOut: [], js: [], loop: [] };
  for (let r = 0; r < Number(args.rounds); r++) {
    const bench = new Bench({ time: Number(args.time), warmupTime: 200 });
    bench.add('wasm', wasm, { beforeAll: () => setBackend('wasm-simd') });
    bench.add('dropped', dropped, { beforeAll: () => setBackend('wasm-simd') });
    bench.add('wasmOut', wasmOut, { beforeAll: () => setBackend('wasm-simd') });
    bench.add('js', js, { beforeAll: () => setBackend('js') });
    bench.add('loop', loop);
    await bench.run();
    for (const t of bench.tasks) samples[t.name].push(t.result.latency.p50);
  }
  last = null;
  setBackend('wasm-simd');
  const ms = Object.fromEntries(Object.entries(samples).map(([n, s]) => [n, median(s)]));
  rows.push({
    kernel: `${k}x${k}`,
    'wasm ms': ms.wasm.toFixed(3),
    'wasm GFLOP/s': (flop / ms.wasm / 1e6).toFixed(1),
    'wasm, result dropped ms': ms.dropped.toFixed(3),
    'wasm+out ms': ms.wasmOut.toFixed(3),
    'wasm+out GFLOP/s': (flop / ms.wasmOut / 1e6).toFixed(1),
    'js backend ms': ms.js.toFixed(2),
    'hand loop ms': ms.loop.toFixed(2),
    'wasm vs hand loop': `${(ms.loop / ms.wasm).toFixed(1)}x`,
    'wasm+out vs hand loop': `${(ms.loop / ms.wasmOut).toFixed(1)}x`,
    'wasm vs js backend': `${(ms.js / ms.wasm).toFixed(1)}x`,
  });
}

console.log(`correlate2d float32 ${N}x${N} mode 'same', median of ${args.rounds} rounds of tinybench p50`);
console.log(machine());
console.log(table(rows));
