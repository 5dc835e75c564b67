// The scipy.signal family's convolutions: convolve2d, correlate2d, convolve and correlate, each
// element for element as scipy's function of the same name. All four lower to one correlation
// job; convolution hands it the kernel to flip. The plane engine (engines/plane.ts) sums it
// directly, the FFT engine (engines/fft.ts) by overlap-save; method.ts chooses.
import { dtypeOption, numberOption, oneOf, optionsObject, outOption } from '../core/options';
import { borderOption, type BorderName, type PadMode } from '../core/padding';
import { resolveDType, sizeOf, toOperand, type DType, type FloatArray, type Tensor, type TensorLike } from '../core/tensor';
import type { CorrelationJob } from '../engines/plane';
import { METHODS, runJob, type Method } from './method';
import { MODES, checkSignalShapes, sameCentreOf, signalGeometry, type Mode, type Op } from './shape';

export type { Mode } from './shape';
export type Boundary = BorderName<'scipy'>;
export type { Method } from './method';

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
  /** 'auto' (default: the cheaper of the two by this engine's measured costs), 'direct' (every tap summed) or 'fft' (overlap-save transforms), as in scipy. */
  method?: Method;
  dtype?: DType;
  /** As in Convolve2dOptions. */
  out?: FloatArray;
}


/** Why the N-D functions take no boundary: scipy's convolve and correlate zero-pad. */
const zeroPadded = 'convolve and correlate zero-pad, as scipy.signal.convolve; convolve2d and correlate2d take boundary and fillvalue';
const ZERO_PADDED = { boundary: zeroPadded, fillvalue: zeroPadded };

export type SignalFn = 'convolve2d' | 'correlate2d' | 'convolve' | 'correlate';
type Options = Partial<Convolve2dOptions & ConvolveOptions>;

/** Leading axes of length 1 (shapes) or 0 (padding) make every job 3-D. */
const to3 = (s: readonly number[], fill: number) => [fill, fill, fill, ...s].slice(-3) as [number, number, number];

/** A validated call, lowered: its job, how to run it, and what becomes of the job's result. */
export interface SignalCall {
  job: CorrelationJob;
  method: Method;
  shape: number[];
  /** Swapped correlation keeps scipy's lag convention by reversing the output (convolution commutes). */
  reverse: boolean;
  out?: FloatArray;
}

/**
 * Validates a call and lowers it to one correlation job; `border` reads the family's border
 * options and the method ('auto' for the 2-D functions, which have none).
 */
function lower(fn: SignalFn, op: Op, in1: TensorLike, in2: TensorLike, options: Options | undefined, border: (opts: Options) => [PadMode, number, Method]): SignalCall {
  const opts = fn.endsWith('2d') ? optionsObject('options', options, 'signal2d') : optionsObject('options', options, 'signal', ZERO_PADDED);
  let image = toOperand('in1', in1);
  let kernel = toOperand('in2', in2);
  checkSignalShapes(fn, fn.endsWith('2d'), image.shape, kernel.shape);
  const mode = oneOf('options.mode', opts.mode, MODES, 'full');
  const dtype = resolveDType(dtypeOption('options.dtype', opts.dtype), { name: 'in1', op: image }, { name: 'in2', op: kernel });
  const [padMode, fillvalue, method] = border(opts);
  const g = signalGeometry(fn, op, image.shape, kernel.shape, mode, sameCentreOf(fn));
  if (g.swapped) [image, kernel] = [kernel, image];
  const job: CorrelationJob = {
    dtype,
    input: image.data,
    inputShape: to3(image.shape, 1),
    padding: { before: to3(g.before, 0), after: to3(g.after, 0), mode: padMode, value: fillvalue },
    kernel: kernel.data,
    kernelShape: to3(kernel.shape, 1),
    flipKernel: op === 'convolve',
  };
  return { job, method, shape: g.shape, reverse: g.swapped && op === 'correlate', out: checkOut(opts.out, dtype, sizeOf(g.shape)) };
}

function run(call: SignalCall): Tensor {
  const data = runJob(call.job, call.method, call.out);
  if (call.reverse) data.reverse();
  return { data, shape: call.shape };
}

const twoDBorder = (opts: Options): [PadMode, number, Method] => [
  borderOption('options.boundary', opts.boundary, 'scipy', 'fill'),
  numberOption('options.fillvalue', opts.fillvalue, 0),
  'auto',
];
const nDBorder = (opts: Options): [PadMode, number, Method] => ['constant', 0, oneOf('options.method', opts.method, METHODS, 'auto')];

/** A scipy-family call validated and lowered, not run. Not public: the pool splits calls by it. */
export function lowerSignal(fn: SignalFn, in1: TensorLike, in2: TensorLike, options?: Options): SignalCall {
  const op: Op = fn.startsWith('convolve') ? 'convolve' : 'correlate';
  return lower(fn, op, in1, in2, options, fn.endsWith('2d') ? twoDBorder : nDBorder);
}

function twoD(fn: 'convolve2d' | 'correlate2d', op: Op, in1: TensorLike, in2: TensorLike, options: Convolve2dOptions | undefined): Tensor {
  return run(lower(fn, op, in1, in2, options, twoDBorder));
}

function nD(fn: 'convolve' | 'correlate', op: Op, in1: TensorLike, in2: TensorLike, options: ConvolveOptions | undefined): Tensor {
  return run(lower(fn, op, in1, in2, options, nDBorder));
}

function checkOut(out: unknown, dtype: DType, size: number): FloatArray | undefined {
  return outOption<FloatArray>('options.out', out, [dtype === 'float64' ? Float64Array : Float32Array], size);
}

/**
 * True 2-D convolution, as scipy.signal.convolve2d: the kernel in2 is rotated 180° before it
 * slides. 'same' output is centred on in1 with the flipped kernel's anchor at floor(M/2).
 */
export function convolve2d(in1: TensorLike, in2: TensorLike, options?: Convolve2dOptions): Tensor<FloatArray> {
  return twoD('convolve2d', 'convolve', in1, in2, options);
}

/**
 * 2-D cross-correlation, as scipy.signal.correlate2d: in2 slides unflipped. For even kernels
 * 'same' anchors at floor((M-1)/2), one sample off scipy.signal.correlate (scipy's own rule).
 */
export function correlate2d(in1: TensorLike, in2: TensorLike, options?: Convolve2dOptions): Tensor<FloatArray> {
  return twoD('correlate2d', 'correlate', in1, in2, options);
}

/** N-D (1-D to 3-D) true convolution with zero padding, as scipy.signal.convolve. */
export function convolve(in1: TensorLike, in2: TensorLike, options?: ConvolveOptions): Tensor<FloatArray> {
  return nD('convolve', 'convolve', in1, in2, options);
}

/** N-D (1-D to 3-D) cross-correlation with zero padding, as scipy.signal.correlate ('same' anchors even kernels at floor(M/2)). */
export function correlate(in1: TensorLike, in2: TensorLike, options?: ConvolveOptions): Tensor<FloatArray> {
  return nD('correlate', 'correlate', in1, in2, options);
}
