import { fail } from './errors';
import { runCorrelation, jobOutputShape, to3d, type CorrelationJob } from './engine';
import { numberOption, oneOf, optionsObject } from './options';
import type { PadMode } from './padding';
import { checkDType, resolveDType, sizeOf, toOperand, type DType, type FloatArray, type Operand, type Tensor, type TensorLike } from './tensor';

export type Mode = 'full' | 'same' | 'valid';
export type Boundary = 'fill' | 'wrap' | 'symm';
export type Method = 'auto' | 'direct' | 'fft';

export interface Convolve2dOptions {
  /** Output size: 'full' (default) every overlap, 'same' the size of in1, 'valid' only full overlaps. */
  mode?: Mode;
  /** How in1 is extended past its edges: 'fill' (default, with fillvalue), 'wrap', or 'symm' (edge sample repeated). */
  boundary?: Boundary;
  /** The value past the edges for boundary 'fill' (default 0). */
  fillvalue?: number;
  dtype?: DType;
  /** Write the result here instead of a new array (same dtype, exact output length): saves an allocation per call. */
  out?: FloatArray;
}

export interface ConvolveOptions {
  mode?: Mode;
  /** 'auto' | 'direct' | 'fft' as in scipy; every method currently computes the direct sum. */
  method?: Method;
  dtype?: DType;
  /** As in Convolve2dOptions. */
  out?: FloatArray;
}

const MODES: readonly Mode[] = ['full', 'same', 'valid'];
const BOUNDARIES: readonly Boundary[] = ['fill', 'wrap', 'symm'];
const METHODS: readonly Method[] = ['auto', 'direct', 'fft'];
const PAD_MODE: Record<Boundary, PadMode> = { fill: 'constant', wrap: 'wrap', symm: 'symmetric' };
const MAX_NDIM = 3;

type Op = 'convolve' | 'correlate';
/** scipy centres even kernels in 'same' differently in correlate2d than in correlate (SEMANTICS A.0.1). */
type SameCentre = 'low' | 'high';

interface SignalCall {
  op: Op;
  fn: string;
  in1: Operand;
  in2: Operand;
  mode: Mode;
  padMode: PadMode;
  fillvalue: number;
  dtype: DType;
  sameCentre: SameCentre;
  out: unknown;
}

const shapes = (a: readonly number[], b: readonly number[]) => `shapes [${a.join(', ')}] and [${b.join(', ')}]`;

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

/** Padding before/after one axis for a kernel of length m (the output index m-th sample alignment scipy uses). */
function axisPadding(mode: Mode, op: Op, m: number, centre: SameCentre): [number, number] {
  if (mode === 'valid') return [0, 0];
  if (mode === 'full') return [m - 1, m - 1];
  // 'same': the kernel sample aligned with x[i] sits at floor(m/2) of the flipped kernel for
  // convolution and of the kernel for scipy's correlate; correlate2d uses floor((m-1)/2).
  const before = op === 'correlate' && centre === 'low' ? (m - 1) >> 1 : m >> 1;
  return [before, m - 1 - before];
}

function compute(call: SignalCall): Tensor {
  let { in1: image, in2: kernel } = call;
  const swapped = call.mode === 'valid' && validSwap(call.fn, image.shape, kernel.shape);
  if (swapped) [image, kernel] = [kernel, image];

  const ndim = image.shape.length;
  const kshape = to3d(kernel.shape);
  const pads = kshape.map((m) => axisPadding(call.mode, call.op, m, call.sameCentre));
  const job: CorrelationJob = {
    dtype: call.dtype,
    input: image.data,
    inputShape: to3d(image.shape),
    padding: {
      before: [pads[0][0], pads[1][0], pads[2][0]],
      after: [pads[0][1], pads[1][1], pads[2][1]],
      mode: call.padMode,
      value: call.fillvalue,
    },
    kernel: kernel.data,
    kernelShape: kshape,
    flipKernel: call.op === 'convolve',
  };
  const shape = jobOutputShape(job).slice(3 - ndim);
  const data = runCorrelation(job, checkOut(call.out, call.dtype, sizeOf(shape)));
  // Swapped correlation keeps scipy's lag convention by reversing the output (convolution commutes).
  if (swapped && call.op === 'correlate') data.reverse();
  return { data, shape };
}

/** Validation both families share; `checkShapes` holds each family's rule on dimensionality. */
function prepare<O extends Convolve2dOptions | ConvolveOptions>(
  fn: string,
  in1: TensorLike,
  in2: TensorLike,
  options: O | undefined,
  checkShapes: (a: number[], b: number[]) => void,
) {
  const opts = optionsObject('options', options);
  const a = toOperand('in1', in1);
  const b = toOperand('in2', in2);
  checkShapes(a.shape, b.shape);
  nonEmpty(a, 'in1');
  nonEmpty(b, 'in2');
  return {
    opts,
    common: {
      fn,
      in1: a,
      in2: b,
      mode: oneOf('options.mode', opts.mode, MODES, 'full'),
      dtype: resolveDType(checkDType('options.dtype', opts.dtype), { name: 'in1', op: a }, { name: 'in2', op: b }),
      out: opts.out,
    },
  };
}

function twoD(op: Op, fn: string, in1: TensorLike, in2: TensorLike, options: Convolve2dOptions | undefined): Tensor {
  const { opts, common } = prepare(fn, in1, in2, options, (a, b) => {
    if (a.length !== 2 || b.length !== 2) fail('SHAPE', `${fn}(in1, in2)`, 'two 2-D arrays', shapes(a, b));
  });
  return compute({
    ...common,
    op,
    padMode: PAD_MODE[oneOf('options.boundary', opts.boundary, BOUNDARIES, 'fill')],
    fillvalue: numberOption('options.fillvalue', opts.fillvalue, 0),
    sameCentre: 'low',
  });
}

function nD(op: Op, fn: string, in1: TensorLike, in2: TensorLike, options: ConvolveOptions | undefined): Tensor {
  const { opts, common } = prepare(fn, in1, in2, options, (a, b) => {
    if (a.length !== b.length) fail('SHAPE', `${fn}(in1, in2)`, 'inputs of the same dimensionality', shapes(a, b));
    if (a.length < 1 || a.length > MAX_NDIM) fail('SHAPE', 'in1', `a 1-D, 2-D or 3-D array`, `${a.length} dimensions`);
  });
  oneOf('options.method', opts.method, METHODS, 'auto');
  return compute({ ...common, op, padMode: 'constant', fillvalue: 0, sameCentre: 'high' });
}

function checkOut(out: unknown, dtype: DType, size: number): FloatArray | undefined {
  if (out === undefined) return undefined;
  const type = dtype === 'float64' ? Float64Array : Float32Array;
  if (!(out instanceof type) || out.length !== size) {
    fail('OPTION', 'options.out', `a ${type.name} of length ${size}`, out);
  }
  return out;
}

function nonEmpty(op: Operand, arg: string): void {
  if (op.size === 0) fail('SHAPE', arg, 'a non-empty array', `shape [${op.shape.join(', ')}]`);
}

/**
 * True 2-D convolution, as scipy.signal.convolve2d: the kernel in2 is rotated 180° before it
 * slides. 'same' output is centred on in1 with the flipped kernel's anchor at floor(M/2).
 */
export function convolve2d(in1: TensorLike, in2: TensorLike, options?: Convolve2dOptions): Tensor<FloatArray> {
  return twoD('convolve', 'convolve2d', in1, in2, options);
}

/**
 * 2-D cross-correlation, as scipy.signal.correlate2d: in2 slides unflipped. For even kernels
 * 'same' anchors at floor((M-1)/2), one sample off scipy.signal.correlate (scipy's own rule).
 */
export function correlate2d(in1: TensorLike, in2: TensorLike, options?: Convolve2dOptions): Tensor<FloatArray> {
  return twoD('correlate', 'correlate2d', in1, in2, options);
}

/** N-D (1-D to 3-D) true convolution with zero padding, as scipy.signal.convolve. */
export function convolve(in1: TensorLike, in2: TensorLike, options?: ConvolveOptions): Tensor<FloatArray> {
  return nD('convolve', 'convolve', in1, in2, options);
}

/** N-D (1-D to 3-D) cross-correlation with zero padding, as scipy.signal.correlate ('same' anchors even kernels at floor(M/2)). */
export function correlate(in1: TensorLike, in2: TensorLike, options?: ConvolveOptions): Tensor<FloatArray> {
  return nD('correlate', 'correlate', in1, in2, options);
}
