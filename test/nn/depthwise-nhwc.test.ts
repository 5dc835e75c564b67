// Channels-last depthwise layers with nine taps over whole vectors of channels (the kernel that
// keeps a channel vector's weights in registers along runs of a row): against conv2d's definition
// in float64, with stride, dilation, bias, rows longer and shorter than a run, on every backend.
import { beforeAll, describe, expect, test } from 'vitest';
import { conv2d, ready } from '../../src/index';
import { BACKENDS, useBackend } from '../helpers/backends';
import { random } from '../helpers/random';

beforeAll(() => ready());

interface Case {
  c: number;
  h: number;
  w: number;
  k: [number, number];
  stride: number;
  dilation: number;
  pad: number;
}

/** Depthwise conv2d by its definition, NHWC in and out, zero padding. */
function reference(x: Float64Array, wt: Float64Array, bias: Float64Array, k: Case) {
  const [kh, kw] = k.k;
  const oh = Math.floor((k.h + 2 * k.pad - k.dilation * (kh - 1) - 1) / k.stride) + 1;
  const ow = Math.floor((k.w + 2 * k.pad - k.dilation * (kw - 1) - 1) / k.stride) + 1;
  const value = new Float64Array(oh * ow * k.c);
  const scale = new Float64Array(oh * ow * k.c);
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      for (let c = 0; c < k.c; c++) {
        let s = bias[c];
        let a = Math.abs(s);
        for (let u = 0; u < kh; u++) {
          for (let v = 0; v < kw; v++) {
            const y = i * k.stride + u * k.dilation - k.pad;
            const xx = j * k.stride + v * k.dilation - k.pad;
            if (y < 0 || y >= k.h || xx < 0 || xx >= k.w) continue;
            const p = wt[(c * kh + u) * kw + v] * x[(y * k.w + xx) * k.c + c];
            s += p;
            a += Math.abs(p);
          }
        }
        value[(i * ow + j) * k.c + c] = s;
        scale[(i * ow + j) * k.c + c] = a;
      }
    }
  }
  return { value, scale, shape: [1, oh, ow, k.c] };
}

const CASES: Case[] = [
  { c: 32, h: 40, w: 37, k: [3, 3], stride: 1, dilation: 1, pad: 1 },
  { c: 12, h: 9, w: 5, k: [3, 3], stride: 2, dilation: 1, pad: 1 },
  { c: 16, h: 11, w: 13, k: [3, 3], stride: 1, dilation: 2, pad: 2 },
  { c: 20, h: 6, w: 30, k: [1, 9], stride: 1, dilation: 1, pad: 0 },
  { c: 6, h: 12, w: 19, k: [9, 1], stride: 1, dilation: 1, pad: 0 },
];

for (const backend of BACKENDS) {
  describe(`channels-last depthwise, nine taps, on ${backend}`, () => {
    useBackend(backend);
    for (const dtype of ['float32', 'float64'] as const) {
      for (const k of CASES) {
        test(`${dtype} ${k.h}x${k.w}x${k.c}, ${k.k.join('x')} kernel, stride ${k.stride}, dilation ${k.dilation}: conv2d's definition`, () => {
          const Type = dtype === 'float32' ? Float32Array : Float64Array;
          const x = Type.from(random(k.h * k.w * k.c, k.c + k.w));
          const wt = Type.from(random(k.c * 9, k.h));
          const bias = Type.from(random(k.c, 3));
          const want = reference(Float64Array.from(x), Float64Array.from(wt), Float64Array.from(bias), k);
          const y = conv2d({ data: x, shape: [1, k.h, k.w, k.c] }, { data: wt, shape: [k.c, 1, ...k.k] }, { groups: k.c, stride: k.stride, dilation: k.dilation, padding: k.pad, bias, layout: 'NHWC' });
          expect(y.shape).toEqual(want.shape);
          const tol = dtype === 'float32' ? 1e-6 : 1e-14;
          let worst = 0;
          for (let i = 0; i < y.data.length; i++) worst = Math.max(worst, Math.abs(y.data[i] - want.value[i]) / want.scale[i]);
          expect(worst).toBeLessThanOrEqual(tol);
        });
      }
    }
  });
}
