// uint8 filtering rounds like OpenCV everywhere, not just on the fixtures: filter2d and
// sepFilter2d compute exactly and let the model of OpenCV's arithmetic (src/opencvBytes.ts,
// checked pixel by pixel against the OpenCV fixtures in opencv.test.ts) redo only the samples
// near a .5 tie. Here, on random images and tie-prone kernels, every sample must equal the
// model's, so a near-tie sample the scan missed would show up.
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { filter2dByteModel, sepFilter2dByteModel } from '../../src/image/filter';
import { filter2d, kernels, ready, sepFilter2d, type Border, type ImageLike } from '../../src/index';
import { OPENCV_DFT_AREA, fma32 } from '../../src/image/opencvBytes';
import { BACKENDS, onBackend } from '../helpers/backends';

beforeAll(() => ready());

const image = fc
  .record({ width: fc.integer({ min: 1, max: 23 }), height: fc.integer({ min: 1, max: 17 }), channels: fc.constantFrom(1, 3, 4) })
  .chain(({ width, height, channels }) =>
    fc.uint8Array({ minLength: width * height * channels, maxLength: width * height * channels }).map((d) => ({ data: Uint8ClampedArray.from(d), width, height, channels })),
  );

/** Weights that put many exact results on or next to a .5 tie: tenths, ninths, Gaussians, halves. */
const weight = fc.oneof(
  fc.integer({ min: -10, max: 10 }).map((n) => n / 10),
  fc.integer({ min: 0, max: 9 }).map((n) => n / 9),
  fc.constantFrom(0.5, 0.25, 0.3, 1 / 3),
);
const vector = (n: number) => fc.array(weight, { minLength: n, maxLength: n });
const oneD = fc.oneof(
  fc.integer({ min: 1, max: 7 }).chain(vector),
  fc.constantFrom(3, 5, 7).chain((n) => fc.constantFrom(0, 0.8, 1.3).map((sigma) => Array.from(kernels.gaussian(n, sigma).data as Float64Array))),
);
const options = fc.record({
  border: fc.constantFrom<Border>('constant', 'replicate', 'reflect', 'reflect101'),
  borderValue: fc.integer({ min: 0, max: 255 }),
  delta: fc.constantFrom(0, 0.5, -0.5, 0.3, -12.75),
  op: fc.constantFrom('correlate' as const, 'convolve' as const),
  alpha: fc.constantFrom('keep' as const, 'filter' as const),
});

function expectModel(got: ImageLike, img: ImageLike & { channels: number }, sample: (y: number, x: number, c: number) => number, keepAlpha: boolean): void {
  const { width, channels } = img;
  for (let i = 0; i < got.data.length; i++) {
    const c = i % channels;
    if (keepAlpha && c === 3) continue;
    const px = (i - c) / channels;
    expect(got.data[i], `sample ${i}`).toBe(sample(Math.floor(px / width), px % width, c));
  }
}

describe.each(BACKENDS)('uint8 results equal the model of OpenCV on %s', (backend) => {
  test('filter2d (direct path: kernels under 130 elements)', () => {
    const kernel = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 })).chain(([h, w]) => vector(h * w).map((d) => ({ data: Float64Array.from(d), shape: [h, w] })));
    fc.assert(
      fc.property(image, kernel, options, (img, k, opts) => {
        const model = filter2dByteModel(img, k, opts);
        const got = onBackend(backend, () => filter2d(img, k, opts)) as ImageLike;
        const keep = img.channels === 4 && opts.alpha === 'keep';
        if (model) expectModel(got, img, model.sample, keep);
      }),
      { numRuns: 150, seed: 4 },
    );
  });

  test('filter2d with separable kernels (two passes, one 2-D model)', () => {
    const outer = fc.tuple(oneD, oneD).filter(([u, v]) => u.length * v.length < OPENCV_DFT_AREA && u.length > 1 && v.length > 1);
    fc.assert(
      fc.property(image, outer, options, (img, [u, v], opts) => {
        const k = { data: Float64Array.from(u.flatMap((a) => v.map((b) => Math.fround(a * b)))), shape: [u.length, v.length] };
        const model = filter2dByteModel(img, k, opts);
        const got = onBackend(backend, () => filter2d(img, k, opts)) as ImageLike;
        if (model) expectModel(got, img, model.sample, img.channels === 4 && opts.alpha === 'keep');
      }),
      { numRuns: 100, seed: 5 },
    );
  });

  test('sepFilter2d (float and fixed-point paths)', () => {
    let modelled = 0;
    fc.assert(
      fc.property(image, oneD, oneD, options, (img, kx, ky, opts) => {
        const model = sepFilter2dByteModel(img, kx, ky, opts);
        const got = onBackend(backend, () => sepFilter2d(img, kx, ky, opts)) as ImageLike;
        if (!model) return;
        modelled++;
        expectModel(got, img, model.sample, img.channels === 4 && opts.alpha === 'keep');
      }),
      { numRuns: 150, seed: 6 },
    );
    expect(modelled).toBeGreaterThan(50);
  });
});

test.each(BACKENDS)('an image with more near-tie samples than one scan lists at a time (%s)', (backend) => {
  // 0.3a + 0.2b sits next to a .5 tie whenever 3a + 2b ends in 5: about 1 sample in 10, so some
  // 9,000 here, past the 4,096 indices one Wasm scan call returns before the next resumes.
  const width = 300;
  const height = 300;
  let seed = 7;
  const data = Uint8ClampedArray.from({ length: width * height }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
  const img = { data, width, height, channels: 1 };
  const k = [[0.3, 0.2]];
  const model = filter2dByteModel(img, k);
  expect(model).not.toBeNull();
  let near = 0;
  for (let i = 0; i + 1 < data.length; i++) if (Math.abs(0.3 * data[i] + 0.2 * data[i + 1] - Math.floor(0.3 * data[i] + 0.2 * data[i + 1]) - 0.5) < 1e-4) near++;
  expect(near).toBeGreaterThan(2 * 4096);
  const got = onBackend(backend, () => filter2d(img, k)) as ImageLike;
  expectModel(got, img, model!.sample, false);
});

describe.each(BACKENDS)('filter2d on OpenCV\'s DFT path (130+ elements) on %s', (backend) => {
  test('gives the exact result rounded half to even at every sample', () => {
    // Small integers over their sum: results inside 0..255 that land on exact ties now and then.
    const kernel = fc
      .tuple(fc.integer({ min: 11, max: 14 }), fc.integer({ min: 12, max: 15 }))
      .chain(([h, w]) =>
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: h * w, maxLength: h * w }).map((d) => {
          const total = d.reduce((a, b) => a + b, 0) || 1;
          return { data: Float64Array.from(d, (v) => v / total), shape: [h, w] };
        }),
      );
    const small = image.filter((img) => img.width * img.height <= 120);
    fc.assert(
      fc.property(small, kernel, fc.constantFrom(0, 0.5, -0.3), (img, k, delta) => {
        expect(k.data.length).toBeGreaterThanOrEqual(OPENCV_DFT_AREA);
        const got = onBackend(backend, () => filter2d(img, k, { border: 'reflect101', delta, alpha: 'filter' })) as ImageLike;
        const [kh, kw] = k.shape;
        const { width, height, channels } = img;
        const reflect101 = (p: number, n: number) => {
          if (n === 1) return 0;
          const t = (((p % (2 * n - 2)) + 2 * n - 2) % (2 * n - 2));
          return t < n ? t : 2 * n - 2 - t;
        };
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            for (let c = 0; c < channels; c++) {
              let s = delta;
              for (let i = 0; i < kh; i++) {
                for (let j = 0; j < kw; j++) s += k.data[i * kw + j] * img.data[(reflect101(y + i - (kh >> 1), height) * width + reflect101(x + j - (kw >> 1), width)) * channels + c];
              }
              // Round half to even.
              const r = Math.round(s) - s === 0.5 && Math.round(s) % 2 !== 0 ? Math.round(s) - 1 : Math.round(s);
              expect(got.data[(y * width + x) * channels + c]).toBe(Math.min(255, Math.max(0, r)));
            }
          }
        }
      }),
      { numRuns: 25, seed: 7 },
    );
  });
});

test('fma32 rounds once: a float64 sum that lands on a float32 midpoint goes the way of the exact sum', () => {
  // 1 + 2^-24 is the midpoint between float32 1 and its successor; plus 2^-60 the exact sum is just
  // above it, but the float64 sum rounds back onto the midpoint, and a second rounding would go to even (1).
  const c = 1;
  const a = 2 ** -24 + 2 ** -60;
  expect(Math.fround(a * 1 + c)).toBe(1);
  expect(fma32(a, 1, c)).toBe(1 + 2 ** -23);
  expect(fma32(2 ** -24 - 2 ** -60, 1, c)).toBe(1);
  expect(fma32(-(2 ** -24) - 2 ** -60, 1, -1)).toBe(-1 - 2 ** -23);
  expect(fma32(0.1, 3, 0.5)).toBe(Math.fround(0.1 * 3 + 0.5));
});
