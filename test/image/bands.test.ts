// filter2d's single pass runs on the plane engine in bands, the image's channels interleaved:
// images tall enough for several bands, against a float64 loop of OpenCV's definition (float32
// images) and the model of OpenCV's uint8 arithmetic (byte images), with every border, alpha kept
// or filtered, delta; and options.out (fresh or the image itself) giving the same samples.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sourceIndex, type PadMode } from '../../src/core/padding';
import { bandSize } from '../../src/engines/plane';
import { filter2dByteModel } from '../../src/image/filter';
import { SimdconvError, filter2d, kernels, ready, sepFilter2d, type Border, type ImageLike } from '../../src/index';
import { BACKENDS, useBackend } from '../helpers/backends';

beforeAll(() => ready());

// The images below make several bands of 512 KB; the library's own bands are larger.
const libraryBand = bandSize.bytes;
beforeAll(() => void (bandSize.bytes = 512 * 1024));
afterAll(() => void (bandSize.bytes = libraryBand));

const MODE: Record<Border, PadMode> = { constant: 'constant', replicate: 'edge', reflect: 'symmetric', reflect101: 'reflect', wrap: 'wrap' };

function image(width: number, height: number, channels: number, float: boolean, seed: number): ImageLike {
  const n = width * height * channels;
  const data = float ? new Float32Array(n) : new Uint8ClampedArray(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = float ? (s >>> 8) / (1 << 24) - 0.5 : s >>> 24;
  }
  return { data, width, height, channels };
}

/** OpenCV's filter2D in float64: correlation, anchor at the centre, the border's pixels. */
function reference(img: ImageLike, k: { data: ArrayLike<number>; shape: number[] }, border: Border, delta: number, keepAlpha: boolean, value = 0): Float64Array {
  const { width: w, height: h } = img;
  const C = img.channels ?? 4;
  const [kh, kw] = k.shape;
  const out = new Float64Array(w * h * C);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < C; c++) {
        let s = delta;
        for (let u = 0; u < kh; u++) {
          const sy = sourceIndex(y + u, h, kh >> 1, MODE[border]);
          for (let v = 0; v < kw; v++) {
            const sx = sourceIndex(x + v, w, kw >> 1, MODE[border]);
            // OpenCV's filter2D reads no sample under a zero tap.
            if (k.data[u * kw + v] !== 0) s += k.data[u * kw + v] * (sy < 0 || sx < 0 ? value : img.data[(sy * w + sx) * C + c]);
          }
        }
        out[(y * w + x) * C + c] = keepAlpha && c === 3 ? img.data[(y * w + x) * C + c] : s;
      }
    }
  }
  return out;
}

const BORDERS: Border[] = ['constant', 'replicate', 'reflect', 'reflect101', 'wrap'];
const K3 = { data: Float32Array.from([0.1, -0.2, 0.3, 0.05, 0.9, -0.4, 0.2, 0.15, -0.1]), shape: [3, 3] };
const K45 = { data: Float32Array.from({ length: 20 }, (_, i) => ((i * 7) % 11) / 10 - 0.5), shape: [4, 5] };

for (const backend of BACKENDS) {
  describe(`filter2d in bands on ${backend}`, () => {
    useBackend(backend);

    test('float32 images of 1, 3 and 4 channels, every border, against the definition', () => {
      for (const [C, k] of [[1, K3], [3, K45], [4, K3]] as const) {
        const img = image(97, 301, C, true, C);
        for (const border of BORDERS) {
          for (const alpha of ['keep', 'filter'] as const) {
            const got = filter2d(img, k, { border, alpha, delta: 0.25 }) as ImageLike;
            const want = reference(img, k, border, 0.25, alpha === 'keep' && C === 4);
            let worst = 0;
            for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got.data[i] - want[i]));
            expect(worst, `${C} channels, ${border}, alpha ${alpha}`).toBeLessThan(1e-5);
          }
        }
      }
    });

    test('separable kernels on 2-, 3- and 4-channel images (the plane-kernel passes; RGBA on the channels-last runs): float32 against the definition, bytes against the model of OpenCV, every border', () => {
      const g = kernels.gaussian(5, 1.1);
      for (const C of [2, 3, 4]) {
        const img = image(61, 203, C, true, 60 + C);
        const bytes = image(61, 203, C, false, 70 + C);
        for (const border of BORDERS) {
          const got = filter2d(img, g, { border, delta: 0.25, borderValue: 0.5, alpha: 'filter' }) as ImageLike;
          const want = reference(img, g, border, 0.25, false, 0.5);
          let worst = 0;
          for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got.data[i] - want[i]));
          expect(worst, `${C} channels, ${border}`).toBeLessThan(1e-5);
          const opts = { border, borderValue: 9, alpha: 'filter' } as const;
          const b = filter2d(bytes, g, opts) as ImageLike;
          const model = filter2dByteModel(bytes, g, opts);
          const exact = reference(bytes, g, border, 0, false, 9);
          for (let i = 0; i < b.data.length; i++) {
            const px = Math.floor(i / C);
            const r = Math.round(exact[i]);
            const expected = model ? model.sample(Math.floor(px / 61), px % 61, i % C) : Math.min(255, Math.max(0, r - exact[i] === 0.5 && r % 2 !== 0 ? r - 1 : r));
            if (b.data[i] !== expected) throw new Error(`${C} channels, ${border}: sample ${i} is ${b.data[i]}, OpenCV's is ${expected}`);
          }
        }
      }
    });

    test('NaN and infinities under zero taps stay out, in every band and on the edges, as in OpenCV', () => {
      const cross = { data: Float32Array.from([0, -1, 0, -1, 5, -1, 0, -1, 0]), shape: [3, 3] };
      const ring = { data: Float32Array.from({ length: 25 }, (_, i) => (i === 12 ? 0 : i % 3 === 0 ? 0 : ((i * 5) % 7) / 7 - 0.4)), shape: [5, 5] };
      for (const [C, k] of [[4, cross], [1, ring], [3, cross]] as const) {
        const img = image(83, 257, C, true, 40 + C);
        // Every 37th sample is NaN, +inf or -inf: a few per band, some on the image's edges.
        const special = [NaN, Infinity, -Infinity];
        for (let i = 0, n = 0; i < img.data.length; i += 37, n++) img.data[i] = special[n % 3];
        for (const border of ['reflect101', 'constant'] as const) {
          const got = filter2d(img, k, { border, alpha: 'filter' }) as ImageLike;
          const want = reference(img, k, border, 0, false);
          let finite = 0;
          let wrong = -1;
          for (let i = 0; i < want.length && wrong < 0; i++) {
            if (Number.isFinite(want[i])) finite++;
            const ok = Number.isFinite(want[i]) ? Math.abs(got.data[i] - want[i]) < 1e-5 : Object.is(got.data[i], want[i]);
            if (!ok) wrong = i;
          }
          expect(wrong < 0 ? null : `sample ${wrong}: got ${got.data[wrong]}, want ${want[wrong]}`, `${C} channels, ${border}`).toBeNull();
          // Most windows hold a special sample only under zero taps, or none at all.
          expect(finite).toBeGreaterThan(want.length / 2);
          expect(finite).toBeLessThan(want.length);
        }
      }
    });

    test("uint8 RGBA: every sample is the model of OpenCV's arithmetic, alpha kept exactly", () => {
      const img = image(120, 260, 4, false, 9);
      const tenths = { data: Float64Array.from([0.1, 0.2, 0.1, 0.2, 0.3, -0.2, 0.1, 0.1, 0.1]), shape: [3, 3] };
      for (const [k, border, delta] of [[tenths, 'reflect101', 0.5], [kernels.sharpen, 'constant', 0], [tenths, 'wrap', -0.3]] as const) {
        const opts = { border, delta, borderValue: 7 };
        const got = filter2d(img, k, opts) as ImageLike;
        const model = filter2dByteModel(img, k, opts);
        const want = reference(img, k, border, delta, true, 7);
        for (let i = 0; i < got.data.length; i++) {
          const c = i % 4;
          const px = i >> 2;
          // Without a model OpenCV's float32 chain is exact: the exact sum rounded half to even.
          const r = Math.round(want[i]);
          const exact = Math.min(255, Math.max(0, r - want[i] === 0.5 && r % 2 !== 0 ? r - 1 : r));
          const expected = c === 3 ? img.data[i] : model ? model.sample(Math.floor(px / 120), px % 120, c) : exact;
          if (got.data[i] !== expected) throw new Error(`${border}: sample ${i} is ${got.data[i]}, OpenCV's is ${expected}`);
        }
      }
    });

    test('options.out: the same samples in the caller array, also when it is the image itself', () => {
      for (const float of [true, false]) {
        const img = image(64, 200, 4, float, 3);
        const fresh = filter2d(img, kernels.sharpen) as ImageLike;
        const out = float ? new Float32Array(img.data.length) : new Uint8ClampedArray(img.data.length);
        const r = filter2d(img, kernels.sharpen, { out }) as ImageLike;
        expect(r.data).toBe(out);
        expect(Array.from(out)).toEqual(Array.from(fresh.data));
        const copy = { ...img, data: img.data.slice() };
        const inPlace = filter2d(copy, kernels.sharpen, { out: copy.data }) as ImageLike;
        expect(inPlace.data).toBe(copy.data);
        expect(Array.from(copy.data)).toEqual(Array.from(fresh.data));
        // The separable path (a 5x5 Gaussian) writes into out too, alpha restored before the move.
        const g = kernels.gaussian(5, 1.2);
        const sep = filter2d(img, g) as ImageLike;
        const copy2 = { ...img, data: img.data.slice() };
        filter2d(copy2, g, { out: copy2.data });
        expect(Array.from(copy2.data)).toEqual(Array.from(sep.data));
      }
      const bytes = image(30, 20, 4, false, 1);
      const asUint8 = { ...bytes, data: new Uint8Array(bytes.data) };
      const out8 = new Uint8Array(bytes.data.length);
      expect((filter2d(asUint8, kernels.sharpen, { out: out8 }) as ImageLike).data).toBe(out8);
      expect(Array.from(out8)).toEqual(Array.from((filter2d(bytes, kernels.sharpen) as ImageLike).data));
      expect((sepFilter2d(bytes, [1, 2, 1], [1, 0, -1], { ddepth: 'int16', out: new Int16Array(30 * 20 * 4) }) as ImageLike).data).toBeInstanceOf(Int16Array);
    });

    test('options.out of the wrong type or length is an OPTION error naming it', () => {
      const img = image(10, 10, 4, false, 2);
      for (const out of [new Float32Array(400), new Uint8ClampedArray(399), [0, 1], new Int16Array(400)]) {
        expect(() => filter2d(img, kernels.sharpen, { out: out as never })).toThrow(SimdconvError);
        expect(() => filter2d(img, kernels.sharpen, { out: out as never })).toThrow(/options\.out/);
      }
    });
  });
}
