// Fuzzing every public compute function with fast-check: Wasm against the TypeScript fallback,
// and the identities that hold whatever the implementation: convolution commutes, convolution is
// correlation with the flipped kernel, the impulse response is the kernel, conv2d is correlate2d
// summed over channels, the FFT methods agree with the direct sum, filter2d is correlate2d with the
// same border (and, with NaN and infinities in the image, OpenCV's sum of the nonzero taps), pooling
// windows agree with their definition, and the backward pass agrees with finite differences. Data are small integers in float64, so every sum is exact and most checks
// are exact too. `npm test` runs a short budget; `npm run fuzz` (FUZZ_RUNS) a long one. A failure
// prints its seed and path: it becomes a named case in REGRESSIONS below.
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import * as s from '../../src/index';
import { sourceIndex } from '../../src/core/padding';
import { onBackend } from '../helpers/backends';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const wasm = () => (s.features().relaxedSimd ? 'wasm-relaxed-simd' : 'wasm-simd') as s.BackendName;

beforeAll(() => s.ready());

/** A tensor of small integers (exact in any float sum here). */
const tensor = (shape: number[]) =>
  fc.array(fc.integer({ min: -6, max: 6 }), { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) }).map((v) => ({ data: Float64Array.from(v), shape }));
const dims2 = (max: number) => fc.tuple(fc.integer({ min: 1, max }), fc.integer({ min: 1, max }));
const pair = (maxA: number, maxK: number) => fc.tuple(dims2(maxA), dims2(maxK)).chain(([a, k]) => fc.tuple(tensor(a), tensor(k)));
const MODES = ['full', 'same', 'valid'] as const;
const BOUNDARIES = ['fill', 'wrap', 'symm'] as const;

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((t, v) => t + v, 0);
const same = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).every((v, i) => Object.is(v + 0, b[i] + 0));
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => a.length === b.length && Array.from(a).every((v, i) => Math.abs(v - b[i]) <= tol);

/** Failures found by fuzzing, replayed by seed and path (none so far). */
const REGRESSIONS: { name: string; property: string; seed: number; path: string }[] = [];

const properties: Record<string, fc.IProperty<never>> = {
  'correlate2d and convolve2d: Wasm equals the fallback': fc.property(pair(9, 5), fc.constantFrom(...MODES), fc.constantFrom(...BOUNDARIES), fc.integer({ min: -3, max: 3 }), ([a, k], mode, boundary, fillvalue) => {
    if (mode === 'valid' && (a.shape[0] < k.shape[0] || a.shape[1] < k.shape[1]) && (a.shape[0] > k.shape[0] || a.shape[1] > k.shape[1])) return true;
    for (const fn of [s.correlate2d, s.convolve2d]) {
      const got = onBackend(wasm(), () => fn(a, k, { mode, boundary, fillvalue }));
      const want = onBackend('js', () => fn(a, k, { mode, boundary, fillvalue }));
      expect(got.shape).toEqual(want.shape);
      expect(same(got.data, want.data)).toBe(true);
    }
    return true;
  }) as never,
  'convolve2d is correlate2d with the kernel rotated 180°': fc.property(pair(9, 5), fc.constantFrom(...BOUNDARIES), ([a, k], boundary) => {
    const c = s.convolve2d(a, k, { boundary });
    const r = s.correlate2d(a, s.flip(k), { boundary });
    expect(c.shape).toEqual(r.shape);
    return same(c.data, r.data);
  }) as never,
  'convolution commutes (1-D to 3-D, full)': fc.property(fc.integer({ min: 1, max: 3 }).chain((nd) => fc.tuple(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: nd, maxLength: nd }), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: nd, maxLength: nd }))).chain(([a, b]) => fc.tuple(tensor(a), tensor(b))), fc.constantFrom('direct', 'auto') , ([a, b], method) => {
    const ab = s.convolve(a, b, { method: method as 'direct' });
    const ba = s.convolve(b, a, { method: method as 'direct' });
    return close(ab.data, ba.data, 1e-9);
  }) as never,
  'the impulse response is the kernel': fc.property(dims2(6).chain((k) => tensor(k)), (k) => {
    const [kh, kw] = k.shape;
    const delta = s.unitImpulse([kh * 2 + 1, kw * 2 + 1], 'mid');
    const y = s.convolve2d(delta, k, { mode: 'same' });
    // The kernel sits around the impulse, rotated by nothing: convolution of a delta copies it.
    const full = s.convolve2d(s.unitImpulse([1, 1]), k);
    expect(Array.from(full.data)).toEqual(Array.from(k.data));
    return sum(y.data) === sum(k.data);
  }) as never,
  'conv2d is correlate2d summed over the input channels': fc.property(fc.record({ c: fc.integer({ min: 1, max: 4 }), h: fc.integer({ min: 3, max: 9 }), w: fc.integer({ min: 3, max: 9 }), k: fc.integer({ min: 1, max: 3 }) }).chain(({ c, h, w, k }) => fc.tuple(tensor([1, c, h, w]), tensor([2, c, k, k]))), ([x, w]) => {
    const [, c, h, wd] = x.shape;
    const [oc, , k] = w.shape;
    const y = s.conv2d(x, w);
    const plane = (h - k + 1) * (wd - k + 1);
    for (let o = 0; o < oc; o++) {
      const want = new Float64Array(plane);
      for (let ch = 0; ch < c; ch++) {
        const r = s.correlate2d({ data: x.data.subarray(ch * h * wd, (ch + 1) * h * wd), shape: [h, wd] }, { data: w.data.subarray((o * c + ch) * k * k, (o * c + ch + 1) * k * k), shape: [k, k] }, { mode: 'valid' });
        for (let i = 0; i < plane; i++) want[i] += r.data[i];
      }
      expect(same(y.data.subarray(o * plane, (o + 1) * plane), want)).toBe(true);
    }
    return true;
  }) as never,
  'conv2d, conv1d and convTranspose2d: Wasm equals the fallback': fc.property(fc.record({ c: fc.integer({ min: 1, max: 9 }), h: fc.integer({ min: 2, max: 8 }), w: fc.integer({ min: 2, max: 8 }), k: fc.integer({ min: 1, max: 3 }), stride: fc.integer({ min: 1, max: 2 }), padding: fc.integer({ min: 0, max: 1 }), nhwc: fc.boolean() }).chain((r) => fc.tuple(fc.constant(r), tensor([1, r.c, r.h, r.w]), tensor([3, r.c, r.k, r.k]), tensor([r.c, 2, r.k, r.k]))), ([r, x, w, wt]) => {
    // A kernel larger than the padded input is an error, tested elsewhere.
    if (r.k > Math.min(r.h, r.w) + 2 * r.padding) return true;
    const layout = r.nhwc ? 'NHWC' : 'NCHW';
    const xs = r.nhwc ? { data: x.data, shape: [1, r.h, r.w, r.c] } : x;
    const both = <T extends { data: ArrayLike<number> }>(f: () => T) => [onBackend(wasm(), f), onBackend('js', f)];
    const [a, b] = both(() => s.conv2d(xs, w, { stride: r.stride, padding: r.padding, layout }));
    expect(same(a.data, b.data)).toBe(true);
    const [c, d] = both(() => s.convTranspose2d(x, wt, { stride: r.stride, padding: 0 }));
    expect(same(c.data, d.data)).toBe(true);
    const x1 = { data: x.data.subarray(0, r.c * r.w), shape: [1, r.c, r.w] };
    const w1 = { data: w.data.subarray(0, 3 * r.c * r.k), shape: [3, r.c, r.k] };
    const [e, f] = both(() => s.conv1d(x1, w1, { padding: r.padding }));
    return same(e.data, f.data);
  }) as never,
  'fftconvolve and oaconvolve agree with the direct sum': fc.property(pair(12, 8), ([a, k]) => {
    const direct = s.convolve(a, k, { method: 'direct' });
    const tol = 1e-7 * (1 + sum(Array.from(a.data, Math.abs)) * 6);
    return close(s.fftconvolve(a, k).data, direct.data, tol) && close(s.oaconvolve(a, k).data, direct.data, tol);
  }) as never,
  "filter2d is correlate2d 'same' with the matching border (odd kernels)": fc.property(dims2(9), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.constantFrom(['constant', 'fill'], ['wrap', 'wrap'], ['replicate', null]), (dims, a, b, [border, boundary]) => {
    const k = { data: Float64Array.from({ length: (2 * a + 1) * (2 * b + 1) }, (_, i) => ((i * 5) % 7) - 3), shape: [2 * a + 1, 2 * b + 1] };
    const img = { data: Float64Array.from({ length: dims[0] * dims[1] }, (_, i) => ((i * 3) % 11) - 5), shape: dims };
    const f = s.filter2d(img, k, { border: border as 'constant' }) as s.Tensor;
    if (!boundary) return f.data.length === img.data.length;
    // scipy's 'wrap' for kernels larger than the image wraps periodically, as OpenCV's does.
    const c = s.correlate2d(img, k, { mode: 'same', boundary: boundary as 'fill' });
    return close(f.data, c.data, 1e-9);
  }) as never,
  'filter2d with NaN and infinities: zero taps read nothing (OpenCV), on Wasm and the fallback': fc.property(
    fc.record({ h: fc.integer({ min: 1, max: 14 }), w: fc.integer({ min: 1, max: 14 }), c: fc.constantFrom(1, 3, 4), kh: fc.integer({ min: 1, max: 6 }), kw: fc.integer({ min: 1, max: 6 }), border: fc.constantFrom('constant', 'replicate', 'reflect', 'reflect101', 'wrap') }).chain((r) =>
      fc.tuple(
        fc.constant(r),
        fc.array(fc.oneof({ weight: 12, arbitrary: fc.integer({ min: -6, max: 6 }) }, { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) }), { minLength: r.h * r.w * r.c, maxLength: r.h * r.w * r.c }),
        fc.array(fc.oneof(fc.constant(0), fc.integer({ min: -3, max: 3 })), { minLength: r.kh * r.kw, maxLength: r.kh * r.kw }),
      ),
    ),
    ([r, samples, taps]) => {
      const img = { data: Float32Array.from(samples), width: r.w, height: r.h, channels: r.c };
      const k = { data: Float64Array.from(taps), shape: [r.kh, r.kw] };
      const opts = { border: r.border, alpha: 'filter' } as const;
      const got = onBackend(wasm(), () => s.filter2d(img, k, opts)).data;
      const js = onBackend('js', () => s.filter2d(img, k, opts)).data;
      // OpenCV's sum: the nonzero taps only (a kernel of zeros keeps its first), anchor at the centre.
      const mode = { constant: 'constant', replicate: 'edge', reflect: 'symmetric', reflect101: 'reflect', wrap: 'wrap' } as const;
      const used = taps.map((t, i) => (t !== 0 || (i === 0 && taps.every((v) => v === 0)) ? i : -1)).filter((i) => i >= 0);
      for (let y = 0; y < r.h; y++) {
        for (let x = 0; x < r.w; x++) {
          for (let ch = 0; ch < r.c; ch++) {
            let want = 0;
            for (const i of used) {
              const sy = sourceIndex(y + Math.floor(i / r.kw), r.h, r.kh >> 1, mode[r.border]);
              const sx = sourceIndex(x + (i % r.kw), r.w, r.kw >> 1, mode[r.border]);
              want += taps[i] * (sy < 0 || sx < 0 ? 0 : samples[(sy * r.w + sx) * r.c + ch]);
            }
            const at = (y * r.w + x) * r.c + ch;
            // Small integers: every finite sum is exact in float32 as in float64.
            expect(Object.is(got[at] + 0, Math.fround(want) + 0), `wasm [${at}]`).toBe(true);
            expect(Object.is(js[at] + 0, Math.fround(want) + 0), `js [${at}]`).toBe(true);
          }
        }
      }
      return true;
    },
  ) as never,
  'sepFilter2d is filter2d with the outer product': fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), dims2(10), (a, b, dims) => {
    const kx = Float64Array.from({ length: 2 * a - 1 }, (_, i) => i - a + 2);
    const ky = Float64Array.from({ length: 2 * b - 1 }, (_, i) => 1 + (i % 3));
    const outer = { data: Float64Array.from({ length: ky.length * kx.length }, (_, i) => ky[Math.floor(i / kx.length)] * kx[i % kx.length]), shape: [ky.length, kx.length] };
    const img = { data: new Uint8ClampedArray(dims[0] * dims[1] * 4).map((_, i) => (i * 37) % 256), width: dims[1], height: dims[0] };
    const sep = s.sepFilter2d(img, kx, ky, { ddepth: 'float32' });
    const full = s.filter2d(img, outer, { ddepth: 'float32' });
    return close(sep.data, full.data, 1e-2);
  }) as never,
  'maxPool2d and avgPool2d follow their definition': fc.property(dims2(8), fc.integer({ min: 1, max: 3 }), ([h, w], k) => {
    if (k > h || k > w) return true;
    const x = { data: Float64Array.from({ length: h * w }, (_, i) => ((i * 7) % 13) - 6), shape: [1, 1, h, w] };
    const [m, idx] = s.maxPool2d(x, { kernelSize: k, stride: 1, returnIndices: true });
    const avg = s.avgPool2d(x, { kernelSize: k, stride: 1, divisorOverride: 1 });
    const ow = w - k + 1;
    for (let i = 0; i < m.data.length; i++) {
      const [oy, ox] = [Math.floor(i / ow), i % ow];
      let max = -Infinity;
      let sum = 0;
      for (let u = 0; u < k; u++) for (let v = 0; v < k; v++) {
        const val = x.data[(oy + u) * w + ox + v];
        max = Math.max(max, val);
        sum += val;
      }
      if (m.data[i] !== max || x.data[idx.data[i]] !== max || avg.data[i] !== sum) return false;
    }
    return true;
  }) as never,
  'conv2dBackward agrees with finite differences': fc.property(fc.record({ c: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 2, max: 6 }), k: fc.integer({ min: 1, max: 3 }), stride: fc.integer({ min: 1, max: 2 }), padding: fc.integer({ min: 0, max: 1 }) }).chain((r) => fc.tuple(fc.constant(r), tensor([1, r.c, r.h, r.h]), tensor([2, r.c, r.k, r.k]))), ([r, x, w]) => {
    if (r.k > r.h + 2 * r.padding) return true;
    const opts = { stride: r.stride, padding: r.padding };
    const y = s.conv2d(x, w, opts);
    const g = { data: Float64Array.from(y.data, (_, i) => ((i * 3) % 5) - 2), shape: y.shape };
    const loss = (xx: s.Tensor, ww: s.Tensor) => sum(Array.from(s.conv2d(xx, ww, opts).data, (v, i) => v * g.data[i]));
    const grads = s.conv2dBackward(g, x, w, { ...opts, bias: true });
    // The loss is linear in x and in w: a unit step is an exact difference.
    for (const i of [0, x.data.length - 1, Math.floor(x.data.length / 2)]) {
      const xp = { data: x.data.slice(), shape: x.shape };
      xp.data[i] += 1;
      if (loss(xp, w) - loss(x, w) !== grads.gradInput.data[i]) return false;
    }
    for (const i of [0, w.data.length - 1]) {
      const wp = { data: w.data.slice(), shape: w.shape };
      wp.data[i] += 1;
      if (loss(x, wp) - loss(x, w) !== grads.gradWeight.data[i]) return false;
    }
    return true;
  }) as never,
};

describe(`fuzzing every public compute function (${RUNS} runs each)`, () => {
  for (const [name, property] of Object.entries(properties)) {
    test(name, () => fc.assert(property, { numRuns: RUNS }), 600_000);
  }
  for (const r of REGRESSIONS) {
    test(`regression: ${r.name}`, () => fc.assert(properties[r.property], { seed: r.seed, path: r.path, numRuns: 1 }));
  }
});
