// chooseConvMethod and what 'auto' does with its answer: the engine it names runs (the result is
// bit for bit that method's), a NaN or infinity sends 'auto' back to the direct sum, and the
// issue's anchor points hold on both backends.
import { describe, expect, test } from 'vitest';
import { SimdconvError, chooseConvMethod, convolve, correlate, correlate2d, type Tensor } from '../../src/index';
import { BACKENDS, onBackend } from '../helpers/backends';

function noise(shape: number[], seed: number, dtype: 'float32' | 'float64' = 'float32'): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s >>> 8) / (1 << 24) - 0.5;
  }
  return { data, shape };
}

const sameBits = (a: Tensor, b: Tensor) => a.data.length === b.data.length && a.data.every((v, i) => Object.is(v, b.data[i]));

describe.each(BACKENDS)('on %s', (backend) => {
  test.each(['float32', 'float64'] as const)('%s: 3x3 on 1024x1024 is direct, 31x31 is fft', (dtype) => {
    const image = noise([1024, 1024], 1, dtype);
    onBackend(backend, () => {
      expect(chooseConvMethod(image, noise([3, 3], 2, dtype), { mode: 'same' })).toBe('direct');
      expect(chooseConvMethod(image, noise([31, 31], 2, dtype), { mode: 'same' })).toBe('fft');
      expect(chooseConvMethod(image, noise([31, 31], 2, dtype))).toBe('fft');
    });
  });

  test('a long filter over a long signal is fft, a short one direct; a tiny problem is always direct', () => {
    onBackend(backend, () => {
      expect(chooseConvMethod(noise([100000], 1), noise([1001], 2))).toBe('fft');
      expect(chooseConvMethod(noise([100000], 1), noise([5], 2))).toBe('direct');
      expect(chooseConvMethod(noise([8, 8], 1), noise([3, 3], 2))).toBe('direct');
      expect(chooseConvMethod([[1, 2], [3, 4]], [[1]], { mode: 'valid' })).toBe('direct');
    });
  });

  test("'auto' runs the method chooseConvMethod names, bit for bit", () => {
    const image = noise([200, 180], 3);
    onBackend(backend, () => {
      for (const k of [3, 9, 25]) {
        const kernel = noise([k, k], k);
        const method = chooseConvMethod(image, kernel, { mode: 'same' });
        const auto = correlate(image, kernel, { mode: 'same' });
        expect(sameBits(auto, correlate(image, kernel, { mode: 'same', method })), `${k}x${k} ${method}`).toBe(true);
        expect(sameBits(correlate2d(image, kernel, { mode: 'same' }), auto), `correlate2d ${k}x${k}`).toBe(true);
      }
      // Both methods must occur above, or this test proves nothing about the dispatch.
      expect(new Set([3, 25].map((k) => chooseConvMethod(image, noise([k, k], k), { mode: 'same' })))).toEqual(new Set(['direct', 'fft']));
    });
  });

  test("with a NaN in the input 'auto' falls back to the direct sum, where 'fft' smears it over its block", () => {
    const image = noise([256, 256], 4);
    image.data[128 * 256 + 100] = NaN;
    const kernel = noise([31, 31], 5);
    onBackend(backend, () => {
      expect(chooseConvMethod(image, kernel, { mode: 'same' })).toBe('fft');
      const auto = convolve(image, kernel, { mode: 'same' });
      const direct = convolve(image, kernel, { mode: 'same', method: 'direct' });
      const fft = convolve(image, kernel, { mode: 'same', method: 'fft' });
      expect(sameBits(auto, direct)).toBe(true);
      const nans = (t: Tensor) => Array.from(t.data).filter(Number.isNaN).length;
      expect(nans(direct)).toBe(31 * 31);
      expect(nans(fft)).toBeGreaterThan(31 * 31);
    });
  });
});

test("a NaN anywhere sends 'auto' to the direct sum: every tile of a transform group checks its results", () => {
  // One NaN a call. Here the tiles are 50 x 48 (30 x 28 outputs), 2 x 4 of them, all whole, in
  // one run of eight: (50, 90) reaches only the pair that sits in the last lane of both of its
  // planes' groups; the other positions cover edges, corners and windows that tiles share.
  const image = noise([60, 112], 6);
  const kernel = noise([21, 21], 7);
  expect(chooseConvMethod(image, kernel, { mode: 'same' })).toBe('fft');
  for (const backend of BACKENDS) {
    onBackend(backend, () => {
      for (const [r, c] of [[50, 90], [0, 0], [10, 40], [59, 111], [45, 20], [20, 100]]) {
        const poisoned = { data: image.data.slice(), shape: image.shape };
        poisoned.data[r * 112 + c] = NaN;
        const auto = correlate(poisoned, kernel, { mode: 'same' });
        expect(sameBits(auto, correlate(poisoned, kernel, { mode: 'same', method: 'direct' })), `${backend}, NaN at (${r}, ${c})`).toBe(true);
      }
    });
  }
});

test('chooseConvMethod rejects what convolve rejects, naming the argument', () => {
  const bad: [() => unknown, RegExp][] = [
    [() => chooseConvMethod([1, 2, 3], [1], { mode: 'middle' as never }), /options\.mode.*middle/],
    [() => chooseConvMethod([1, 2, 3], [[1]]), /in1|in2/],
    [() => chooseConvMethod([[1, 2], [3, 4]], [[1, 2, 3]], { mode: 'valid' }), /valid/],
    [() => chooseConvMethod([], [1]), /in1/],
    [() => chooseConvMethod([1, 2], [1], { dtype: 'int8' as never }), /options\.dtype.*int8/],
  ];
  for (const [call, message] of bad) {
    expect(call).toThrow(SimdconvError);
    expect(call).toThrow(message);
  }
});
