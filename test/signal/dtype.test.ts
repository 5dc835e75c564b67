// dtype rules (README "Choices"): explicit option wins; typed float operands decide; nested and
// integer arrays follow them; nested alone is float64; integers alone float32.
import { expect, test } from 'vitest';
import { convolve, correlate2d, flip } from '../../src/index';

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
