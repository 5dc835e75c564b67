// The step-by-step helpers: trace, outputShape, paramCount, receptiveField, and the kernel gallery.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  SimdconvError,
  avgPool2d,
  conv1d,
  conv2d,
  convTranspose2d,
  convolve2d,
  correlate,
  correlate2d,
  gaussianKernel1d,
  kernels,
  maxPool2d,
  outputShape,
  paramCount,
  receptiveField,
  trace,
} from '../src/index';

const gradient5x5 = Array.from({ length: 5 }, (_, r) => Array.from({ length: 5 }, (_, c) => 10 * (r + 1) * (c + 1)));

describe('trace', () => {
  test("reproduces the seeds' Sobel-X example: 160 at [0, 0] of the 5x5 gradient", () => {
    const t = trace(gradient5x5, kernels.sobelX, [0, 0]);
    expect(t.products.flat()).toEqual([-10, 0, 30, -40, 0, 120, -30, 0, 90]);
    expect(t.sum).toBe(160);
    expect(t.window).toEqual([
      [10, 20, 30],
      [20, 40, 60],
      [30, 60, 90],
    ]);
    expect(t.kernel).toEqual([
      [-1, 0, 1],
      [-2, 0, 2],
      [-1, 0, 1],
    ]);
    expect(t.origin).toEqual([0, 0]);
  });

  test('convolve applies the kernel rotated 180°', () => {
    const t = trace(gradient5x5, kernels.sobelX, [0, 0], { op: 'convolve' });
    expect(t.kernel).toEqual([
      [1, 0, -1],
      [2, 0, -2],
      [1, 0, -1],
    ]);
    expect(t.sum).toBe(-160);
  });

  test('every cell of every mode and boundary sums to what convolve2d / correlate2d computes', () => {
    const small = fc
      .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
      .chain(([h, w]) => fc.array(fc.integer({ min: -9, max: 9 }), { minLength: h * w, maxLength: h * w }).map((v) => ({ data: Float64Array.from(v), shape: [h, w] })));
    fc.assert(
      fc.property(
        small,
        small,
        fc.constantFrom('full', 'same', 'valid'),
        fc.constantFrom('fill', 'wrap', 'symm'),
        fc.constantFrom('correlate', 'convolve'),
        fc.nat(),
        (x, k, mode, boundary, op, pick) => {
          fc.pre(mode !== 'valid' || (k.shape[0] <= x.shape[0] && k.shape[1] <= x.shape[1]));
          const f = op === 'convolve' ? convolve2d : correlate2d;
          const out = f(x, k, { mode, boundary, fillvalue: 3 });
          const i = pick % out.data.length;
          const cell: [number, number] = [Math.floor(i / out.shape[1]), i % out.shape[1]];
          const t = trace(x, k, cell, { op, mode, boundary, fillvalue: 3 });
          expect(t.sum).toBe(out.data[i]);
          expect(t.products.flat().reduce((a, b) => a + b, 0)).toBe(t.sum);
        },
      ),
    );
  });

  test('a cell outside the output is an OPTION error naming the cell', () => {
    expect(() => trace(gradient5x5, kernels.sobelX, [3, 0])).toThrow(/cell: expected \[row, col\] inside the 3x3 'valid' output/);
  });
});

describe('paramCount and receptiveField', () => {
  test('nn.Conv2d(3, 64, 3) has 1,792 parameters and nn.Conv2d(64, 128, 3) 73,856', () => {
    expect(paramCount({ inChannels: 3, outChannels: 64, kernelSize: 3 })).toBe(1792);
    expect(paramCount({ inChannels: 64, outChannels: 128, kernelSize: 3 })).toBe(73856);
    // Without bias, depthwise, and a rectangular kernel, by hand.
    expect(paramCount({ inChannels: 64, outChannels: 128, kernelSize: 3, bias: false })).toBe(73728);
    expect(paramCount({ inChannels: 32, outChannels: 32, kernelSize: 3, groups: 32 })).toBe(32 * 9 + 32);
    expect(paramCount({ inChannels: 4, outChannels: 6, kernelSize: [1, 5], groups: 2 })).toBe(6 * 2 * 5 + 6);
    expect(() => paramCount({ inChannels: 3, outChannels: 64, kernelSize: 3, groups: 2 })).toThrow(SimdconvError);
  });

  test('receptive field, jump and start of a conv-conv-pool-conv stack, by hand', () => {
    const steps = receptiveField([
      { kernelSize: 3, padding: 1 },
      { kernelSize: 3, padding: 1 },
      { kernelSize: 2, stride: 2 },
      { kernelSize: 3, padding: 1 },
    ]);
    expect(steps).toEqual([
      { receptiveField: 3, jump: 1, start: 0 },
      { receptiveField: 5, jump: 1, start: 0 },
      { receptiveField: 6, jump: 2, start: 0.5 },
      { receptiveField: 10, jump: 2, start: 0.5 },
    ]);
    // AlexNet's first layer: 11x11, stride 4, no padding; then a 3x3 stride-2 pool.
    expect(receptiveField([{ kernelSize: 11, stride: 4 }, { kernelSize: 3, stride: 2 }])).toEqual([
      { receptiveField: 11, jump: 4, start: 5 },
      { receptiveField: 19, jump: 8, start: 9 },
    ]);
    // Dilation 2 widens a 3-tap kernel to 5.
    expect(receptiveField([{ kernelSize: 3, dilation: 2, padding: 2 }])).toEqual([{ receptiveField: 5, jump: 1, start: 0 }]);
  });
});

describe('outputShape', () => {
  test('agrees with the shape each function returns', () => {
    const ones = (shape: number[]) => ({ data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1), shape });
    const cases: [Parameters<typeof outputShape>, () => number[]][] = [
      [['correlate2d', [5, 7], [2, 3], { mode: 'full' }], () => correlate2d(ones([5, 7]), ones([2, 3])).shape],
      [['convolve2d', [2, 3], [5, 7], { mode: 'valid' }], () => convolve2d(ones([2, 3]), ones([5, 7]), { mode: 'valid' }).shape],
      [['correlate', [9], [4], { mode: 'same' }], () => correlate(ones([9]), ones([4]), { mode: 'same' }).shape],
      [['conv2d', [2, 6, 11, 9], [4, 3, 3, 2], { stride: [2, 1], padding: 1, dilation: 2, groups: 2 }], () => conv2d(ones([2, 6, 11, 9]), ones([4, 3, 3, 2]), { stride: [2, 1], padding: 1, dilation: 2, groups: 2 }).shape],
      [['conv2d', [8, 8, 3], [5, 3, 3, 3], { padding: 'same', layout: 'NHWC' }], () => conv2d(ones([8, 8, 3]), ones([5, 3, 3, 3]), { padding: 'same', layout: 'NHWC' }).shape],
      [['conv1d', [3, 20], [2, 3, 4], { stride: 3 }], () => conv1d(ones([3, 20]), ones([2, 3, 4]), { stride: 3 }).shape],
      [['convTranspose2d', [1, 4, 5, 5], [4, 2, 3, 3], { stride: 2, padding: 1, outputPadding: 1 }], () => convTranspose2d(ones([1, 4, 5, 5]), ones([4, 2, 3, 3]), { stride: 2, padding: 1, outputPadding: 1 }).shape],
      [['maxPool2d', [1, 2, 7, 7], [3, 3], { stride: 2, ceilMode: true }], () => maxPool2d(ones([1, 2, 7, 7]), { kernelSize: 3, stride: 2, ceilMode: true }).shape],
      [['avgPool2d', [2, 9, 6], 2, {}], () => avgPool2d(ones([2, 9, 6]), { kernelSize: 2 }).shape],
    ];
    for (const [args, run] of cases) expect(outputShape(...args), args[0]).toEqual(run());
  });

  test('throws the same errors as the functions', () => {
    expect(() => outputShape('conv2d', [1, 3, 8, 8], [4, 2, 3, 3])).toThrow(/weight: expected inC \/ groups/);
    expect(() => outputShape('conv2d', [1, 3, 8, 8], [4, 3, 3, 3], { padding: 'same', stride: 2 })).toThrow(/'same' only with stride 1/);
    expect(() => outputShape('correlate2d', [2, 4], [3, 3], { mode: 'valid' })).toThrow(/one at least as large/);
    expect(() => outputShape('fft' as never, [2], [2])).toThrow(/op: expected/);
  });
});

describe('kernels', () => {
  test("gaussian uses OpenCV's getGaussianKernel values", () => {
    expect(Array.from(gaussianKernel1d(5))).toEqual([0.0625, 0.25, 0.375, 0.25, 0.0625]);
    // sigma given: exp(-x^2 / 2 sigma^2), normalised; by hand for size 3, sigma 1.
    const e = Math.exp(-0.5);
    const g = gaussianKernel1d(3, 1);
    [e / (1 + 2 * e), 1 / (1 + 2 * e), e / (1 + 2 * e)].forEach((v, i) => expect(g[i]).toBeCloseTo(v, 15));
    // size 9, default sigma 0.3 * (4 - 1) + 0.8 = 1.7
    const s = 1.7;
    const raw = Array.from({ length: 9 }, (_, i) => Math.exp(-((i - 4) ** 2) / (2 * s * s)));
    const sum = raw.reduce((a, b) => a + b, 0);
    gaussianKernel1d(9).forEach((v, i) => expect(v).toBeCloseTo(raw[i] / sum, 15));
    const k = kernels.gaussian(5);
    expect(k.shape).toEqual([5, 5]);
    expect(k.data[12]).toBeCloseTo(0.375 * 0.375, 15);
  });

  test('the 3x3 kernels and box', () => {
    expect(kernels.sobelY.data).toEqual(Float64Array.from([-1, -2, -1, 0, 0, 0, 1, 2, 1]));
    expect(Array.from(kernels.box(2).data)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(kernels.identity.data[4]).toBe(1);
    expect(Array.from(kernels.laplacian.data).reduce((a, b) => a + b, 0)).toBe(0);
    expect(Array.from(kernels.sharpen.data).reduce((a, b) => a + b, 0)).toBe(1);
    expect(() => kernels.box(0)).toThrow(SimdconvError);
    // Each read is a fresh tensor: editing one does not change the gallery.
    kernels.sobelX.data[0] = 99;
    expect(kernels.sobelX.data[0]).toBe(-1);
  });
});
