// OpenCV golden fixtures (scripts/gen_opencv_fixtures.py, OpenCV 4.6 on this CPU) for filter2d
// and sepFilter2d, on every backend.
//
// float32: within the promised tolerance of every case. uint8: exactly OpenCV's pixels, including the
// cases the generator marks with `exactRounded`, where OpenCV's own arithmetic (float32 FMA
// chains, sepFilter2D's fixed point) rounds a pixel within ~1e-5 of a .5 tie the other way from
// the exact result: simdconv redoes such pixels in a model of that arithmetic (opencvBytes.ts).
// The one exception is filter2D's DFT path (kernels of 130 elements or more), whose float32 FFT
// round-off no direct method reproduces: there we require the exact result rounded half to
// even, and that we differ from OpenCV only at the pixels where OpenCV deviates from it, by 1.
import { describe, expect, test } from 'vitest';
import { filter2dByteModel, sepFilter2dByteModel } from '../../src/image/filter';
import { SimdconvError, filter2d, sepFilter2d, type ImageLike } from '../../src/index';
import { OPENCV_DFT_AREA } from '../../src/image/opencvBytes';
import { BACKENDS, useBackend } from '../helpers/backends';
import { TOLERANCE, decode, loadFixtures, mismatch, type Encoded, type FixtureCase } from '../helpers/fixtures';

interface FixtureImage {
  width: number;
  height: number;
  channels: number;
  dtype: 'uint8' | 'float32';
  data: Encoded[];
}

/** The image's dtype is the case's dtype here ('uint8' or 'float32'), unlike the other fixture files. */
type OpenCvCase = Omit<FixtureCase, 'dtype'> & { dtype: 'uint8' | 'float32'; exactRounded?: number[] };

const cases = loadFixtures('opencv-filter.json') as unknown as OpenCvCase[];

/** OpenCV refuses BORDER_WRAP outside its DFT path; simdconv offers 'wrap' and computes it (README). */
const wrapRefusedByOpenCv = (c: OpenCvCase) => c.error !== undefined && c.opts.border === 'wrap';

function imageOf(img: FixtureImage, kind: 'clamped' | 'plain'): ImageLike {
  const data =
    img.dtype === 'float32' ? Float32Array.from(img.data.map(decode)) : kind === 'clamped' ? Uint8ClampedArray.from(img.data as number[]) : Uint8Array.from(img.data as number[]);
  return { data, width: img.width, height: img.height, channels: img.channels };
}

const kernelsOf = (c: OpenCvCase) => (c.args.slice(1) as { shape: number[]; data: Encoded[] }[]).map((k) => ({ data: Float64Array.from(k.data.map(decode)), shape: k.shape }));

function run(c: OpenCvCase, kind: 'clamped' | 'plain'): ImageLike {
  const image = imageOf(c.args[0] as FixtureImage, kind);
  const ks = kernelsOf(c);
  const result = c.fn === 'filter2d' ? filter2d(image, ks[0], c.opts) : sepFilter2d(image, ks[0], ks[1], c.opts);
  return result as ImageLike;
}

/** filter2D of a kernel this large correlates through OpenCV's float32 DFT, which no direct method reproduces bit for bit. */
const viaOpenCvDft = (c: OpenCvCase) => c.fn === 'filter2d' && kernelsOf(c)[0].data.length >= OPENCV_DFT_AREA;

test('the fixture file covers both functions, both dtypes, every border and 1, 3, 4 channels', () => {
  expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  for (const fn of ['filter2d', 'sepFilter2d']) {
    for (const dtype of ['uint8', 'float32']) {
      for (const border of ['constant', 'replicate', 'reflect', 'reflect101']) {
        expect(cases.filter((c) => c.fn === fn && c.dtype === dtype && c.opts.border === border && c.expected).length, `${fn} ${dtype} ${border}`).toBeGreaterThan(5);
      }
      for (const channels of [1, 3, 4]) {
        expect(cases.some((c) => c.fn === fn && c.dtype === dtype && (c.args[0] as FixtureImage).channels === channels && c.expected)).toBe(true);
      }
    }
  }
  // The deviations stay rare: a handful of cases built to sit on rounding ties.
  expect(cases.filter((c) => c.exactRounded).length).toBeLessThanOrEqual(15);
});

test("the model of OpenCV's uint8 arithmetic gives every pixel of every uint8 case off the DFT path", () => {
  let modelled = 0;
  for (const c of cases.filter((x) => x.dtype === 'uint8' && x.expected && !viaOpenCvDft(x))) {
    const image = imageOf(c.args[0] as FixtureImage, 'clamped');
    const ks = kernelsOf(c);
    const model = c.fn === 'filter2d' ? filter2dByteModel(image, ks[0], c.opts) : sepFilter2dByteModel(image, ks[0], ks[1], c.opts);
    if (!model) {
      // No model: OpenCV's arithmetic is exact for these kernels, so its result is the exactly rounded one.
      expect(c.exactRounded, c.id).toBeUndefined();
      continue;
    }
    modelled++;
    const exp = (c.expected as unknown as FixtureImage).data as number[];
    const { width } = image;
    const channels = image.channels ?? 1;
    // alpha 'keep' copies the 4th channel through unfiltered.
    const kept = (i: number) => channels === 4 && c.opts.alpha !== 'filter' && i % 4 === 3;
    const got = exp.map((e, i) => (kept(i) ? e : model.sample(Math.floor(i / (width * channels)), Math.floor(i / channels) % width, i % channels)));
    expect(mismatch(got, exp, null, 0), c.id).toBeNull();
    // Where OpenCV deviates from exact rounding, the deviation is within the model's bound of a tie.
    if (c.exactRounded) expect(model.bound, c.id).toBeGreaterThan(0);
  }
  expect(modelled).toBeGreaterThan(50);
});

for (const backend of BACKENDS) {
  describe(`OpenCV fixtures on ${backend}`, () => {
    useBackend(backend);
    for (const fn of ['filter2d', 'sepFilter2d']) {
      test(`${fn} float32 within tolerance`, () => {
        for (const c of cases.filter((x) => x.fn === fn && x.dtype === 'float32' && x.expected)) {
          const got = run(c, 'plain');
          expect(got.data).toBeInstanceOf(Float32Array);
          const exp = c.expected as unknown as FixtureImage;
          expect([got.width, got.height, got.channels], c.id).toEqual([exp.width, exp.height, exp.channels]);
          expect(mismatch(got.data, exp.data.map(decode), (c.absSum as Encoded[]).map(decode), TOLERANCE.float32), c.id).toBeNull();
        }
      });

      test(`${fn} uint8 exactly (Uint8ClampedArray and Uint8Array in, the same kind out)`, () => {
        for (const c of cases.filter((x) => x.fn === fn && x.dtype === 'uint8' && x.expected)) {
          const exp = (c.expected as unknown as FixtureImage).data as number[];
          for (const kind of ['clamped', 'plain'] as const) {
            const got = run(c, kind);
            expect(got.data).toBeInstanceOf(kind === 'clamped' ? Uint8ClampedArray : Uint8Array);
            if (!viaOpenCvDft(c) || !c.exactRounded) {
              expect(mismatch(got.data, exp, null, 0), c.id).toBeNull();
              continue;
            }
            expect(mismatch(got.data, c.exactRounded, null, 0), `${c.id} (exact rounding)`).toBeNull();
            for (let i = 0; i < exp.length; i++) {
              if (got.data[i] !== exp[i]) {
                expect(c.exactRounded[i], `${c.id}[${i}]: a deviation from OpenCV only where OpenCV deviates from the exact result`).not.toBe(exp[i]);
                expect(Math.abs(got.data[i] - exp[i])).toBe(1);
              }
            }
          }
        }
      });

      test(`${fn} uint8 ties round half to even and saturate, NaN gives 0`, () => {
        const image = { data: Uint8ClampedArray.from([1, 3, 5, 255, 0, 7]), width: 6, height: 1, channels: 1 };
        const half = fn === 'filter2d' ? filter2d(image, [[0.5]]) : sepFilter2d(image, [0.5], [1]);
        expect(Array.from((half as ImageLike).data)).toEqual([0, 2, 2, 128, 0, 4]);
        const big = fn === 'filter2d' ? filter2d(image, [[2]], { delta: -10.5 }) : sepFilter2d(image, [2], [1], { delta: -10.5 });
        expect(Array.from((big as ImageLike).data)).toEqual([0, 0, 0, 255, 0, 4]);
        // A uint8 image's borderValue becomes a byte first: 300 -> 255, 2.5 -> 2.
        const row = { data: Uint8ClampedArray.from([10, 20, 30]), width: 3, height: 1, channels: 1 };
        expect(Array.from((filter2d(row, [[1, 1, 1]], { border: 'constant', borderValue: 2.5 }) as ImageLike).data)).toEqual([32, 60, 52]);
        expect(Array.from((filter2d(row, [[0, 0, 1]], { border: 'constant', borderValue: 300 }) as ImageLike).data)).toEqual([20, 30, 255]);
        const nan = filter2d(image, [[NaN]]);
        expect(Array.from((nan as ImageLike).data)).toEqual([0, 0, 0, 0, 0, 0]);
      });

      test(`${fn} rejects what OpenCV rejects`, () => {
        const errors = cases.filter((x) => x.fn === fn && x.error);
        expect(errors.length).toBeGreaterThan(0);
        for (const c of errors) {
          if (wrapRefusedByOpenCv(c)) {
            // simdconv filters with a periodic border instead; its values are checked by the DFT-path wrap cases above.
            expect(() => run(c, 'clamped'), c.id).not.toThrow();
            continue;
          }
          expect(() => run(c, 'clamped'), `${c.id} (OpenCV: ${c.error})`).toThrow(SimdconvError);
        }
      });
    }
  });
}
