import { fail } from './errors';
import { intOption, requiredInt, tupleOption } from './nnOptions';
import { boolOption, numberOption, oneOf, optionsObject } from './options';
import { sourceIndex, type PadMode } from './padding';
import { layerOutputShape, lowerConv, loweredOutputSize } from './nn';
import { poolShape } from './pool';
import { transposedShape } from './transpose';
import { toOperand, type Operand, type TensorLike } from './tensor';

export interface TraceOptions {
  /** 'correlate' (default) slides the kernel as given; 'convolve' rotates it 180° first. */
  op?: 'correlate' | 'convolve';
  /** Which output cell [row, col] indexes, as in convolve2d/correlate2d. Default 'valid'. */
  mode?: 'full' | 'same' | 'valid';
  /** Samples outside the input, as convolve2d's boundary. Default 'fill'. */
  boundary?: 'fill' | 'wrap' | 'symm';
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

const BOUNDARY_MODES: Record<string, PadMode> = { fill: 'constant', wrap: 'wrap', symm: 'symmetric' };

/**
 * One output cell of convolve2d / correlate2d, step by step: the window the kernel covers, the
 * kernel as applied, the products and their sum, with scipy's modes and boundaries.
 */
export function trace(input: TensorLike, kernel: TensorLike, cell: [number, number], options?: TraceOptions): Trace {
  const opts = optionsObject('options', options);
  const x = toOperand('input', input);
  const k = toOperand('kernel', kernel);
  if (x.shape.length !== 2 || k.shape.length !== 2 || x.size === 0 || k.size === 0) {
    fail('SHAPE', 'trace(input, kernel)', 'two non-empty 2-D arrays', `shapes [${x.shape.join(', ')}] and [${k.shape.join(', ')}]`);
  }
  const op = oneOf('options.op', opts.op, ['correlate', 'convolve'] as const, 'correlate');
  const mode = oneOf('options.mode', opts.mode, ['full', 'same', 'valid'] as const, 'valid');
  const padMode = BOUNDARY_MODES[oneOf('options.boundary', opts.boundary, ['fill', 'wrap', 'symm'] as const, 'fill')];
  const fillvalue = numberOption('options.fillvalue', opts.fillvalue, 0);
  const [h, w] = x.shape;
  const [kh, kw] = k.shape;
  if (mode === 'valid' && (kh > h || kw > w)) {
    fail('SHAPE', 'kernel', `at most the input's size [${h}, ${w}] in 'valid' mode`, `shape [${kh}, ${kw}]`);
  }
  // Output size and where output cell 0 puts the window's top-left corner, per axis (scipy's anchors).
  const axis = (n: number, m: number): [number, number] => {
    if (mode === 'valid') return [n - m + 1, 0];
    if (mode === 'full') return [n + m - 1, -(m - 1)];
    return [n, op === 'correlate' ? -((m - 1) >> 1) : -(m >> 1)];
  };
  const [oh, top] = axis(h, kh);
  const [ow, left] = axis(w, kw);
  if (!Array.isArray(cell) || cell.length !== 2 || !Number.isInteger(cell[0]) || !Number.isInteger(cell[1]) || cell[0] < 0 || cell[1] < 0 || cell[0] >= oh || cell[1] >= ow) {
    fail('OPTION', 'cell', `[row, col] inside the ${oh}x${ow} '${mode}' output`, cell);
  }
  const origin: [number, number] = [cell[0] + top, cell[1] + left];
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

export interface ParamCountOptions {
  inChannels: number;
  outChannels: number;
  /** One integer or [kH, kW]. */
  kernelSize: number | number[];
  groups?: number;
  bias?: boolean;
}

/** Learnable parameters of a conv layer: outC * (inC / groups) * kH * kW weights, plus outC biases. */
export function paramCount(layer: ParamCountOptions): number {
  const o = optionsObject('layer', layer);
  const inC = requiredInt('layer.inChannels', o.inChannels, 1);
  const outC = requiredInt('layer.outChannels', o.outChannels, 1);
  const groups = intOption('layer.groups', o.groups, 1, 1);
  if (o.kernelSize === undefined) fail('OPTION', 'layer.kernelSize', 'an integer >= 1 or [kH, kW]', undefined);
  const k = Array.isArray(o.kernelSize) ? tupleOption('layer.kernelSize', o.kernelSize, 1, o.kernelSize.length, 1) : [intOption('layer.kernelSize', o.kernelSize, 1, 1)];
  if (inC % groups !== 0 || outC % groups !== 0) {
    fail('OPTION', 'layer.groups', `a divisor of inChannels (${inC}) and outChannels (${outC})`, groups);
  }
  const bias = boolOption('layer.bias', o.bias, true);
  const taps = Array.isArray(o.kernelSize) ? k.reduce((a, b) => a * b, 1) : k[0] * k[0];
  return outC * (inC / groups) * taps + (bias ? outC : 0);
}

export interface ReceptiveFieldLayer {
  kernelSize: number;
  stride?: number;
  padding?: number;
  dilation?: number;
}

export interface ReceptiveFieldStep {
  /** Input samples one output sample of this layer sees (along one axis). */
  receptiveField: number;
  /** Input samples between neighbouring outputs of this layer. */
  jump: number;
  /** Input coordinate of the centre of the first output's receptive field (0 = first input sample; negative reaches into padding). */
  start: number;
}

/**
 * Receptive field, jump and start after each layer of a stack of conv/pool layers along one axis:
 * jump *= stride; receptiveField += (dilation * (k - 1)) * previous jump;
 * start += (dilation * (k - 1) / 2 - padding) * previous jump.
 */
export function receptiveField(layers: ReceptiveFieldLayer[]): ReceptiveFieldStep[] {
  if (!Array.isArray(layers)) fail('OPTION', 'layers', 'an array of { kernelSize, stride, padding, dilation }', layers);
  let jump = 1;
  let rf = 1;
  let start = 0;
  return layers.map((layer, i) => {
    const o = optionsObject(`layers[${i}]`, layer);
    const k = requiredInt(`layers[${i}].kernelSize`, o.kernelSize, 1);
    const s = intOption(`layers[${i}].stride`, o.stride, 1, 1);
    const p = intOption(`layers[${i}].padding`, o.padding, 0, 0);
    const d = intOption(`layers[${i}].dilation`, o.dilation, 1, 1);
    const reach = d * (k - 1);
    rf += reach * jump;
    start += (reach / 2 - p) * jump;
    jump *= s;
    return { receptiveField: rf, jump, start };
  });
}

export type ShapeOp =
  | 'convolve2d'
  | 'correlate2d'
  | 'convolve'
  | 'correlate'
  | 'conv2d'
  | 'conv1d'
  | 'convTranspose2d'
  | 'maxPool2d'
  | 'avgPool2d';

const SHAPE_OPS: readonly ShapeOp[] = ['convolve2d', 'correlate2d', 'convolve', 'correlate', 'conv2d', 'conv1d', 'convTranspose2d', 'maxPool2d', 'avgPool2d'];

/** An operand with a shape and no data: the validation of every op reads shapes only. */
function shapeOnly(arg: string, shape: unknown): Operand {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) fail('SHAPE', arg, 'an array of non-negative integers', shape);
  const dims = shape as number[];
  return { data: new Float32Array(0), shape: dims.slice(), size: dims.reduce((a, b) => a * b, 1), dtype: 'float32', nested: false };
}

/**
 * The shape `op(input, kernel, opts)` would return, with the same validation and errors, without
 * any data: for planning layer stacks and for the step-by-step view. For the pools the kernel
 * shape is [kH, kW] (or one integer) unless opts.kernelSize is given.
 */
export function outputShape(op: ShapeOp, inputShape: readonly number[], kernelShape: readonly number[] | number, options?: object): number[] {
  if (op === undefined) fail('OPTION', 'op', SHAPE_OPS.map((o) => `'${o}'`).join(' | '), op);
  oneOf('op', op, SHAPE_OPS, op);
  const opts = optionsObject('options', options as Record<string, unknown> | undefined) as Record<string, unknown>;
  const x = shapeOnly('inputShape', inputShape);
  if (op === 'maxPool2d' || op === 'avgPool2d') {
    const kernelSize = (opts.kernelSize ?? (Array.isArray(kernelShape) ? kernelShape.slice() : kernelShape)) as number | number[];
    return poolShape(op, x, { ...opts, kernelSize });
  }
  const k = shapeOnly('kernelShape', kernelShape);
  if (op === 'conv2d' || op === 'conv1d') {
    const dims = op === 'conv1d' ? 1 : 2;
    const lowered = lowerConv(op, dims, x, k, null, opts);
    return layerOutputShape(lowered.call, lowered.job.outC, loweredOutputSize(lowered));
  }
  if (op === 'convTranspose2d') return transposedShape(x, k, opts);
  return signalShape(op, x.shape, k.shape, opts);
}

function signalShape(op: ShapeOp, a: number[], b: number[], opts: Record<string, unknown>): number[] {
  const twoD = op === 'convolve2d' || op === 'correlate2d';
  if (twoD ? a.length !== 2 || b.length !== 2 : a.length !== b.length || a.length < 1 || a.length > 3) {
    fail('SHAPE', 'inputShape and kernelShape', twoD ? 'two 2-D shapes' : 'shapes of the same dimensionality, 1-D to 3-D', `[${a.join(', ')}] and [${b.join(', ')}]`);
  }
  if (a.includes(0) || b.includes(0)) fail('SHAPE', 'inputShape and kernelShape', 'non-empty shapes', `[${a.join(', ')}] and [${b.join(', ')}]`);
  const mode = oneOf('options.mode', opts.mode, ['full', 'same', 'valid'] as const, 'full');
  if (mode === 'full') return a.map((n, i) => n + b[i] - 1);
  if (mode === 'same') return a.slice();
  if (!a.every((n, i) => n >= b[i]) && !b.every((n, i) => n >= a[i])) {
    fail('SHAPE', 'inputShape and kernelShape', "for 'valid' mode, one at least as large as the other in every dimension", `[${a.join(', ')}] and [${b.join(', ')}]`);
  }
  return a.map((n, i) => Math.abs(n - b[i]) + 1);
}
