// outputShape(): the shape every function returns, with its errors, without data.
import { describe, expect, test } from 'vitest';
import { avgPool2d, conv1d, conv2d, convTranspose2d, convolve2d, correlate, correlate2d, maxPool2d, outputShape } from '../src/index';

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
    expect(() => outputShape('correlate2d', [2, 4], [3, 3], { mode: 'valid' })).toThrow(/at least as large as the other/);
    expect(() => outputShape('fft' as never, [2], [2])).toThrow(/op: expected/);
  });
});
