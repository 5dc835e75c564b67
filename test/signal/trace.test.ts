// trace(): one output cell step by step, against the functions it explains.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { conv2d, convolve2d, correlate, correlate2d, flip, kernels, trace } from '../../src/index';

const gradient5x5 = Array.from({ length: 5 }, (_, r) => Array.from({ length: 5 }, (_, c) => 10 * (r + 1) * (c + 1)));

describe('trace', () => {
  test("reproduces the classic Sobel-X worked example: 160 at [0, 0] of the 5x5 gradient", () => {
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

  test("stride, dilation and padding: every cell sums to conv2d's output (zeros and circular padding)", () => {
    const grid = (h: number, w: number) => fc.array(fc.integer({ min: -9, max: 9 }), { minLength: h * w, maxLength: h * w }).map((v) => ({ data: Float64Array.from(v), shape: [h, w] }));
    const cases = fc.tuple(fc.integer({ min: 2, max: 7 }), fc.integer({ min: 2, max: 7 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).chain(([h, w, kh, kw]) =>
      fc.record({ x: grid(h, w), k: grid(kh, kw), stride: fc.integer({ min: 1, max: 3 }), dilation: fc.integer({ min: 1, max: 2 }), padding: fc.integer({ min: 0, max: 2 }), wrap: fc.boolean(), convolve: fc.boolean(), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(cases, ({ x, k, stride, dilation, padding, wrap, convolve, pick }) => {
        const [h, w] = x.shape;
        const [kh, kw] = k.shape;
        fc.pre(h + 2 * padding >= dilation * (kh - 1) + 1 && w + 2 * padding >= dilation * (kw - 1) + 1 && (!wrap || padding <= Math.min(h, w)));
        // conv2d correlates; true convolution is conv2d with the kernel rotated 180°.
        const weight = convolve ? flip(k) : k;
        const out = conv2d({ data: x.data, shape: [1, 1, h, w] }, { data: weight.data, shape: [1, 1, kh, kw] }, { stride, dilation, padding, paddingMode: wrap ? 'circular' : 'zeros' });
        const [oh, ow] = out.shape.slice(2);
        const i = pick % (oh * ow);
        const t = trace(x, k, [Math.floor(i / ow), i % ow], { op: convolve ? 'convolve' : 'correlate', stride, dilation, padding, boundary: wrap ? 'wrap' : 'fill' });
        expect(t.shape).toEqual([oh, ow]);
        expect(t.sum).toBe(out.data[i]);
      }),
    );
  });

  test('with stride 2 and dilation 2 the window samples every other input sample', () => {
    const t = trace(gradient5x5, kernels.identity, [1, 1], { stride: 2, dilation: 2, padding: 2 });
    expect(t.shape).toEqual([3, 3]);
    expect(t.origin).toEqual([0, 0]);
    expect(t.window).toEqual([
      [10, 30, 50],
      [30, 90, 150],
      [50, 150, 250],
    ]);
    expect(t.sum).toBe(90);
    expect(() => trace(gradient5x5, kernels.box(3), [0, 0], { dilation: 3 })).toThrow(/kernel: expected a kernel whose reach fits the padded input \[5, 5\]/);
  });

  test('a cell outside the output is an OPTION error naming the cell', () => {
    expect(() => trace(gradient5x5, kernels.sobelX, [3, 0])).toThrow(/cell: expected \[row, col\] inside the 3x3 'valid' output/);
  });
});
