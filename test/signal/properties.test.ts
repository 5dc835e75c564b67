// Identities of convolution and correlation, and Wasm SIMD vs the TypeScript fallback, on random data.
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { convolve, convolve2d, correlate, correlate2d, features, flip, ready, type Tensor } from '../../src/index';
import { onBackend } from '../helpers/backends';
import { TOLERANCE, mismatch } from '../helpers/fixtures';

const modes = ['full', 'same', 'valid'] as const;
const boundaries = ['fill', 'wrap', 'symm'] as const;

/** Small-integer-valued float64 matrices keep the identities exact enough to compare tightly. */
const matrix = (maxRows: number, maxCols: number) =>
  fc
    .tuple(fc.integer({ min: 1, max: maxRows }), fc.integer({ min: 1, max: maxCols }))
    .chain(([h, w]) =>
      fc.array(fc.integer({ min: -9, max: 9 }), { minLength: h * w, maxLength: h * w }).map((v) => ({ data: Float64Array.from(v), shape: [h, w] })),
    );

const float32Matrix = (maxRows: number, maxCols: number) =>
  fc
    .tuple(fc.integer({ min: 1, max: maxRows }), fc.integer({ min: 1, max: maxCols }))
    .chain(([h, w]) =>
      fc
        // Subnormal products lose relative precision in any float32 accumulator, so keep to normal magnitudes.
        .array(fc.float({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true }).filter((v) => v === 0 || Math.abs(v) > 1e-6), {
          minLength: h * w,
          maxLength: h * w,
        })
        .map((v) => ({ data: Float32Array.from(v), shape: [h, w] })),
    );

function abs(t: { data: Float32Array | Float64Array; shape: number[] }) {
  return { data: t.data.map(Math.abs), shape: t.shape };
}

function close(a: Tensor, b: Tensor, scale: Tensor | null, rel: number): void {
  expect(a.shape).toEqual(b.shape);
  expect(mismatch(a.data, b.data, scale?.data ?? null, rel)).toBeNull();
}

beforeAll(async () => {
  expect(await ready()).toBe(features().relaxedSimd ? 'wasm-relaxed-simd' : 'wasm-simd');
});

describe('identities', () => {
  test('an impulse convolved with a kernel returns the kernel; correlated, the kernel rotated 180°', () => {
    fc.assert(
      fc.property(matrix(7, 7), fc.nat(5), fc.nat(5), (k, r, c) => {
        const [kh, kw] = k.shape;
        const img = { data: new Float64Array((r + kh) * (c + kw)), shape: [r + kh, c + kw] };
        img.data[r * (c + kw) + c] = 1;
        const conv = convolve2d(img, k);
        const corr = correlate2d(img, k);
        const window = (t: Tensor) =>
          Array.from({ length: kh * kw }, (_, i) => t.data[(r + Math.floor(i / kw)) * t.shape[1] + c + (i % kw)]);
        expect(window(conv)).toEqual(Array.from(k.data));
        expect(window(corr)).toEqual(Array.from(flip(k).data));
      }),
    );
  });

  test('convolution commutes (full mode)', () => {
    fc.assert(
      fc.property(matrix(8, 8), matrix(8, 8), (a, b) => {
        close(convolve2d(a, b), convolve2d(b, a), null, 0);
        close(convolve(a, b), convolve(b, a), null, 0);
      }),
    );
  });

  test('convolve2d(a, k) == correlate2d(a, flip(k)) for every boundary, in full and valid mode and in same mode for odd kernels', () => {
    fc.assert(
      fc.property(matrix(9, 9), matrix(5, 5), fc.constantFrom(...modes), fc.constantFrom(...boundaries), (a, k, mode, boundary) => {
        const odd = k.shape.every((m) => m % 2 === 1);
        fc.pre(mode !== 'same' || odd);
        fc.pre(mode !== 'valid' || a.shape.every((n, i) => n >= k.shape[i]));
        close(convolve2d(a, k, { mode, boundary, fillvalue: 2 }), correlate2d(a, flip(k), { mode, boundary, fillvalue: 2 }), null, 0);
      }),
    );
  });

  test('convolve(a, k) == correlate(a, flip(k)) in every mode, even kernels included (1-D, 2-D, 3-D)', () => {
    const nd = fc.integer({ min: 1, max: 3 }).chain((n) =>
      fc.tuple(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: n, maxLength: n }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: n, maxLength: n }),
      ),
    );
    fc.assert(
      fc.property(nd, fc.constantFrom(...modes), fc.integer(), ([sa, sk], mode, seed) => {
        fc.pre(mode !== 'valid' || sa.every((n, i) => n >= sk[i]) || sk.every((n, i) => n >= sa[i]));
        const fill = (shape: number[], s: number) => {
          const n = shape.reduce((p, d) => p * d, 1);
          return { data: Float64Array.from({ length: n }, (_, i) => ((i * 7919 + s) % 19) - 9), shape };
        };
        const a = fill(sa, seed);
        const k = fill(sk, seed + 1);
        close(convolve(a, k, { mode }), correlate(a, flip(k), { mode }), null, 0);
      }),
    );
  });
});

describe('Wasm SIMD matches the TypeScript fallback', () => {
  test('float32 2-D, every mode, boundary and operation', () => {
    fc.assert(
      fc.property(
        float32Matrix(24, 40),
        float32Matrix(9, 9),
        fc.constantFrom(...modes),
        fc.constantFrom(...boundaries),
        fc.constantFrom(convolve2d, correlate2d),
        (a, k, mode, boundary, f) => {
          fc.pre(mode !== 'valid' || a.shape.every((n, i) => n >= k.shape[i]) || k.shape.every((n, i) => n >= a.shape[i]));
          const wasm = onBackend('wasm-simd', () => f(a, k, { mode, boundary }));
          const js = onBackend('js', () => f(a, k, { mode, boundary }));
          const scale = onBackend('js', () => f(abs(a), abs(k), { mode, boundary, dtype: 'float64' }));
          close(wasm, js, scale, 2 * TOLERANCE.float32);
        },
      ),
    );
  });

  test('float64 N-D convolve and correlate', () => {
    fc.assert(
      fc.property(matrix(20, 33), matrix(6, 6), fc.constantFrom(...modes), fc.constantFrom(convolve, correlate), (a, k, mode, f) => {
        fc.pre(mode !== 'valid' || a.shape.every((n, i) => n >= k.shape[i]) || k.shape.every((n, i) => n >= a.shape[i]));
        close(onBackend('wasm-simd', () => f(a, k, { mode })), onBackend('js', () => f(a, k, { mode })), null, 0);
      }),
    );
  });
});
