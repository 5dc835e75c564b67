// options.out: the result lands in the caller's array, equal to the allocated result, on every backend.
import { describe, expect, test } from 'vitest';
import { SimdconvError, convolve, correlate2d } from '../../src/index';
import { BACKENDS, useBackend } from '../helpers/backends';

for (const backend of BACKENDS) {
  describe(`options.out on ${backend}`, () => {
    useBackend(backend);
    const img = { data: Float32Array.from({ length: 30 }, (_, i) => (i * 7) % 5), shape: [5, 6] };
    const k = { data: Float32Array.from([1, 2, 3, 4]), shape: [2, 2] };

    test('writes the same values as a fresh result and returns the given array', () => {
      const fresh = correlate2d(img, k, { mode: 'same', boundary: 'wrap' });
      const out = new Float32Array(30).fill(NaN);
      const res = correlate2d(img, k, { mode: 'same', boundary: 'wrap', out });
      expect(res.data).toBe(out);
      expect(Array.from(out)).toEqual(Array.from(fresh.data));
    });

    test('the swapped valid correlation is reversed in place in out', () => {
      const fresh = convolve([1, 2], [3, 4, 5, 6], { mode: 'valid' });
      const out = new Float64Array(3);
      convolve([1, 2], [3, 4, 5, 6], { mode: 'valid', out });
      expect(Array.from(out)).toEqual(Array.from(fresh.data));
    });

    test('out may be the input array itself', () => {
      const data = Float32Array.from(img.data);
      const expected = correlate2d(img, k, { mode: 'same' });
      correlate2d({ data, shape: [5, 6] }, k, { mode: 'same', out: data });
      expect(Array.from(data)).toEqual(Array.from(expected.data));
    });

    test('a wrong length or dtype is an OPTION error naming options.out, and nothing is written', () => {
      const short = new Float32Array(29);
      expect(() => correlate2d(img, k, { mode: 'same', out: short })).toThrow(/options\.out: expected a Float32Array of length 30/);
      expect(() => correlate2d(img, k, { mode: 'same', out: new Float64Array(30) })).toThrow(SimdconvError);
      expect(short.every((v) => v === 0)).toBe(true);
    });
  });
}
