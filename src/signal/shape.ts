// scipy.signal's size rules, the one place they live: which shapes each function accepts, the
// 'valid' swap, and per axis how far the input is padded, which fixes the output shape and where
// 'same' centres even kernels. The functions, trace() and outputShape() all ask here.
import { fail } from '../core/errors';

export type Mode = 'full' | 'same' | 'valid';
export type Op = 'convolve' | 'correlate';
/**
 * Where 'same' anchors an even kernel: correlate2d at floor((M-1)/2) ('low'), scipy's n-D
 * correlate at floor(M/2) ('high'); convolutions put the flipped kernel's anchor at floor(M/2)
 * either way.
 */
export type SameCentre = 'low' | 'high';

export const MODES: readonly Mode[] = ['full', 'same', 'valid'];
const MAX_NDIM = 3;

export interface SignalGeometry {
  /** 'valid' with in2 at least as large as in1 in every axis: the inputs trade places. */
  swapped: boolean;
  /** Padding before and after each axis of the (possibly swapped) first input. */
  before: number[];
  after: number[];
  /** The result's shape. */
  shape: number[];
}

const shapes = (a: readonly number[], b: readonly number[]) => `shapes [${a.join(', ')}] and [${b.join(', ')}]`;

/**
 * The shapes a function accepts: two 2-D arrays for convolve2d/correlate2d (`twoD`), otherwise
 * two arrays of one rank from 1 to 3; neither may be empty.
 */
export function checkSignalShapes(fn: string, twoD: boolean, a: readonly number[], b: readonly number[], names: [string, string] = ['in1', 'in2']): void {
  if (twoD && (a.length !== 2 || b.length !== 2)) fail('SHAPE', `${fn}(${names.join(', ')})`, 'two 2-D arrays', shapes(a, b));
  if (!twoD && a.length !== b.length) fail('SHAPE', `${fn}(${names.join(', ')})`, 'inputs of the same dimensionality', shapes(a, b));
  if (!twoD && (a.length < 1 || a.length > MAX_NDIM)) fail('SHAPE', names[0], 'a 1-D, 2-D or 3-D array', a);
  [a, b].forEach((s, i) => {
    if (s.includes(0)) fail('SHAPE', names[i], 'a non-empty array', `shape [${s.join(', ')}]`);
  });
}

/**
 * scipy's `_inputs_swap_needed`: 'valid' makes in1 the larger input, swapping when in2 is at
 * least as large in every axis (and not equal), and refuses when neither contains the other.
 */
function validSwap(fn: string, a: readonly number[], b: readonly number[]): boolean {
  const ok1 = a.every((n, i) => n >= b[i]);
  const ok2 = b.every((n, i) => n >= a[i]);
  if (!ok1 && !ok2) {
    fail('SHAPE', `${fn}(in1, in2)`, "for 'valid' mode, one input at least as large as the other in every dimension", shapes(a, b));
  }
  return !ok1;
}

/** Padding before/after one axis for a kernel reaching m samples. */
function axisPadding(mode: Mode, op: Op, m: number, centre: SameCentre): [number, number] {
  if (mode === 'valid') return [0, 0];
  if (mode === 'full') return [m - 1, m - 1];
  const before = op === 'correlate' && centre === 'low' ? (m - 1) >> 1 : m >> 1;
  return [before, m - 1 - before];
}

/** Windows of a kernel reaching `reach` samples at `stride` over `n` samples padded by `pads`. */
export const windowCount = (n: number, reach: number, stride: number, pads: readonly [number, number]) => Math.floor((n + pads[0] + pads[1] - reach) / stride) + 1;

/** The geometry of `fn(in1, in2, { mode })` for inputs of shapes `a` and `b` (already checked). */
export function signalGeometry(fn: string, op: Op, a: readonly number[], b: readonly number[], mode: Mode, centre: SameCentre): SignalGeometry {
  const swapped = mode === 'valid' && validSwap(fn, a, b);
  const [image, kernel] = swapped ? [b, a] : [a, b];
  const pads = kernel.map((m) => axisPadding(mode, op, m, centre));
  return { swapped, before: pads.map((p) => p[0]), after: pads.map((p) => p[1]), shape: image.map((n, i) => windowCount(n, kernel[i], 1, pads[i])) };
}

/** The calculator's generalisation of one 2-D axis: stride, dilation and explicit padding. */
export interface WindowOptions {
  stride: number;
  dilation: number;
  /** Samples added on each side; null: the mode's padding for the dilated kernel. */
  padding: number | null;
}

/**
 * Padding and output length along one axis of a 2-D function with stride, dilation and padding:
 * the kernel reaches dilation * (m - 1) + 1 samples, the mode pads for that reach unless
 * `padding` is given, and windows start every `stride` samples. stride 1, dilation 1 and no
 * padding give signalGeometry's axis.
 */
export function windowAxis(op: Op, n: number, m: number, mode: Mode, centre: SameCentre, w: WindowOptions): { before: number; after: number; size: number; reach: number } {
  const reach = w.dilation * (m - 1) + 1;
  const pads: [number, number] = w.padding === null ? axisPadding(mode, op, reach, centre) : [w.padding, w.padding];
  return { before: pads[0], after: pads[1], size: windowCount(n, reach, w.stride, pads), reach };
}

/** Where 'same' centres even kernels in each scipy function. */
export function sameCentreOf(fn: 'convolve2d' | 'correlate2d' | 'convolve' | 'correlate'): SameCentre {
  return fn === 'correlate2d' || fn === 'convolve2d' ? 'low' : 'high';
}
