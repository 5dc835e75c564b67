// The kernel gallery: OpenCV's values.
import { describe, expect, test } from 'vitest';
import { SimdconvError, gaussianKernel1d, kernels } from '../../src/index';

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
