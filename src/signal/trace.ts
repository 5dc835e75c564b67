// One output cell of convolve2d / correlate2d step by step, for the calculator: the window, the
// kernel as applied, the products and their sum, by scipy's size rules (signal/shape.ts).
import { fail } from '../core/errors';
import { numberOption, oneOf, optionsObject, tupleOption } from '../core/options';
import { borderOption, sourceIndex, type BorderName } from '../core/padding';
import { toOperand, type TensorLike } from '../core/tensor';
import { MODES, checkSignalShapes, sameCentreOf, windowAxis, type Mode } from './shape';

export interface TraceOptions {
  /** 'correlate' (default) slides the kernel as given; 'convolve' rotates it 180° first. */
  op?: 'correlate' | 'convolve';
  /** Which output cell [row, col] indexes, as in convolve2d/correlate2d. Default 'valid'. */
  mode?: Mode;
  /** Samples outside the input, as convolve2d's boundary. Default 'fill'. */
  boundary?: BorderName<'scipy'>;
  fillvalue?: number;
  /** Step between windows, one integer or [sH, sW] (torch's stride). Default 1. */
  stride?: number | number[];
  /** Spacing between kernel taps, one integer or [dH, dW] (torch's dilation). Default 1. */
  dilation?: number | number[];
  /** Samples added on each side, one integer or [pH, pW]; instead of the mode's padding. */
  padding?: number | number[];
}

export interface Trace {
  /** The input samples under the kernel (boundary samples outside the input). */
  window: number[][];
  /** The kernel as applied: rotated 180° for convolve. */
  kernel: number[][];
  /** window * kernel, element by element. */
  products: number[][];
  /** The output value: the sum of the products. */
  sum: number;
  /**
   * Input coordinates of the window's top-left sample (negative outside the input): window
   * sample [u, v] is input [origin[0] + u * dilation, origin[1] + v * dilation].
   */
  origin: [number, number];
  /** The shape of the whole output for these options. */
  shape: [number, number];
}

/**
 * One output cell of convolve2d / correlate2d, step by step: the window the kernel covers, the
 * kernel as applied, the products and their sum, with scipy's modes and boundaries. stride,
 * dilation and padding generalise it the way torch's conv2d does (windows every `stride`
 * samples, taps `dilation` apart, `padding` samples of the boundary on each side).
 */
export function trace(input: TensorLike, kernel: TensorLike, cell: [number, number], options?: TraceOptions): Trace {
  const opts = optionsObject('options', options, 'trace');
  const x = toOperand('input', input);
  const k = toOperand('kernel', kernel);
  checkSignalShapes('trace', true, x.shape, k.shape, ['input', 'kernel']);
  const op = oneOf('options.op', opts.op, ['correlate', 'convolve'] as const, 'correlate');
  const mode = oneOf('options.mode', opts.mode, MODES, 'valid');
  const padMode = borderOption('options.boundary', opts.boundary, 'scipy', 'fill');
  const fillvalue = numberOption('options.fillvalue', opts.fillvalue, 0);
  const stride = tupleOption('options.stride', opts.stride, 1, 2, 1);
  const dilation = tupleOption('options.dilation', opts.dilation, 1, 2, 1);
  const padding = opts.padding === undefined ? null : tupleOption('options.padding', opts.padding, 0, 2, 0);
  const [h, w] = x.shape;
  const [kh, kw] = k.shape;
  const centre = sameCentreOf(op === 'convolve' ? 'convolve2d' : 'correlate2d');
  const axes = [0, 1].map((a) => windowAxis(op, x.shape[a], k.shape[a], mode, centre, { stride: stride[a], dilation: dilation[a], padding: padding && padding[a] }));
  if (axes[0].size < 1 || axes[1].size < 1 || (mode === 'valid' && padding === null && (axes[0].reach > h || axes[1].reach > w))) {
    const padded = axes.map((g, a) => x.shape[a] + g.before + g.after);
    fail('SHAPE', 'kernel', `a kernel whose reach fits the padded input [${padded.join(', ')}]`, `shape [${kh}, ${kw}] reaching [${axes[0].reach}, ${axes[1].reach}]`);
  }
  const [oh, ow] = [axes[0].size, axes[1].size];
  if (!Array.isArray(cell) || cell.length !== 2 || !Number.isInteger(cell[0]) || !Number.isInteger(cell[1]) || cell[0] < 0 || cell[1] < 0 || cell[0] >= oh || cell[1] >= ow) {
    fail('OPTION', 'cell', `[row, col] inside the ${oh}x${ow} '${mode}' output`, cell);
  }
  // Output cell [0, 0] puts the window's top-left corner `before` samples ahead of the input.
  const origin: [number, number] = [cell[0] * stride[0] - axes[0].before, cell[1] * stride[1] - axes[1].before];
  const applied = (u: number, v: number) => (op === 'convolve' ? k.data[(kh - 1 - u) * kw + (kw - 1 - v)] : k.data[u * kw + v]);
  const window: number[][] = [];
  const kern: number[][] = [];
  const products: number[][] = [];
  let sum = 0;
  for (let u = 0; u < kh; u++) {
    const sy = sourceIndex(origin[0] + u * dilation[0], h, 0, padMode);
    window.push([]);
    kern.push([]);
    products.push([]);
    for (let v = 0; v < kw; v++) {
      const sx = sourceIndex(origin[1] + v * dilation[1], w, 0, padMode);
      const sample = sy < 0 || sx < 0 ? fillvalue : x.data[sy * w + sx];
      const weight = applied(u, v);
      window[u].push(sample);
      kern[u].push(weight);
      products[u].push(sample * weight);
      sum += sample * weight;
    }
  }
  return { window, kernel: kern, products, sum, origin, shape: [oh, ow] };
}
