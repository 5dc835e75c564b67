// Wasm memory: grows only for a shape larger than any before, views survive memory.grow,
// results never alias backend memory, and failed calls leak nothing.
import { expect, test } from 'vitest';
import { current } from '../../src/runtime/backend';
import { convolve, convolve2d, correlate, correlate2d, features, ready, type Tensor } from '../../src/index';
import { onBackend } from '../helpers/backends';

function random(shape: number[], seed: number, f64: boolean): { data: Float32Array | Float64Array; shape: number[] } {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = f64 ? new Float64Array(n) : new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s >>> 8) / (1 << 24) - 0.5;
  }
  return { data, shape };
}

test('results computed after memory.grow are right, and earlier results stay valid', async () => {
  expect(await ready()).toBe(features().relaxedSimd ? 'wasm-relaxed-simd' : 'wasm-simd');
  const arena = current().arena;
  const small = random([16, 16], 1, false);
  const k = random([3, 3], 2, false);
  const before = correlate2d(small, k, { mode: 'same' });
  const snapshot = Float32Array.from(before.data);
  const size0 = arena.byteLength;

  const big = random([700, 700], 3, false);
  const bigOut = convolve2d(big, k, { boundary: 'symm' });
  expect(arena.byteLength).toBeGreaterThan(size0); // the call really grew memory

  const after = correlate2d(small, k, { mode: 'same' });
  expect(Array.from(after.data)).toEqual(Array.from(snapshot));
  expect(Array.from(before.data)).toEqual(Array.from(snapshot));
  expect(before.data.buffer).not.toBe(after.data.buffer);
  const bigJs = onBackend('js', () => convolve2d(big, k, { boundary: 'symm' }));
  let worst = 0;
  for (let i = 0; i < bigJs.data.length; i++) worst = Math.max(worst, Math.abs(bigJs.data[i] - bigOut.data[i]));
  expect(worst).toBeLessThan(1e-5);
});

test('1,000 calls over mixed shapes leave memory no larger than after the first call of the largest shape', () => {
  const arena = current().arena;
  const largest = () => convolve2d(random([640, 640], 9, true), random([9, 9], 10, true), { boundary: 'wrap' });
  largest();
  const ceiling = arena.byteLength;

  const fns = [convolve2d, correlate2d] as const;
  const modes = ['full', 'same', 'valid'] as const;
  const boundaries = ['fill', 'wrap', 'symm'] as const;
  let checksum = 0;
  for (let i = 0; i < 1000; i++) {
    const f64 = i % 3 === 0;
    const h = 1 + ((i * 37) % 120);
    const w = 1 + ((i * 53) % 150);
    const kh = 1 + (i % 7);
    const kw = 1 + ((i >> 2) % 6);
    const mode = modes[i % 3];
    const a = random([h, w], i, f64);
    const b = random([kh, kw], i + 1, f64);
    let out: Tensor | null = null;
    try {
      if (i % 10 === 7) out = (i % 20 === 7 ? convolve : correlate)(a, b, { mode });
      else out = fns[i % 2](a, b, { mode, boundary: boundaries[(i >> 1) % 3] });
    } catch (e) {
      // 'valid' with neither input containing the other is a legitimate error; it must not leak.
      expect((e as Error).name).toBe('SimdconvError');
    }
    if (i % 100 === 0) largest();
    if (out) checksum += out.data[0];
    expect(arena.byteLength).toBe(ceiling);
  }
  expect(Number.isFinite(checksum)).toBe(true);
});
