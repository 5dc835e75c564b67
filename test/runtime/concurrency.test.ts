// Concurrency: 8 worker threads each make 500 mixed calls and get exactly what the main thread
// gets for the same calls; a worker that only sends bad inputs is refused every time and disturbs
// nobody; and a pool under the same load returns the same results.
import { Worker } from 'node:worker_threads';
import { expect, test } from 'vitest';
import * as s from '../../dist/index.js';
import { digest, mixedCalls } from '../helpers/mixed-calls.mjs';

const dist = new URL('../../dist/index.js', import.meta.url).href;
const helper = new URL('../helpers/mixed-calls.mjs', import.meta.url).href;
const WORKERS = 8;
const CALLS = 500;

/** A worker that runs the mixed calls for `seed` (or, with bad, only bad inputs) and posts a digest. */
function worker(seed: number, bad: boolean): Promise<{ digest?: number; refused?: number }> {
  const code = `
    import { parentPort, workerData } from 'node:worker_threads';
    const s = await import(${JSON.stringify(dist)});
    const { digest, mixedCalls } = await import(${JSON.stringify(helper)});
    s.setBackend('wasm-simd');
    if (workerData.bad) {
      let refused = 0;
      for (let i = 0; i < ${CALLS}; i++) {
        try {
          s.correlate2d({ data: [1, 2, 3], shape: [2, 2] }, [[1]], { Mode: 'valid' });
        } catch (e) { if (e instanceof s.SimdconvError) refused++; }
        try { s.conv2d({ data: new Float32Array(4), shape: [1, 1, 2, 2] }, { data: new Float32Array(9), shape: [1, 1, 3, 3] }, { padding: 3e9 }); } catch (e) { if (e.code === 'TOO_LARGE') refused++; }
      }
      parentPort.postMessage({ refused });
    } else {
      const results = mixedCalls(workerData.seed, ${CALLS}).map(([fn, args]) => s[fn](...args));
      parentPort.postMessage({ digest: digest(results) });
    }`;
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData: { seed, bad } });
    w.once('message', (m) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

const onMain = (seed: number) => {
  s.setBackend('wasm-simd');
  return digest(mixedCalls(seed, CALLS).map(([fn, args]) => (s as unknown as Record<string, (...a: unknown[]) => unknown>)[fn](...args)));
};

test(`${WORKERS} worker threads x ${CALLS} mixed calls match the main thread; a worker of bad inputs disturbs nobody`, async () => {
  await s.ready();
  const seeds = Array.from({ length: WORKERS }, (_, i) => 1000 + i);
  const [bad, ...answers] = await Promise.all([worker(0, true), ...seeds.map((seed) => worker(seed, false))]);
  expect(bad.refused).toBe(2 * CALLS);
  answers.forEach((a, i) => expect(a.digest, `worker ${i}`).toBe(onMain(seeds[i])));
  // Different seeds really are different calls.
  expect(new Set(answers.map((a) => a.digest)).size).toBe(WORKERS);
}, 300_000);

test(`a pool under the same load (${WORKERS} x ${CALLS} calls in flight at once) returns the same results`, async () => {
  s.setBackend('wasm-simd');
  const pool = await s.createPool({ threads: 2 });
  try {
    const seeds = Array.from({ length: WORKERS }, (_, i) => 2000 + i);
    const digests = await Promise.all(
      seeds.map(async (seed) => {
        const calls = mixedCalls(seed, CALLS);
        const results = await Promise.all(calls.map(([fn, args]) => (pool as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[fn](...args)));
        return digest(results);
      }),
    );
    digests.forEach((d, i) => expect(d, `seed ${seeds[i]}`).toBe(onMain(seeds[i])));
  } finally {
    await pool.close();
  }
}, 300_000);
