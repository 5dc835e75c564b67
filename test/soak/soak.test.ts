// A soak: many mixed calls over random shapes and every family, with bad inputs and release()
// now and then, sampled against the TypeScript fallback. Resident memory, the JS heap and compute
// memory are read at 10%, 50% and 100% of the calls; they must level off, not keep growing.
// `npm test` runs 5,000 calls; `npm run soak` (SOAK_CALLS) 100,000 and prints the figures.
import { expect, test } from 'vitest';
import * as s from '../../src/index';
import { current } from '../../src/runtime/backend';
import { onBackend } from '../helpers/backends';

const CALLS = Number(process.env.SOAK_CALLS ?? 5000);

/** A seeded generator, so a failing soak can be replayed. */
function rng(seed: number) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

type Sample = { at: number; rss: number; heap: number; compute: number };

test(`${CALLS} mixed calls keep memory level`, async () => {
  await s.ready();
  const r = rng(20261202);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const floats = (n: number) => Float32Array.from({ length: n }, () => int(-8, 8) / 4);
  const pick = (): [() => unknown, boolean] => {
    const h = int(1, 48);
    const w = int(1, 48);
    const k = int(1, 7);
    const img = { data: floats(h * w), shape: [h, w] };
    const ker = { data: floats(k * k), shape: [k, k] };
    // Inputs are drawn here, once: the closure may run twice (sampled against the fallback).
    const c = int(1, 9);
    const oc = int(1, 9);
    const [m0, b0, s0, p0] = [int(0, 2), int(0, 2), int(1, 2), int(0, 1)];
    switch (int(0, 9)) {
      case 0: {
        // 'valid' needs one input at least as large as the other in every dimension.
        const mode = (['full', 'same', h >= k && w >= k ? 'valid' : 'full'] as const)[m0];
        return [() => s.correlate2d(img, ker, { mode, boundary: (['fill', 'wrap', 'symm'] as const)[b0] }), true];
      }
      case 1:
        return [() => s.convolve(img, ker, { method: (['auto', 'direct', 'fft'] as const)[m0] }), true];
      case 2:
        return [() => s.fftconvolve(img, ker, { mode: 'same' }), true];
      case 3: {
        // A weight for the wrong number of channels: refused.
        const x = { data: floats(c * h * w), shape: [1, c, h, w] };
        const wt = { data: floats((c + 1) * 9), shape: [1, c + 1, 3, 3] };
        return [() => s.conv2d(x, wt), false];
      }
      case 4: {
        const x = { data: floats(c * (h + 2) * (w + 2)), shape: [1, c, h + 2, w + 2] };
        const wt = { data: floats(oc * c * 9), shape: [oc, c, 3, 3] };
        return [() => s.conv2d(x, wt, { padding: p0, stride: s0 }), true];
      }
      case 5: {
        const image = { data: new Uint8ClampedArray(h * w * 4).map(() => int(0, 255)), width: w, height: h };
        return [() => s.filter2d(image, ker), true];
      }
      case 6: {
        const x = { data: floats(2 * (h + 1) * (w + 1)), shape: [1, 2, h + 1, w + 1] };
        return [() => s.maxPool2d(x, { kernelSize: 2 }), true];
      }
      case 7: {
        const image = { data: floats(h * w * 3), width: w, height: h, channels: 3 };
        const [kx, ky] = [floats(k), floats(int(1, 5))];
        return [() => s.sepFilter2d(image, kx, ky), true];
      }
      case 8:
        // A bad input now and then: refused, and nothing else changes.
        return [() => s.correlate2d(img, ker, { mode: 'middle' as never }), false];
      default: {
        const x = { data: floats(2 * h * w), shape: [1, 2, h, w] };
        const wt = { data: floats(2 * 3 * 9), shape: [2, 3, 3, 3] };
        return [() => s.convTranspose2d(x, wt, { stride: s0 }), true];
      }
    }
  };
  const samples: Sample[] = [];
  const read = (at: number) => {
    globalThis.gc?.();
    const m = process.memoryUsage();
    samples.push({ at, rss: m.rss, heap: m.heapUsed, compute: current().arena.byteLength });
  };
  let sampled = 0;
  let refused = 0;
  const peak = { rss: 0, heap: 0, compute: 0 };
  for (let i = 1; i <= CALLS; i++) {
    const [call, valid] = pick();
    if (!valid) {
      expect(call).toThrow(s.SimdconvError);
      refused++;
    } else if (i % 25 === 0) {
      // Sampled against the fallback.
      const got = call() as { data: ArrayLike<number> };
      const want = onBackend('js', call) as { data: ArrayLike<number> };
      let worst = 0;
      let scale = 1;
      for (let j = 0; j < want.data.length; j++) {
        worst = Math.max(worst, Math.abs(got.data[j] - want.data[j]));
        scale = Math.max(scale, Math.abs(want.data[j]));
      }
      expect(worst / scale, `call ${i}: ${call.toString().slice(0, 120)}`).toBeLessThan(1e-4);
      sampled++;
    } else {
      call();
    }
    if (i % 250 === 0) {
      const m = process.memoryUsage();
      peak.rss = Math.max(peak.rss, m.rss);
      peak.heap = Math.max(peak.heap, m.heapUsed);
      peak.compute = Math.max(peak.compute, current().arena.byteLength);
    }
    if (i % 997 === 0) s.release();
    if (i === Math.round(CALLS / 10) || i === Math.round(CALLS / 2) || i === CALLS) read(i);
  }
  const [tenth, half, all] = samples;
  const mb = (b: number) => (b / 2 ** 20).toFixed(1);
  console.log(
    `soak: ${CALLS} calls (${sampled} sampled against the fallback, ${refused} refused); ` +
      samples.map((x) => `at ${x.at}: rss ${mb(x.rss)} MiB, heap ${mb(x.heap)} MiB, compute ${mb(x.compute)} MiB`).join('; ') +
      `; peak: rss ${mb(peak.rss)} MiB, heap ${mb(peak.heap)} MiB, compute ${mb(peak.compute)} MiB`,
  );
  // Level: the second half adds no more than a little to what the first half reached.
  const slack = 24 * 2 ** 20;
  expect(all.heap).toBeLessThan(Math.max(half.heap, tenth.heap) * 1.25 + slack);
  expect(all.rss).toBeLessThan(Math.max(half.rss, tenth.rss) * 1.25 + slack);
  expect(all.compute).toBeLessThanOrEqual(Math.max(half.compute, tenth.compute) + slack);
}, 3_600_000);
