// One output cell of convolve2d / correlate2d step by step, for the calculator: the window, the
// kernel as applied, the products and their sum, by scipy's size rules (signal/shape.ts).
import { fail } from '../core/errors';
import { numberOption, oneOf, optionsObject } from '../core/options';
import { borderOption, sourceIndex, type BorderName } from '../core/padding';
import { toOperand, type TensorLike } from '../core/tensor';
import { MODES, checkSignalShapes, sameCentreOf, signalGeometry, type Mode } from './shape';

export interface TraceOptions {
  /** 'correlate' (default) slides the kernel as given; 'convolve' rotates it 180° first. */
  op?: 'correlate' | 'convolve';
  /** Which output cell [row, col] indexes, as in convolve2d/correlate2d. Default 'valid'. */
  mode?: Mode;
  /** Samples outside the input, as convolve2d's boundary. Default 'fill'. */
  boundary?: BorderName<'scipy'>;
  fillvalue?: number;
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
  /** Input coordinates of the window's top-left sample (negative outside the input). */
  origin: [number, number];
}

/**
 * One output cell of convolve2d / correlate2d, step by step: the window the kernel covers, the
 * kernel as applied, the products and their sum, with scipy's modes and boundaries.
 */
export function trace(input: TensorLike, kernel: TensorLike, cell: [number, number], options?: TraceOptions): Trace {
  const opts = optionsObject('options', options);
  const x = toOperand('input', input);
  const k = toOperand('kernel', kernel);
  checkSignalShapes('trace', true, x.shape, k.shape, ['input', 'kernel']);
  const op = oneOf('options.op', opts.op, ['correlate', 'convolve'] as const, 'correlate');
  const mode = oneOf('options.mode', opts.mode, MODES, 'valid');
  const padMode = borderOption('options.boundary', opts.boundary, 'scipy', 'fill');
  const fillvalue = numberOption('options.fillvalue', opts.fillvalue, 0);
  const [h, w] = x.shape;
  const [kh, kw] = k.shape;
  if (mode === 'valid' && (kh > h || kw > w)) {
    fail('SHAPE', 'kernel', `at most the input's size [${h}, ${w}] in 'valid' mode`, `shape [${kh}, ${kw}]`);
  }
  const fn = op === 'convolve' ? 'convolve2d' : 'correlate2d';
  const g = signalGeometry(fn, op, x.shape, k.shape, mode, sameCentreOf(fn));
  const [oh, ow] = g.shape;
  if (!Array.isArray(cell) || cell.length !== 2 || !Number.isInteger(cell[0]) || !Number.isInteger(cell[1]) || cell[0] < 0 || cell[1] < 0 || cell[0] >= oh || cell[1] >= ow) {
    fail('OPTION', 'cell', `[row, col] inside the ${oh}x${ow} '${mode}' output`, cell);
  }
  // Output cell [0, 0] puts the window's top-left corner `before` samples ahead of the input.
  const origin: [number, number] = [cell[0] - g.before[0], cell[1] - g.before[1]];
  const applied = (u: number, v: number) => (op === 'convolve' ? k.data[(kh - 1 - u) * kw + (kw - 1 - v)] : k.data[u * kw + v]);
  const window: number[][] = [];
  const kern: number[][] = [];
  const products: number[][] = [];
  let sum = 0;
  for (let u = 0; u < kh; u++) {
    const sy = sourceIndex(origin[0] + u, h, 0, padMode);
    window.push([]);
    kern.push([]);
    products.push([]);
    for (let v = 0; v < kw; v++) {
      const sx = sourceIndex(origin[1] + v, w, 0, padMode);
      const sample = sy < 0 || sx < 0 ? fillvalue : x.data[sy * w + sx];
      const weight = applied(u, v);
      window[u].push(sample);
      kern[u].push(weight);
      products[u].push(sample * weight);
      sum += sample * weight;
    }
  }
  return { window, kernel: kern, products, sum, origin };
}
