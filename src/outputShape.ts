// outputShape(): the shape any compute function returns, by asking the family's own shape rules
// (signal/shape.ts, nn/shape.ts) through the same validation the function runs, without data.
import { fail } from './core/errors';
import { oneOf, optionsObject, type OptionSet } from './core/options';
import type { Operand } from './core/tensor';
import { lowerConv } from './nn/conv';
import { transposedShape } from './nn/convTranspose2d';
import { poolShape } from './nn/pool';
import { MODES, checkSignalShapes, sameCentreOf, signalGeometry } from './signal/shape';

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

/** The options each op takes. */
const OPTION_SETS: Record<ShapeOp, OptionSet> = {
  convolve2d: 'signal2d',
  correlate2d: 'signal2d',
  convolve: 'signal',
  correlate: 'signal',
  conv2d: 'conv',
  conv1d: 'conv',
  convTranspose2d: 'transposed',
  maxPool2d: 'maxPool',
  avgPool2d: 'avgPool',
};

/**
 * The shape `op(input, kernel, opts)` would return, with the same validation and errors, without
 * any data: for planning layer stacks and for the step-by-step view. For the pools the kernel
 * shape is [kH, kW] (or one integer) unless opts.kernelSize is given.
 */
export function outputShape(op: ShapeOp, inputShape: readonly number[], kernelShape: readonly number[] | number, options?: object): number[] {
  if (op === undefined) fail('OPTION', 'op', SHAPE_OPS.map((o) => `'${o}'`).join(' | '), op);
  oneOf('op', op, SHAPE_OPS, op);
  const opts = optionsObject('options', options as Record<string, unknown> | undefined, OPTION_SETS[op]) as Record<string, unknown>;
  const x = shapeOnly('inputShape', inputShape);
  if (op === 'maxPool2d' || op === 'avgPool2d') {
    const kernelSize = (opts.kernelSize ?? (Array.isArray(kernelShape) ? kernelShape.slice() : kernelShape)) as number | number[];
    return poolShape(op, x, { ...opts, kernelSize });
  }
  const k = shapeOnly('kernelShape', kernelShape);
  if (op === 'conv2d' || op === 'conv1d') {
    const dims = op === 'conv1d' ? 1 : 2;
    return lowerConv(op, dims, x, k, null, opts).shape;
  }
  if (op === 'convTranspose2d') return transposedShape(x, k, opts);
  return signalShape(op, x.shape, k.shape, opts);
}

function signalShape(op: 'convolve2d' | 'correlate2d' | 'convolve' | 'correlate', a: number[], b: number[], opts: Record<string, unknown>): number[] {
  checkSignalShapes(op, op.endsWith('2d'), a, b, ['inputShape', 'kernelShape']);
  const mode = oneOf('options.mode', opts.mode, MODES, 'full');
  return signalGeometry(op, op.startsWith('convolve') ? 'convolve' : 'correlate', a, b, mode, sameCentreOf(op)).shape;
}
