// OpenCV's ddepth (scripts/gen_opencv_fixtures.py -> opencv-ddepth.json): uint8 images filtered
// to int16 (signed responses saturated, compared exactly) and to float32 (within tolerance),
// 'same' spelled out, and the combinations OpenCV refuses, on every backend.
import { describe, expect, test } from 'vitest';
import { filter2dByteModel, sepFilter2dByteModel } from '../../src/image/filter';
import { SimdconvError, filter2d, kernels, sepFilter2d, type ImageLike } from '../../src/index';
import { BACKENDS, useBackend } from '../helpers/backends';
import { TOLERANCE, decode, loadFixtures, mismatch, type Encoded, type FixtureCase } from '../helpers/fixtures';

interface FixtureImage {
  width: number;
  height: number;
  channels: number;
  dtype: 'uint8' | 'float32' | 'int16';
  data: Encoded[];
}

type DdepthCase = Omit<FixtureCase, 'dtype'> & { dtype: 'uint8' | 'float32'; exactRounded?: number[] };

const cases = loadFixtures('opencv-ddepth.json') as unknown as DdepthCase[];

function imageOf(img: FixtureImage): ImageLike {
  const data = img.dtype === 'float32' ? Float32Array.from(img.data.map(decode)) : Uint8ClampedArray.from(img.data as number[]);
  return { data, width: img.width, height: img.height, channels: img.channels };
}

const kernelsOf = (c: DdepthCase) => (c.args.slice(1) as { shape: number[]; data: Encoded[] }[]).map((k) => ({ data: Float64Array.from(k.data.map(decode)), shape: k.shape }));

function run(c: DdepthCase): ImageLike {
  const ks = kernelsOf(c);
  const image = imageOf(c.args[0] as FixtureImage);
  return (c.fn === 'filter2d' ? filter2d(image, ks[0], c.opts) : sepFilter2d(image, ks[0], ks[1], c.opts)) as ImageLike;
}

const expectedOf = (c: DdepthCase) => c.expected as unknown as FixtureImage;

test('the ddepth fixtures cover int16 and float32 outputs of both functions, and refusals', () => {
  for (const fn of ['filter2d', 'sepFilter2d']) {
    for (const out of ['int16', 'float32']) {
      expect(cases.filter((c) => c.fn === fn && c.expected && expectedOf(c).dtype === out && c.dtype === 'uint8').length, `${fn} -> ${out}`).toBeGreaterThan(3);
    }
  }
  expect(cases.some((c) => c.error)).toBe(true);
  // Signed responses really are negative somewhere: int16 is not clamped to 0.
  expect(cases.some((c) => c.expected && expectedOf(c).dtype === 'int16' && (expectedOf(c).data as number[]).some((v) => v < 0))).toBe(true);
  // And some saturate.
  expect(cases.some((c) => c.expected && expectedOf(c).dtype === 'int16' && (expectedOf(c).data as number[]).some((v) => v === 32767 || v === -32768))).toBe(true);
});

test("the model of OpenCV's arithmetic gives every pixel of every int16 case", () => {
  let modelled = 0;
  for (const c of cases.filter((x) => x.expected && expectedOf(x).dtype === 'int16')) {
    const image = imageOf(c.args[0] as FixtureImage);
    const ks = kernelsOf(c);
    const model = c.fn === 'filter2d' ? filter2dByteModel(image, ks[0], c.opts) : sepFilter2dByteModel(image, ks[0], ks[1], c.opts);
    // No model: float32 is exact for these kernels (the outputs test compares them with OpenCV;
    // sepFilter2D's integer path rounds delta first, which is why its exactRounded may differ).
    if (!model) continue;
    modelled++;
    const exp = expectedOf(c).data as number[];
    const channels = image.channels ?? 1;
    const kept = (i: number) => channels === 4 && c.opts.alpha !== 'filter' && i % 4 === 3;
    const got = exp.map((e, i) => (kept(i) ? e : model.sample(Math.floor(i / (image.width * channels)), Math.floor(i / channels) % image.width, i % channels)));
    expect(mismatch(got, exp, null, 0), c.id).toBeNull();
  }
  expect(modelled).toBeGreaterThan(3);
});

for (const backend of BACKENDS) {
  describe(`OpenCV ddepth fixtures on ${backend}`, () => {
    useBackend(backend);

    test('int16 outputs exactly, as Int16Array images', () => {
      for (const c of cases.filter((x) => x.expected && expectedOf(x).dtype === 'int16')) {
        const got = run(c);
        expect(got.data, c.id).toBeInstanceOf(Int16Array);
        expect([got.width, got.height, got.channels]).toEqual([expectedOf(c).width, expectedOf(c).height, expectedOf(c).channels]);
        expect(mismatch(got.data, expectedOf(c).data.map(decode), null, 0), c.id).toBeNull();
      }
    });

    test('float32 outputs within tolerance, as Float32Array images', () => {
      for (const c of cases.filter((x) => x.expected && expectedOf(x).dtype === 'float32')) {
        const got = run(c);
        expect(got.data, c.id).toBeInstanceOf(Float32Array);
        expect(mismatch(got.data, expectedOf(c).data.map(decode), (c.absSum as Encoded[]).map(decode), TOLERANCE.float32), c.id).toBeNull();
      }
    });

    test("ddepth 'same' keeps the input's kind", () => {
      for (const c of cases.filter((x) => x.expected && x.opts.ddepth === 'same')) {
        const got = run(c);
        expect(got.data).toBeInstanceOf(c.dtype === 'uint8' ? Uint8ClampedArray : Float32Array);
        const exp = expectedOf(c).data.map(decode);
        expect(mismatch(got.data, exp, c.absSum ? (c.absSum as Encoded[]).map(decode) : null, c.dtype === 'uint8' ? 0 : TOLERANCE.float32), c.id).toBeNull();
      }
    });

    test('what OpenCV refuses is an OPTION error', () => {
      for (const c of cases.filter((x) => x.error)) {
        expect(() => run(c), c.id).toThrow(SimdconvError);
        try {
          run(c);
        } catch (e) {
          expect((e as SimdconvError).code).toBe('OPTION');
          expect((e as Error).message).toMatch(/options\.ddepth/);
        }
      }
    });

    test('a Sobel response of a uint8 image keeps its sign in int16 and is clamped to 0 in uint8', () => {
      // A step from 0 to 200: sobelX is +800 on the rising edge, sobelY is 0, and the mirrored step is -800.
      const data = new Uint8ClampedArray(6 * 4).map((_, i) => (i % 6 < 3 ? 0 : 200));
      const step = { data, width: 6, height: 4, channels: 1 };
      const mirrored = { data: data.slice().reverse(), width: 6, height: 4, channels: 1 };
      const signed = filter2d(mirrored, kernels.sobelX, { ddepth: 'int16' }) as ImageLike;
      expect(Math.min(...signed.data)).toBe(-800);
      expect(Math.max(...(filter2d(step, kernels.sobelX, { ddepth: 'int16' }) as ImageLike).data)).toBe(800);
      expect(Math.min(...(filter2d(mirrored, kernels.sobelX) as ImageLike).data)).toBe(0);
      const f32 = filter2d(mirrored, kernels.sobelX, { ddepth: 'float32' }) as ImageLike;
      expect(f32.data).toBeInstanceOf(Float32Array);
      expect(Math.min(...f32.data)).toBe(-800);
    });

    test('NaN, infinities and sums beyond int32 saturate: NaN gives 0, +Inf the top of the range', () => {
      // The README's rule (OpenCV's on ARM, and Wasm's saturating conversions); x86 OpenCV sends
      // these to INT_MIN before saturating. 37 samples a row: vector loops and scalar tails both.
      const specials = [NaN, Infinity, -Infinity, 3e9, -3e9, 2147483520, -2147483648, 40000.5, -40000.5, 32766.5, -32767.5, 2.5, 3.5, -2.5, -0];
      const width = 37;
      const data = Float32Array.from({ length: width * 3 }, (_, i) => specials[i % specials.length]);
      const rule = (v: number, lo: number, hi: number) => {
        if (Number.isNaN(v)) return 0;
        const r = Math.round(v);
        const even = r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
        return Math.min(hi, Math.max(lo, even)) + 0;
      };
      const signed = sepFilter2d({ data, width, height: 3, channels: 1 }, [1], [1], { ddepth: 'int16' }) as ImageLike;
      expect(signed.data).toBeInstanceOf(Int16Array);
      expect(Array.from(signed.data)).toEqual(Array.from(data, (v) => rule(v, -32768, 32767)));
      // Byte images reach the same values through huge or non-finite weights.
      const bytes = { data: new Uint8ClampedArray(width * 3).fill(200), width, height: 3, channels: 1 };
      for (const [w, byte, int16] of [[1e8, 255, 32767], [Infinity, 255, 32767], [-1e8, 0, -32768], [-Infinity, 0, -32768], [NaN, 0, 0]]) {
        const k = { data: new Float32Array([w]), shape: [1, 1] };
        expect(new Set((filter2d(bytes, k) as ImageLike).data), `uint8, weight ${w}`).toEqual(new Set([byte]));
        expect(new Set((filter2d(bytes, k, { ddepth: 'int16' }) as ImageLike).data), `int16, weight ${w}`).toEqual(new Set([int16]));
      }
    });

    test('tensors take float32 but not int16; a bad ddepth names the option', () => {
      const t = { data: new Float64Array(16).fill(1), shape: [4, 4] };
      const out = filter2d(t, kernels.box(3), { ddepth: 'float32' }) as { data: Float32Array; shape: number[] };
      expect(out.data).toBeInstanceOf(Float32Array);
      expect(out.shape).toEqual([4, 4]);
      expect(() => filter2d(t, kernels.sobelX, { ddepth: 'int16' })).toThrow(/options\.ddepth/);
      expect(() => filter2d(t, kernels.sobelX, { ddepth: 'int32' as never })).toThrow(/options\.ddepth: expected 'same' \| 'int16' \| 'float32', got "int32"/);
    });
  });
}
