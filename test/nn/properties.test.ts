// Layer identities and Wasm SIMD vs the TypeScript fallback on random layers: every kernel path
// (channel-vectorised, depthwise planar, depthwise channels-last, transposed, weight gradient).
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  conv2d,
  conv2dBackward,
  convTranspose2d,
  convolve2d,
  correlate2d,
  features,
  flip,
  ready,
  type Conv2dOptions,
  type Tensor,
} from '../../src/index';
import { onBackend } from '../helpers/backends';
import { TOLERANCE, mismatch } from '../helpers/fixtures';

interface Layer {
  x: Tensor;
  w: Tensor;
  bias: Tensor | undefined;
  opts: Conv2dOptions;
}

/** Small integers in float64 keep every identity exact. */
function ints(n: number, seed: number, f64: boolean): Float32Array | Float64Array {
  const out = f64 ? new Float64Array(n) : new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s >>> 24) % 19) - 9;
  }
  return out;
}

const layer = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    groups: fc.integer({ min: 1, max: 3 }),
    icg: fc.integer({ min: 1, max: 3 }),
    ocg: fc.integer({ min: 1, max: 10 }),
    depthwise: fc.boolean(),
    h: fc.integer({ min: 1, max: 9 }),
    w: fc.integer({ min: 1, max: 12 }),
    kh: fc.integer({ min: 1, max: 4 }),
    kw: fc.integer({ min: 1, max: 4 }),
    stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    pad: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
    paddingMode: fc.constantFrom('zeros', 'reflect', 'replicate', 'circular'),
    bias: fc.boolean(),
    f64: fc.boolean(),
    seed: fc.nat(),
  })
  .map((r): Layer => {
    // Depthwise: groups = channels, one output channel each (the two depthwise kernels).
    const groups = r.depthwise ? r.groups * r.icg : r.groups;
    const icg = r.depthwise ? 1 : r.icg;
    const ocg = r.depthwise ? 1 : r.ocg;
    const c = groups * icg;
    const oc = groups * ocg;
    // Padding within what every mode allows, and a kernel that fits the padded input.
    const ph = Math.min(r.pad[0], r.h - 1);
    const pw = Math.min(r.pad[1], r.w - 1);
    const kh = Math.min(r.kh, Math.floor((r.h + 2 * ph - 1) / r.dilation[0]) + 1);
    const kw = Math.min(r.kw, Math.floor((r.w + 2 * pw - 1) / r.dilation[1]) + 1);
    return {
      x: { data: ints(r.n * c * r.h * r.w, r.seed, r.f64), shape: [r.n, c, r.h, r.w] },
      w: { data: ints(oc * icg * kh * kw, r.seed + 1, r.f64), shape: [oc, icg, kh, kw] },
      bias: r.bias ? { data: ints(oc, r.seed + 2, r.f64), shape: [oc] } : undefined,
      opts: { stride: r.stride, dilation: r.dilation, padding: [ph, pw], groups, paddingMode: r.paddingMode },
    };
  });

function toNHWC(t: Tensor): Tensor {
  const [n, c, h, w] = t.shape;
  const data = t.data.slice();
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) data[(b * h * w + i) * c + ch] = t.data[(b * c + ch) * h * w + i];
  return { data, shape: [n, h, w, c] };
}

function absOf(t: Tensor): Tensor {
  return { data: t.data.map(Math.abs), shape: t.shape };
}

function close(got: Tensor, want: Tensor, scale: Tensor): void {
  expect(got.shape).toEqual(want.shape);
  const rel = got.data instanceof Float64Array ? TOLERANCE.float64 : TOLERANCE.float32;
  expect(mismatch(got.data, want.data, scale.data, rel)).toBeNull();
}

beforeAll(async () => {
  expect(await ready()).toBe(features().relaxedSimd ? 'wasm-relaxed-simd' : 'wasm-simd');
});

/** Index of padded position p on an axis of length n, torch's padding modes; -1 for zeros. */
function source(p: number, n: number, mode: string): number {
  if (p >= 0 && p < n) return p;
  if (mode === 'zeros') return -1;
  if (mode === 'replicate') return p < 0 ? 0 : n - 1;
  if (mode === 'circular') return ((p % n) + n) % n;
  return p < 0 ? -p : 2 * (n - 1) - p; // reflect
}

/** conv2d by its definition, one output element at a time (NCHW, in float64). */
function naiveConv2d(x: Tensor, w: Tensor, o: Conv2dOptions, bias?: Tensor): number[] {
  const [n, c, h, wd] = x.shape;
  const [oc, icg, kh, kw] = w.shape;
  const [sh, sw] = o.stride as number[];
  const [dh, dw] = o.dilation as number[];
  const [ph, pw] = o.padding as number[];
  const groups = o.groups ?? 1;
  const oh = Math.floor((h + 2 * ph - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((wd + 2 * pw - dw * (kw - 1) - 1) / sw) + 1;
  const out: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let f = 0; f < oc; f++) {
      const g = Math.floor(f / (oc / groups));
      for (let y = 0; y < oh; y++) {
        for (let xx = 0; xx < ow; xx++) {
          let s = bias ? bias.data[f] : 0;
          for (let i = 0; i < icg; i++) {
            for (let u = 0; u < kh; u++) {
              const sy = source(y * sh + u * dh - ph, h, o.paddingMode ?? 'zeros');
              for (let v = 0; v < kw; v++) {
                const sx = source(xx * sw + v * dw - pw, wd, o.paddingMode ?? 'zeros');
                if (sy < 0 || sx < 0) continue;
                s += w.data[((f * icg + i) * kh + u) * kw + v] * x.data[((b * c + g * icg + i) * h + sy) * wd + sx];
              }
            }
          }
          out.push(s);
        }
      }
    }
  }
  return out;
}

describe('conv2d on random layers', () => {
  test('wide layers (8 to 20 channels per group, staged channels last) match the definition on both backends', () => {
    const wide = layer.chain((l) =>
      fc.integer({ min: 8, max: 20 }).map((icg) => {
        const [n, , h, wd] = l.x.shape;
        const [oc, , kh, kw] = l.w.shape;
        const groups = l.opts.groups === oc && oc === l.x.shape[1] ? 1 : (l.opts.groups ?? 1);
        const f64 = l.x.data instanceof Float64Array;
        return {
          ...l,
          x: { data: ints(n * groups * icg * h * wd, oc + icg, f64), shape: [n, groups * icg, h, wd] },
          w: { data: ints(oc * icg * kh * kw, oc * icg, f64), shape: [oc, icg, kh, kw] },
          opts: { ...l.opts, groups },
          bias: undefined,
        };
      }),
    );
    fc.assert(
      fc.property(wide, ({ x, w, opts }) => {
        const want = naiveConv2d(x, w, opts);
        const scale = naiveConv2d(absOf(x), absOf(w), opts);
        for (const backend of ['wasm-simd', 'js'] as const) {
          const got = onBackend(backend, () => conv2d(x, w, opts));
          const rel = got.data instanceof Float64Array ? TOLERANCE.float64 : TOLERANCE.float32;
          expect(mismatch(got.data, want, scale, rel)).toBeNull();
        }
      }),
      { numRuns: 60 },
    );
  });

  test('Wasm SIMD and the fallback agree, in NCHW and NHWC', () => {
    fc.assert(
      fc.property(layer, ({ x, w, bias, opts }) => {
        const o = { ...opts, bias };
        const wasm = conv2d(x, w, o);
        const js = onBackend('js', () => conv2d(x, w, o));
        const scale = onBackend('js', () => conv2d(absOf(x), absOf(w), { ...o, bias: bias && absOf(bias) }));
        close(wasm, js, scale);
        // Channels last gives the same numbers, transposed.
        close(conv2d(toNHWC(x), w, { ...o, layout: 'NHWC' }), toNHWC(js), toNHWC(scale));
        close(onBackend('js', () => conv2d(toNHWC(x), w, { ...o, layout: 'NHWC' })), toNHWC(js), toNHWC(scale));
      }),
      { numRuns: 150 },
    );
  });

  test('an impulse image returns each kernel rotated 180° (conv2d is cross-correlation)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 9 }), fc.nat(), (kh, kw, oc, seed) => {
        const w = { data: ints(oc * kh * kw, seed, true), shape: [oc, 1, kh, kw] };
        const h = 2 * kh - 1;
        const wd = 2 * kw - 1;
        const x = { data: new Float64Array(h * wd), shape: [1, 1, h, wd] };
        x.data[(kh - 1) * wd + kw - 1] = 1;
        const y = conv2d(x, w);
        for (let o = 0; o < oc; o++) {
          const plane = Array.from(y.data.subarray(o * kh * kw, (o + 1) * kh * kw));
          const k = { data: w.data.slice(o * kh * kw, (o + 1) * kh * kw), shape: [kh, kw] };
          expect(plane).toEqual(Array.from(flip(k).data));
        }
      }),
    );
  });

  test("one channel, no padding: conv2d is scipy's correlate2d in 'valid' mode", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.nat(), (h, wd, kh, kw, seed) => {
        fc.pre(kh <= h && kw <= wd);
        const x = { data: ints(h * wd, seed, true), shape: [h, wd] };
        const k = { data: ints(kh * kw, seed + 1, true), shape: [kh, kw] };
        const y = conv2d({ data: x.data, shape: [1, h, wd] }, { data: k.data, shape: [1, 1, kh, kw] });
        expect(Array.from(y.data)).toEqual(Array.from(correlate2d(x, k, { mode: 'valid' }).data));
      }),
    );
  });
});

describe('transposed convolution and the backward pass', () => {
  test("one channel, stride 1: convTranspose2d is scipy's convolve2d in 'full' mode", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.nat(), (h, wd, kh, kw, seed) => {
        const x = { data: ints(h * wd, seed, true), shape: [h, wd] };
        const k = { data: ints(kh * kw, seed + 1, true), shape: [kh, kw] };
        const y = convTranspose2d({ data: x.data, shape: [1, h, wd] }, { data: k.data, shape: [1, 1, kh, kw] });
        expect(Array.from(y.data)).toEqual(Array.from(convolve2d(x, k).data));
      }),
    );
  });

  test('gradInput is the full convolution of gradOutput with the kernel; gradWeight the valid correlation of input with gradOutput', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.nat(), (h, wd, kh, kw, seed) => {
        fc.pre(kh <= h && kw <= wd);
        const x = { data: ints(h * wd, seed, true), shape: [h, wd] };
        const k = { data: ints(kh * kw, seed + 1, true), shape: [kh, kw] };
        const g = { data: ints((h - kh + 1) * (wd - kw + 1), seed + 2, true), shape: [h - kh + 1, wd - kw + 1] };
        const grads = conv2dBackward({ data: g.data, shape: [1, ...g.shape] }, { data: x.data, shape: [1, h, wd] }, { data: k.data, shape: [1, 1, kh, kw] });
        expect(Array.from(grads.gradInput.data)).toEqual(Array.from(convolve2d(g, k).data));
        expect(Array.from(grads.gradWeight.data)).toEqual(Array.from(correlate2d(x, g, { mode: 'valid' }).data));
        expect(grads.gradBias).toBeNull();
      }),
    );
  });

  test('Wasm SIMD and the fallback agree on gradients of random layers', () => {
    fc.assert(
      fc.property(layer, ({ x, w, bias, opts }) => {
        const o = { ...opts, bias: bias !== undefined };
        const y = onBackend('js', () => conv2d(x, w, opts));
        const g = { data: ints(y.data.length, 7, y.data instanceof Float64Array), shape: y.shape };
        const wasm = conv2dBackward(g, x, w, o);
        const js = onBackend('js', () => conv2dBackward(g, x, w, o));
        const scale = onBackend('js', () => conv2dBackward(absOf(g), absOf(x), absOf(w), o));
        close(wasm.gradInput, js.gradInput, scale.gradInput);
        close(wasm.gradWeight, js.gradWeight, scale.gradWeight);
        if (js.gradBias) close(wasm.gradBias!, js.gradBias, scale.gradBias!);
        else expect(wasm.gradBias).toBeNull();
      }),
      { numRuns: 100 },
    );
  });
});
