// dtype rules (README "Choices"): explicit option wins; typed float operands decide; nested and
// integer arrays follow them; nested alone is float64; integers alone float32.
import { beforeAll, expect, test } from 'vitest';
import { convolve, correlate2d, flip, ready } from '../../src/index';
import { BACKENDS, onBackend } from '../helpers/backends';

beforeAll(() => ready());

const k = [
  [-1, 0, 1],
  [-2, 0, 2],
  [-1, 0, 1],
];
const f32 = { data: new Float32Array(16).fill(1), shape: [4, 4] };
const f64 = { data: new Float64Array(16).fill(1), shape: [4, 4] };
const u8 = { data: new Uint8Array(16).fill(200), shape: [4, 4] };

test('a Float32Array image with a nested kernel stays float32', () => {
  expect(correlate2d(f32, k, { mode: 'same', boundary: 'symm' }).data).toBeInstanceOf(Float32Array);
});

test('a Float64Array image with a nested kernel computes in float64', () => {
  expect(correlate2d(f64, k).data).toBeInstanceOf(Float64Array);
});

test('nested arrays alone compute in float64; integer arrays alone in float32', () => {
  expect(convolve([1, 2, 3], [1, 1]).data).toBeInstanceOf(Float64Array);
  expect(correlate2d(u8, { data: new Int16Array(9).fill(1), shape: [3, 3] }).data).toBeInstanceOf(Float32Array);
  expect(correlate2d(u8, k).data).toBeInstanceOf(Float64Array);
});

test('integer data is converted, not wrapped: 200 * 9 taps', () => {
  const out = correlate2d(u8, { data: new Uint8Array(9).fill(1), shape: [3, 3] }, { mode: 'valid' });
  expect(Array.from(out.data)).toEqual([1800, 1800, 1800, 1800]);
});

test('an explicit dtype overrides and resolves a float32/float64 mix', () => {
  expect(correlate2d(f32, f64, { dtype: 'float64' }).data).toBeInstanceOf(Float64Array);
  expect(correlate2d(f64, k, { dtype: 'float32' }).data).toBeInstanceOf(Float32Array);
  expect(flip(f32).data).toBeInstanceOf(Float32Array);
});

test('byte data widens to the same samples as its float copy, on every backend (vector loops and tails)', () => {
  // 37 columns: the widening goes 16 bytes at a time with a scalar tail; 'same' pads, 'valid' does not.
  const bytes = Uint8Array.from({ length: 29 * 37 }, (_, i) => (i * 151 + (i >> 5) * 17) & 255);
  const image = { data: bytes, shape: [29, 37] };
  const kernel = { data: Int16Array.from([1, -2, 3, 4, 5, -6, 7, 8, 9]), shape: [3, 3] };
  for (const backend of BACKENDS) {
    onBackend(backend, () => {
      for (const mode of ['same', 'valid'] as const) {
        const wide = correlate2d(image, k, { mode });
        expect(wide.data).toBeInstanceOf(Float64Array);
        expect(Array.from(wide.data), `${backend} ${mode} float64`).toEqual(Array.from(correlate2d({ data: Float64Array.from(bytes), shape: [29, 37] }, k, { mode }).data));
        const narrow = correlate2d(image, kernel, { mode });
        expect(narrow.data).toBeInstanceOf(Float32Array);
        expect(Array.from(narrow.data), `${backend} ${mode} float32`).toEqual(Array.from(correlate2d({ data: Float32Array.from(bytes), shape: [29, 37] }, { data: Float32Array.from(kernel.data), shape: [3, 3] }, { mode }).data));
      }
    });
  }
});
