// Dense 3x3 layers with unit stride on the Winograd engine: against conv2d's definition (a float64
// loop), NCHW and NHWC, odd and even output sizes, batches, bias, float32 and float64, on every
// backend; the error stays within the documented bound (relative to the sum of |products|), and a
// NaN or infinity in the input sends the layer back to the direct sum so it stays in its windows.
import { beforeAll, describe, expect, test } from 'vitest';
import { intoResult, type LayerJob } from '../../src/engines/layerJob';
import { runWinograd, winogradFits } from '../../src/engines/winograd';
import { allocFloat, type DType } from '../../src/core/tensor';
import { conv2d, ready } from '../../src/index';
import { BACKENDS, useBackend } from '../helpers/backends';
import { random } from '../helpers/random';

beforeAll(() => ready());

interface Case {
  n: number;
  c: number;
  oc: number;
  h: number;
  w: number;
  pad: [number, number];
}

/** conv2d's definition in float64: per output, the value and the sum of |products| (and |bias|). */
function reference(x: ArrayLike<number>, wt: ArrayLike<number>, bias: ArrayLike<number> | null, k: Case, nhwc: boolean) {
  const oh = k.h + 2 * k.pad[0] - 2;
  const ow = k.w + 2 * k.pad[1] - 2;
  const size = k.n * k.oc * oh * ow;
  const value = new Float64Array(size);
  const scale = new Float64Array(size);
  const xi = (n: number, c: number, y: number, xx: number) => (nhwc ? ((n * k.h + y) * k.w + xx) * k.c + c : ((n * k.c + c) * k.h + y) * k.w + xx);
  const yi = (n: number, o: number, i: number, j: number) => (nhwc ? ((n * oh + i) * ow + j) * k.oc + o : ((n * k.oc + o) * oh + i) * ow + j);
  for (let n = 0; n < k.n; n++) {
    for (let o = 0; o < k.oc; o++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          let s = bias ? bias[o] : 0;
          let a = Math.abs(s);
          for (let c = 0; c < k.c; c++) {
            for (let u = 0; u < 3; u++) {
              const y = i + u - k.pad[0];
              if (y < 0 || y >= k.h) continue;
              for (let v = 0; v < 3; v++) {
                const xx = j + v - k.pad[1];
                if (xx < 0 || xx >= k.w) continue;
                const p = wt[((o * k.c + c) * 3 + u) * 3 + v] * x[xi(n, c, y, xx)];
                s += p;
                a += Math.abs(p);
              }
            }
          }
          value[yi(n, o, i, j)] = s;
          scale[yi(n, o, i, j)] = a;
        }
      }
    }
  }
  return { value, scale, shape: nhwc ? [k.n, oh, ow, k.oc] : [k.n, k.oc, oh, ow] };
}

/** The values in `dtype` (the reference then sees what the engine sees). */
function as(dtype: DType, values: Float64Array) {
  const out = allocFloat(dtype, values.length);
  out.set(values);
  return out;
}

function job(dtype: DType, input: ArrayLike<number> & { length: number }, wt: ArrayLike<number>, bias: ArrayLike<number> | null, k: Case, nhwc: boolean): LayerJob {
  return {
    dtype,
    input: input as LayerJob['input'],
    batch: k.n,
    channels: k.c,
    height: k.h,
    width: k.w,
    layout: nhwc ? 'NHWC' : 'NCHW',
    pad: { top: k.pad[0], bottom: k.pad[0], left: k.pad[1], right: k.pad[1] },
    padMode: 'constant',
    inputDilation: [1, 1],
    weight: wt as LayerJob['weight'],
    outC: k.oc,
    kh: 3,
    kw: 3,
    groups: 1,
    bias: bias as LayerJob['bias'],
    stride: [1, 1],
    dilation: [1, 1],
    outH: k.h + 2 * k.pad[0] - 2,
    outW: k.w + 2 * k.pad[1] - 2,
  };
}

/** The documented bound: |error| <= tol * (sum of |products| + |bias|), float32 and float64. */
const BOUND = { float32: 2e-6, float64: 4e-15 };

// At least 256 outputs each (below that the engine leaves the layer to the direct sum).
const CASES: Case[] = [
  { n: 1, c: 8, oc: 8, h: 16, w: 16, pad: [1, 1] },
  { n: 2, c: 9, oc: 12, h: 13, w: 11, pad: [1, 1] },
  { n: 1, c: 16, oc: 10, h: 20, w: 13, pad: [0, 2] },
  { n: 1, c: 13, oc: 17, h: 23, w: 15, pad: [0, 0] },
];

for (const backend of BACKENDS) {
  describe(`Winograd engine on ${backend}`, () => {
    useBackend(backend);
    for (const dtype of ['float32', 'float64'] as const) {
      for (const k of CASES) {
        for (const nhwc of [false, true]) {
          const name = `${dtype} ${k.n}x${k.c}x${k.h}x${k.w} -> ${k.oc}, pad ${k.pad.join('x')}, ${nhwc ? 'NHWC' : 'NCHW'}`;
          test(`${name}: conv2d's definition within the bound`, () => {
            const x = as(dtype, random(k.n * k.c * k.h * k.w, k.c * 7 + k.h));
            const wt = as(dtype, random(k.oc * k.c * 9, k.oc));
            const bias = as(dtype, random(k.oc, 5));
            const want = reference(x, wt, bias, k, nhwc);
            const j = job(dtype, x, wt, bias, k, nhwc);
            expect(winogradFits(j)).toBe(true);
            const got = allocFloat(dtype, want.value.length);
            expect(runWinograd(j, intoResult(got))).toBe(true);
            let worst = 0;
            for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want.value[i]) / want.scale[i]);
            expect(worst).toBeLessThanOrEqual(BOUND[dtype]);
            // The public function takes the same route and returns the same values.
            const y = conv2d({ data: j.input, shape: nhwc ? [k.n, k.h, k.w, k.c] : [k.n, k.c, k.h, k.w] }, { data: wt, shape: [k.oc, k.c, 3, 3] }, { padding: k.pad, bias, layout: nhwc ? 'NHWC' : 'NCHW' });
            expect(y.shape).toEqual(want.shape);
            expect(Array.from(y.data)).toEqual(Array.from(got));
          });
        }
      }

      test(`${dtype}: weights transformed once are reused while they hold the same values, and redone when changed in place`, () => {
        const k: Case = { n: 1, c: 16, oc: 24, h: 18, w: 18, pad: [1, 1] };
        const x = as(dtype, random(k.c * k.h * k.w, 11));
        const wt = as(dtype, random(k.oc * k.c * 9, 12));
        const run = () => {
          const got = allocFloat(dtype, k.oc * k.h * k.w);
          expect(runWinograd(job(dtype, x, wt, null, k, false), intoResult(got))).toBe(true);
          return got;
        };
        const within = (got: ArrayLike<number>) => {
          const want = reference(x, wt, null, k, false);
          let worst = 0;
          for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want.value[i]) / want.scale[i]);
          expect(worst).toBeLessThanOrEqual(BOUND[dtype]);
        };
        const first = run();
        within(first);
        expect(Array.from(run())).toEqual(Array.from(first));
        // In place, as a training step does: one weight of output channel 5.
        wt[5 * k.c * 9 + 4] += 0.75;
        const changed = run();
        within(changed);
        expect(changed[5 * k.h * k.w + 40]).not.toBe(first[5 * k.h * k.w + 40]);
        // A copy with the same values gets the same transform (matched by value, not by array).
        const again = allocFloat(dtype, k.oc * k.h * k.w);
        expect(runWinograd(job(dtype, x, wt.slice(), null, k, false), intoResult(again))).toBe(true);
        expect(Array.from(again)).toEqual(Array.from(changed));
      });

      test(`${dtype}: a NaN or an infinity in the input stays in its windows`, () => {
        const k: Case = { n: 1, c: 8, oc: 8, h: 16, w: 16, pad: [1, 1] };
        for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
          const x = as(dtype, random(k.c * k.h * k.w, 3));
          // Channel 2, row 3, column 4: windows of rows 2..4 and columns 3..5 hold it.
          x[(2 * k.h + 3) * k.w + 4] = bad;
          const wt = as(dtype, random(k.oc * k.c * 9, 4));
          const j = job(dtype, x, wt, null, k, false);
          expect(runWinograd(j, intoResult(allocFloat(dtype, k.oc * 256)))).toBe(false);
          const y = conv2d({ data: j.input, shape: [1, k.c, k.h, k.w] }, { data: wt, shape: [k.oc, k.c, 3, 3] }, { padding: 1 });
          const want = reference(x, wt, null, k, false);
          for (let i = 0; i < y.data.length; i++) {
            const row = Math.floor(i / 16) % 16;
            const col = i % 16;
            const inside = row >= 2 && row <= 4 && col >= 3 && col <= 5;
            if (!inside) expect(Math.abs(y.data[i] - want.value[i])).toBeLessThanOrEqual(1e-5 * want.scale[i]);
            else expect(Number.isFinite(y.data[i])).toBe(false);
          }
        }
      });
    }

    test('layers it does not compute: small maps, stride, dilation, groups, few channels, other kernels, reflect padding', () => {
      const base = job('float32', as('float32', random(8 * 256, 1)), as('float32', random(8 * 8 * 9, 2)), null, { n: 1, c: 8, oc: 8, h: 16, w: 16, pad: [1, 1] }, false);
      expect(winogradFits(base)).toBe(true);
      expect(winogradFits({ ...base, height: 14, width: 14, outH: 14, outW: 14 })).toBe(false);
      expect(winogradFits({ ...base, height: 14, width: 14, outH: 14, outW: 14, batch: 2 })).toBe(true);
      expect(winogradFits({ ...base, stride: [2, 2], outH: 8, outW: 8 })).toBe(false);
      expect(winogradFits({ ...base, dilation: [2, 2], outH: 14, outW: 14 })).toBe(false);
      expect(winogradFits({ ...base, groups: 2 })).toBe(false);
      expect(winogradFits({ ...base, channels: 4 })).toBe(false);
      expect(winogradFits({ ...base, outC: 4 })).toBe(false);
      expect(winogradFits({ ...base, kh: 5, kw: 5, outH: 14, outW: 14 })).toBe(false);
      expect(winogradFits({ ...base, padMode: 'reflect' })).toBe(false);
      expect(winogradFits({ ...base, outH: 5 })).toBe(false);
    });
  });
}
