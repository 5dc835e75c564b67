// fftconvolve and oaconvolve as scipy.signal's: true convolution over `axes` (default all),
// broadcasting the other axes, with scipy's modes, its 'valid' swap and its _centered slicing.
// Both run on the FFT engine (engines/fft.ts): its planner picks the overlap-save block size by
// cost for each call, which is what scipy's oaconvolve does and its fftconvolve does not (one
// transform of the whole size); the results agree to rounding either way.
import { permute } from '../core/channels';
import { fail } from '../core/errors';
import { dtypeOption, oneOf, optionsObject } from '../core/options';
import { allocFloat, resolveDType, toOperand, type DType, type FloatArray, type Operand, type Tensor, type TensorLike } from '../core/tensor';
import { runFftCorrelation } from '../engines/fft';
import { MODES, checkSignalShapes, sameCentreOf, signalGeometry, type Mode } from './shape';

export interface FftConvolveOptions {
  /** 'full' (default), 'same' (in1's shape, centred as scipy's _centered) or 'valid'. */
  mode?: Mode;
  /** Axes to convolve over (negative count from the end); the others broadcast. Default: all. */
  axes?: number | number[];
  dtype?: DType;
}

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

/** scipy's axes argument: all axes by default, negative from the end, no repeats, not empty when given. */
function convAxes(axes: unknown, ndim: number): number[] {
  if (axes === undefined) return [...Array(ndim).keys()];
  const list = Array.isArray(axes) ? axes : [axes];
  if (list.length === 0) fail('OPTION', 'options.axes', 'at least one axis when given', axes);
  const seen = new Set<number>();
  for (const a of list) {
    if (!Number.isInteger(a) || a < -ndim || a >= ndim) fail('OPTION', 'options.axes', `integers in [${-ndim}, ${ndim - 1}] for ${ndim}-D inputs`, a);
    const n = a < 0 ? a + ndim : a;
    if (seen.has(n)) fail('OPTION', 'options.axes', 'no repeated axis', axes);
    seen.add(n);
  }
  return [...seen].sort((x, y) => x - y);
}

/** The centre `size` of `n` samples: scipy's _centered start. */
const centred = (n: number, size: number) => (n - size) >> 1;

function convolveFft(fn: string, in1: TensorLike, in2: TensorLike, options: FftConvolveOptions | undefined): Tensor<FloatArray> {
  const opts = optionsObject('options', options, 'fft');
  let a = toOperand('in1', in1);
  let b = toOperand('in2', in2);
  checkSignalShapes(fn, false, a.shape, b.shape);
  const mode = oneOf('options.mode', opts.mode, MODES, 'full');
  const dtype = resolveDType(dtypeOption('options.dtype', opts.dtype), { name: 'in1', op: a }, { name: 'in2', op: b });
  const ndim = a.shape.length;
  // Axes of length 1 in either input need no transform: they broadcast like the others.
  const axes = convAxes(opts.axes, ndim).filter((x) => a.shape[x] !== 1 && b.shape[x] !== 1);
  const others = [...Array(ndim).keys()].filter((x) => !axes.includes(x));
  for (const x of others) {
    if (a.shape[x] !== b.shape[x] && a.shape[x] !== 1 && b.shape[x] !== 1) {
      fail('SHAPE', `${fn}(in1, in2)`, `shapes that agree (or are 1) off the convolved axes [${axes.join(', ')}]`, `${shapeText(a.shape)} and ${shapeText(b.shape)}`);
    }
  }
  // 'valid' makes in1 the larger over the convolved axes (and refuses when neither contains the other).
  const pick = (s: readonly number[]) => axes.map((x) => s[x]);
  if (signalGeometry(fn, 'convolve', pick(a.shape), pick(b.shape), mode, sameCentreOf('convolve')).swapped) [a, b] = [b, a];
  const g = signalGeometry(fn, 'convolve', pick(a.shape), pick(b.shape), mode, sameCentreOf('convolve'));
  // The other axes: broadcast to the larger size; 'same' keeps in1's, centred (scipy's _centered).
  const full = others.map((x) => Math.max(a.shape[x], b.shape[x]));
  const kept = others.map((x, i) => (mode === 'same' ? a.shape[x] : full[i]));
  const shape = new Array<number>(ndim);
  axes.forEach((x, i) => (shape[x] = g.shape[i]));
  others.forEach((x, i) => (shape[x] = kept[i]));
  const data = axes.length === 0 ? product(a, b, others, full, kept, dtype) : batched(a, b, axes, others, full, kept, g.before, g.after, g.shape, dtype);
  return { data, shape };
}

/**
 * The item of `a` and of `b` (row-major over the broadcast axes `others`) that kept position
 * `idx` reads: a size-1 axis broadcasts, a longer one is indexed from where 'same'/'valid' keeps.
 */
function broadcastItems(a: Operand, b: Operand, others: number[], idx: number[], full: number[], kept: number[]): [number, number] {
  let ia = 0;
  let ib = 0;
  others.forEach((x, i) => {
    const at = idx[i] + centred(full[i], kept[i]);
    ia = ia * a.shape[x] + (a.shape[x] === 1 ? 0 : at);
    ib = ib * b.shape[x] + (b.shape[x] === 1 ? 0 : at);
  });
  return [ia, ib];
}

/** No axis to convolve: the broadcast product, as scipy returns it. */
function product(a: Operand, b: Operand, others: number[], full: number[], kept: number[], dtype: DType): FloatArray {
  const n = kept.reduce((p, d) => p * d, 1);
  const out = allocFloat(dtype, n);
  const idx = new Array<number>(others.length).fill(0);
  for (let k = 0; k < n; k++) {
    const [ia, ib] = broadcastItems(a, b, others, idx, full, kept);
    out[k] = a.data[ia] * b.data[ib];
    for (let i = others.length - 1; i >= 0 && ++idx[i] === kept[i]; i--) idx[i] = 0;
  }
  return out;
}

/**
 * Convolution over `axes` of every kept combination of the other axes: the inputs with their axes
 * reordered [others..., axes...], one engine call per batch item (a kernel shared by several
 * items keeps its cached spectrum), the result reordered back.
 */
function batched(a: Operand, b: Operand, axes: number[], others: number[], full: number[], kept: number[], before: number[], after: number[], convShape: number[], dtype: DType): FloatArray {
  const order = [...others, ...axes];
  const pa = permute(a.data, a.shape, order);
  const pb = permute(b.data, b.shape, order);
  const itemA = axes.reduce((p, x) => p * a.shape[x], 1);
  const itemB = axes.reduce((p, x) => p * b.shape[x], 1);
  const to3 = (s: readonly number[], fill: number) => [fill, fill, fill, ...s].slice(-3) as [number, number, number];
  const inputShape = to3(axes.map((x) => a.shape[x]), 1);
  const kernelShape = to3(axes.map((x) => b.shape[x]), 1);
  const items = kept.reduce((p, d) => p * d, 1);
  const outItem = convShape.reduce((p, n) => p * n, 1);
  const out = allocFloat(dtype, items * outItem);
  const idx = new Array<number>(others.length).fill(0);
  for (let k = 0; k < items; k++) {
    const [ia, ib] = broadcastItems(a, b, others, idx, full, kept);
    runFftCorrelation(
      {
        dtype,
        input: pa.subarray(ia * itemA, (ia + 1) * itemA),
        inputShape,
        padding: { before: to3(before, 0), after: to3(after, 0), mode: 'constant', value: 0 },
        kernel: pb.subarray(ib * itemB, (ib + 1) * itemB),
        kernelShape,
        flipKernel: true,
      },
      out.subarray(k * outItem, (k + 1) * outItem),
    );
    for (let i = others.length - 1; i >= 0 && ++idx[i] === kept[i]; i--) idx[i] = 0;
  }
  // Back from [others..., axes...] to the caller's axis order.
  const outShape = [...kept, ...convShape];
  const inverse = order.map((_, i) => order.indexOf(i));
  return permute(out, outShape, inverse);
}

/**
 * True convolution by FFT, as scipy.signal.fftconvolve: over `axes` (default all), the other
 * axes broadcast; 'same' is in1's shape centred as scipy's, 'valid' swaps the inputs when in2 is
 * the larger. float32 inputs compute in float32.
 */
export function fftconvolve(in1: TensorLike, in2: TensorLike, options?: FftConvolveOptions): Tensor<FloatArray> {
  return convolveFft('fftconvolve', in1, in2, options);
}

/**
 * Overlap-add convolution, as scipy.signal.oaconvolve (a small kernel over a long signal): the
 * same result as fftconvolve, on the same engine, whose block size is chosen by cost.
 */
export function oaconvolve(in1: TensorLike, in2: TensorLike, options?: FftConvolveOptions): Tensor<FloatArray> {
  return convolveFft('oaconvolve', in1, in2, options);
}
