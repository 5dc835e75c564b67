// The kernel gallery: the classic small kernels, with OpenCV's values where OpenCV defines them.
import { fail } from '../core/errors';
import { checkFits, type Tensor } from '../core/tensor';

/** A float64 2-D tensor from rows. */
function matrix(rows: number[][]): Tensor<Float64Array> {
  return { data: Float64Array.from(rows.flat()), shape: [rows.length, rows[0].length] };
}

function positiveSize(arg: string, size: unknown): number {
  if (!Number.isSafeInteger(size) || (size as number) < 1) fail('OPTION', arg, 'a positive integer', size);
  return size as number;
}

/**
 * OpenCV's getGaussianKernel: the fixed binomial-like tables for sizes 1, 3, 5, 7 when sigma is
 * not positive, otherwise exp(-x^2 / (2 sigma^2)) normalised to sum 1, with sigma defaulting
 * to 0.3 * ((size - 1) * 0.5 - 1) + 0.8.
 */
export function gaussianKernel1d(size: number, sigma = 0): Float64Array {
  positiveSize('size', size);
  if (typeof sigma !== 'number') fail('OPTION', 'sigma', 'a number', sigma);
  checkFits('size', size, 8);
  const fixed: Record<number, number[]> = {
    1: [1],
    3: [0.25, 0.5, 0.25],
    5: [0.0625, 0.25, 0.375, 0.25, 0.0625],
    7: [0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125],
  };
  if (!(sigma > 0) && fixed[size]) return Float64Array.from(fixed[size]);
  const s = sigma > 0 ? sigma : ((size - 1) * 0.5 - 1) * 0.3 + 0.8;
  const scale = -0.5 / (s * s);
  const out = new Float64Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const x = i - (size - 1) * 0.5;
    out[i] = Math.exp(scale * x * x);
    sum += out[i];
  }
  for (let i = 0; i < size; i++) out[i] /= sum;
  return out;
}

/**
 * The kernel gallery: float64 2-D tensors ready for filter2d, convolve2d or correlate2d.
 * Values are OpenCV's where OpenCV defines them (Sobel 3x3, Laplacian with ksize 1, box =
 * cv.blur, gaussian = the outer product of getGaussianKernel). The fixed kernels are getters
 * that build a fresh tensor on every read, so a caller who edits one edits only their copy.
 */
export const kernels = {
  get identity(): Tensor<Float64Array> {
    return matrix([[0, 0, 0], [0, 1, 0], [0, 0, 0]]);
  },
  get sobelX(): Tensor<Float64Array> {
    return matrix([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]);
  },
  get sobelY(): Tensor<Float64Array> {
    return matrix([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]);
  },
  get sharpen(): Tensor<Float64Array> {
    return matrix([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]);
  },
  get laplacian(): Tensor<Float64Array> {
    return matrix([[0, 1, 0], [1, -4, 1], [0, 1, 0]]);
  },
  get emboss(): Tensor<Float64Array> {
    return matrix([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]);
  },
  /** size x size, every weight 1 / size^2 (a mean filter). */
  box(size: number): Tensor<Float64Array> {
    const n = positiveSize('size', size);
    checkFits('size', n * n, 8);
    return { data: new Float64Array(n * n).fill(1 / (n * n)), shape: [n, n] };
  },
  /** size x size Gaussian, OpenCV's getGaussianKernel(size, sigma) times its transpose; sigma <= 0 or absent picks OpenCV's default. */
  gaussian(size: number, sigma?: number): Tensor<Float64Array> {
    const n = positiveSize('size', size);
    checkFits('size', n * n, 8);
    const g = gaussianKernel1d(n, sigma ?? 0);
    const data = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data[i * n + j] = g[i] * g[j];
    return { data, shape: [n, n] };
  },
};
