// filter2d and sepFilter2d as OpenCV's filter2D and sepFilter2D: one kernel over every channel of
// an interleaved image, lowered to passes of the depthwise engine (engines/depthwise.ts), with
// integer results rounded as OpenCV's own arithmetic rounds them (byteRounding.ts, opencvBytes.ts).
import { swapAxes } from '../core/channels';
import { optionsObject } from '../core/options';
import { allocFloat, type DType, type FloatArray, type NumericArray, type Tensor, type TensorLike } from '../core/tensor';
import { chooseEngine } from '../engines/choose';
import { runFftCorrelation, type FftJob } from '../engines/fft';
import { rowBandable, runImagePass, type CorrelationJob } from '../engines/plane';
import { runDepthwise, runSeparablePasses, type DepthwiseJob } from '../engines/depthwise';
import type { PassResult } from '../engines/imageOutput';
import { byteRounding, float32Error, repairNearTies, type Rounding } from './byteRounding';
import { exactModel, filter2dModel, sepFilter2dDelta, sepFilter2dModel, type ByteModel, type Range } from './opencvBytes';
import { byteSource, finish, isBytes, plan, readImage, readKernel, type Filter2dOptions, type FilterPlan, type ImageLike, type Output, type Picture } from './picture';

type Passed = ReturnType<typeof runDepthwise>;
type Pads = { top: number; bottom: number; left: number; right: number };

/** The saturation range of the plan's integer output, or null for floats. */
function rangeOf(p: FilterPlan): Range | null {
  return p.output === 'uint8' ? [0, 255] : p.output === 'int16' ? [-32768, 32767] : null;
}

/**
 * One pass: the same kh x kw kernel (row-major, already flipped if wanted) on every channel,
 * over `data` of `height` rows; `last` passes write the plan's output (with the samples near
 * ties listed for `rounding`), others floats.
 */
function passJob(picture: Picture, data: NumericArray, height: number, kernel: ArrayLike<number>, kh: number, kw: number, pads: Pads, p: FilterPlan, last: boolean, rounding: Rounding | null): DepthwiseJob {
  const C = picture.channels;
  const weight = new Float64Array(C * kh * kw);
  for (let c = 0; c < C; c++) for (let i = 0; i < kh * kw; i++) weight[c * kh * kw + i] = kernel[i];
  const delta = last ? p.delta : 0;
  return {
    dtype: p.dtype,
    input: data,
    batch: 1,
    channels: C,
    height,
    width: picture.width,
    // One channel is the same memory either way; channels-first takes the planar 2-D kernels.
    layout: C === 1 ? 'NCHW' : 'NHWC',
    pad: pads,
    padMode: p.border,
    padValue: p.borderValue,
    inputDilation: [1, 1],
    weight,
    outC: C,
    kh,
    kw,
    groups: C,
    bias: delta === 0 ? null : new Float64Array(C).fill(delta),
    stride: [1, 1],
    dilation: [1, 1],
    // Image passes keep the image's size: the padding is exactly the kernel's reach.
    outH: height + pads.top + pads.bottom - kh + 1,
    outW: picture.width + pads.left + pads.right - kw + 1,
    // Only a first pass reads the caller's samples; a second reads the first one's floats.
    bytesIn: data === picture.data && isBytes(picture),
    output: last && p.output !== 'float' ? p.output : 'float',
    tieBound: last ? rounding?.bound : undefined,
    nonzeroTaps: p.nonzeroTaps,
  };
}

/**
 * [u, v] with kernel[i][j] = u[i] * v[j], or null. The factors are read off the row and the
 * column through the largest element; the product must reproduce every element to within a few
 * float64 ulps of the largest, so a Gaussian (an outer product rounded element by element)
 * separates while anything of rank 2 does not.
 */
function separate(k: ArrayLike<number>, kh: number, kw: number): [Float64Array, Float64Array] | null {
  if (kh === 1 || kw === 1) return null;
  let at = 0;
  for (let i = 1; i < kh * kw; i++) if (Math.abs(k[i]) > Math.abs(k[at])) at = i;
  const peak = Math.abs(k[at]);
  if (!(peak > 0) || !Number.isFinite(peak)) return null;
  const r0 = Math.floor(at / kw);
  const j0 = at % kw;
  const v = Float64Array.from(Array.prototype.slice.call(k, r0 * kw, (r0 + 1) * kw) as number[]);
  const u = Float64Array.from({ length: kh }, (_, i) => k[i * kw + j0] / v[j0]);
  const tolerance = 8 * Number.EPSILON * peak;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const kij = k[i * kw + j];
      // The passes skip zero factors: a product is zero exactly where the kernel is.
      if (!(Math.abs(u[i] * v[j] - kij) <= tolerance) || (kij === 0) !== (u[i] === 0 || v[j] === 0)) return null;
    }
  }
  return [u, v];
}

function rotate(data: ArrayLike<number>): Float64Array {
  return Float64Array.from(data).reverse();
}

/**
 * Separable filtering, as OpenCV's sepFilter2D: the rows with kx over the border-extended
 * image (its border rows included), then the columns with ky; the intermediate stays float.
 */
function separable(picture: Picture, kx: ArrayLike<number>, ky: ArrayLike<number>, p: FilterPlan, rounding: Rounding | null): Passed {
  const onPlanes = picture.channels === 2 || picture.channels === 3 ? separableOnPlanes(picture, kx, ky, p, rounding) : null;
  if (onPlanes) return onPlanes;
  const kw = kx.length;
  const kh = ky.length;
  const [ax, ay] = p.anchor;
  const rows = passJob(picture, picture.data, picture.height, kx, 1, kw, { top: ay, bottom: kh - 1 - ay, left: ax, right: kw - 1 - ax }, p, false, null);
  // The column pass reads the row pass's output inside Wasm memory, so its own input is never read.
  const columns = passJob(picture, new Float32Array(0), picture.height + kh - 1, ky, kh, 1, { top: 0, bottom: 0, left: 0, right: 0 }, p, true, rounding);
  return runSeparablePasses(rows, columns);
}

/**
 * The two passes of a 2- or 3-channel image on the plane engine (each a 1-D kernel over the
 * image as one plane, taps C samples apart along a row): the rows over the border-extended image
 * into a float image kh - 1 rows taller, then its columns with no border. The depthwise engine's
 * channels-last blocks store such pixels lane by lane, so this takes 0.4-0.7x their time
 * (1280x720 and 1920x1080, 5x5 and 15x15 Gaussians, float32 and bytes). RGBA pixels fill its
 * vectors, and at 1920x1080 the float image between the plane passes cost more than their kernels
 * saved (1.07-1.19x the time of the blocks, before those got their adjacent runs), so RGBA stays.
 * Null where the plane engine does not take the row pass (an image narrower than the kernel).
 */
function separableOnPlanes(picture: Picture, kx: ArrayLike<number>, ky: ArrayLike<number>, p: FilterPlan, rounding: Rounding | null): Passed | null {
  const kw = kx.length;
  const kh = ky.length;
  const [ax, ay] = p.anchor;
  const base = imageJob(picture, kx, 1, kw, p);
  const rows: CorrelationJob = { ...base, padding: { ...base.padding, before: [0, ay, ax], after: [0, kh - 1 - ay, kw - 1 - ax] } };
  const floats = { dtype: p.dtype, output: 'float', delta: 0, keepAlpha: false, nonzeroTaps: p.nonzeroTaps } as const;
  const first = runImagePass(rows, floats);
  if (!first) return null;
  const columns: CorrelationJob = {
    ...imageJob(picture, ky, kh, 1, p),
    input: first.values,
    inputShape: [1, picture.height + kh - 1, picture.width],
    padding: { before: [0, 0, 0], after: [0, 0, 0], mode: 'constant', value: 0 },
  };
  // The column pass writes the caller's out itself (the image has been read by then, if it is the out).
  return runImagePass(columns, { ...floats, output: p.output, tieBound: rounding?.bound, delta: p.delta }, p.out?.view);
}

/** A final pass's result, its near-tie samples rounded as OpenCV does. */
function rounded({ values, nearTies }: Passed, picture: Picture, rounding: Rounding | null): PassResult {
  if (rounding && (values instanceof Uint8ClampedArray || values instanceof Int16Array)) repairNearTies(values, nearTies, picture.width, picture.channels, rounding);
  return values;
}

interface Filter2dCall {
  picture: Picture;
  p: FilterPlan;
  /** The kernel as applied: row-major, rotated for convolution. */
  kernel: ArrayLike<number>;
  kh: number;
  kw: number;
}

function filter2dCall(image: ImageLike | TensorLike, kernel: TensorLike, options?: Filter2dOptions): Filter2dCall {
  const opts = optionsObject('options', options, 'image');
  const picture = readImage('image', image);
  const k = readKernel('kernel', kernel, 2);
  const [kh, kw] = k.shape;
  const p = plan('filter2d', opts, kw, kh, picture);
  if (!p.convolve) return { picture, p, kernel: k.data, kh, kw };
  p.anchor = [kw - 1 - p.anchor[0], kh - 1 - p.anchor[1]];
  return { picture, p, kernel: rotate(k.data), kh, kw };
}

/**
 * OpenCV's integer arithmetic for this call where it can round a sample differently from the
 * exact result, else null. Not public: the model tests check every pixel against it.
 */
export function filter2dByteModel(image: ImageLike | TensorLike, kernel: TensorLike, options?: Filter2dOptions): ByteModel | null {
  return filter2dModelOf(filter2dCall(image, kernel, options));
}

function filter2dModelOf({ picture, p, kernel: k, kh, kw }: Filter2dCall): ByteModel | null {
  const range = rangeOf(p);
  // Without any rounding in OpenCV's float32 chain its result is the exact one, ties included.
  if (!range || !isBytes(picture) || float32Error([k], p.delta) === 0) return null;
  return filter2dModel(byteSource(picture, p), k, kh, kw, p.anchor, p.delta, range);
}

/**
 * Filters every channel of an image with one 2-D kernel, as OpenCV's filter2D (correlation,
 * anchor at the kernel centre, BORDER_REFLECT_101 by default). A kernel that factors into a
 * column times a row (box, Sobel, Gaussian) runs as two 1-D passes.
 */
export function filter2d(image: ImageLike | TensorLike, kernel: TensorLike, options?: Filter2dOptions): ImageLike | Tensor {
  const call = filter2dCall(image, kernel, options);
  const { picture, p, kernel: data, kh, kw } = call;
  const { fft, factors } = routeOf(call);
  if (fft) {
    const viaFft = fftFilter(picture, data, kh, kw, p);
    if (viaFft) return finish(picture, viaFft, p);
  }
  const rounding = roundingOf(call, factors);
  if (!factors) {
    const single = singlePass(call, rounding);
    if (single) return finish(picture, rounded(single, picture, rounding), p, true);
  }
  const [ax, ay] = p.anchor;
  const result = factors
    ? separable(picture, factors[1], factors[0], p, rounding)
    : runDepthwise(passJob(picture, picture.data, picture.height, data, kh, kw, { top: ay, bottom: kh - 1 - ay, left: ax, right: kw - 1 - ax }, p, true, rounding));
  return finish(picture, rounded(result, picture, rounding), p);
}

/**
 * How filter2d computes a call: as two 1-D passes where the kernel factors and that saves half
 * the taps (5x5 and up: the intermediate image costs), and first by FFT where the result is
 * float and the cost model prices it below the direct passes (integer results keep OpenCV's rounding).
 */
function routeOf({ picture, p, kernel, kh, kw }: Filter2dCall): { fft: boolean; factors: [Float64Array, Float64Array] | null } {
  const factors = kh * kw > 2 * (kh + kw) ? separate(kernel, kh, kw) : null;
  const filtered = p.keepAlpha ? 3 : picture.channels;
  const fft = p.output === 'float' && chooseEngine(planeJob(picture, kernel, kh, kw, p), filtered, factors ? kh + kw : kh * kw) === 'fft';
  return { fft, factors };
}

function roundingOf(call: Filter2dCall, factors: [Float64Array, Float64Array] | null): Rounding | null {
  const { picture, p, kernel: data, kh, kw } = call;
  const range = rangeOf(p);
  if (!range) return null;
  const exact = () => exactModel(byteSource(picture, p), data, kh, kw, p.anchor, p.delta, range);
  return byteRounding(factors ? [factors[1], factors[0]] : [data], p.delta, filter2dModelOf(call), exact);
}

/** The single 2-D pass on the plane engine (only output rows `rows` when given), or null where the plane engine does not take the image. */
function singlePass({ picture, p, kernel, kh, kw }: Filter2dCall, rounding: Rounding | null, rows?: readonly [number, number]): Passed | null {
  const job = { ...imageJob(picture, kernel, kh, kw, p), rows };
  return runImagePass(job, { dtype: p.dtype, output: p.output, tieBound: rounding?.bound, delta: p.delta, keepAlpha: p.keepAlpha, nonzeroTaps: p.nonzeroTaps }, p.out?.view);
}

/** How a filter2d or sepFilter2d call splits into bands of rows (see filter2dBands). */
export interface Filter2dBands {
  /**
   * The plane engine's job for a single pass (bands computed by filter2dRows), or null for the
   * two-pass route, whose bands are the same call on the band's rows and `reach` rows around them.
   */
  job: CorrelationJob | null;
  reach: number;
  height: number;
  /** Samples per image row. */
  rowSamples: number;
  /** The result's samples: floats of `dtype`, or integers. */
  output: Output;
  dtype: DType;
  /** The result in the caller's kind (and in options.out if given), from its samples. */
  finish(values: PassResult): ImageLike | Tensor;
}

function bandsOf(picture: Picture, p: FilterPlan, job: CorrelationJob | null, reach: number): Filter2dBands | null {
  // Borders that wrap read the far edge; float images' integer results are rounded against a
  // bound taken over the whole image.
  if (!job && (p.border === 'wrap' || (!isBytes(picture) && p.output !== 'float'))) return null;
  const { height, width, channels } = picture;
  return { job, reach, height, rowSamples: width * channels, output: p.output, dtype: p.dtype, finish: (values) => finish(picture, values, p, true) };
}

/**
 * How a filter2d call splits into bands of rows computed apart, or null where it runs whole (an
 * FFT route, a wrapping border on the two-pass route). Not public: the pool splits calls by it.
 */
export function filter2dBands(image: ImageLike | TensorLike, kernel: TensorLike, options?: Filter2dOptions): Filter2dBands | null {
  const call = filter2dCall(image, kernel, options);
  const { fft, factors } = routeOf(call);
  const { picture, p, kernel: data, kh, kw } = call;
  if (fft) return null;
  const job = imageJob(picture, data, kh, kw, p);
  return bandsOf(picture, p, factors || !rowBandable(job) ? null : job, kh);
}

/** filter2dBands for sepFilter2d (always two passes). */
export function sepFilter2dBands(image: ImageLike | TensorLike, kernelX: TensorLike, kernelY: TensorLike, options?: Filter2dOptions): Filter2dBands | null {
  const { picture, p, ky } = sepFilter2dCall(image, kernelX, kernelY, options);
  return bandsOf(picture, p, null, ky.length);
}

/**
 * Rows [from, to) of filter2d's result, written into options.out (required, the whole result's
 * size) and nothing else: each sample as filter2d computes it. Not public: a pool worker's share.
 */
export function filter2dRows(image: ImageLike | TensorLike, kernel: TensorLike, options: Filter2dOptions, rows: readonly [number, number]): void {
  const call = filter2dCall(image, kernel, options);
  const rounding = roundingOf(call, null);
  const single = singlePass(call, rounding, rows);
  // filter2dBands said the call takes the banded pass.
  rounded(single as Passed, call.picture, rounding);
}

/** One kh x kw kernel over every channel of the image: a plane of interleaved pixels, padded by the kernel's reach around the anchor. */
function imageJob(picture: Picture, kernel: ArrayLike<number>, kh: number, kw: number, p: FilterPlan): CorrelationJob {
  return { ...planeJob(picture, kernel, kh, kw, p), channels: picture.channels };
}

/** The image's pixels as one plane (its channels apart), padded by the kernel's reach around the anchor. */
function planeJob(picture: Picture, kernel: ArrayLike<number>, kh: number, kw: number, p: FilterPlan): FftJob {
  const [ax, ay] = p.anchor;
  return {
    dtype: p.dtype,
    input: picture.data,
    inputShape: [1, picture.height, picture.width],
    // A uint8 image's border value is a byte, as OpenCV's.
    padding: { before: [0, ay, ax], after: [0, kh - 1 - ay, kw - 1 - ax], mode: p.border, value: isBytes(picture) ? Uint8ClampedArray.of(p.borderValue)[0] : p.borderValue },
    kernel: kernel instanceof Float64Array || kernel instanceof Float32Array ? kernel : Float64Array.from(kernel),
    kernelShape: [1, kh, kw],
    flipKernel: false,
  };
}

/**
 * filter2d of a float image by the FFT engine (where routeOf says so): the channels to filter
 * (alpha 'keep' skips the fourth) as a batch of planes sharing one kernel spectrum. Null when the
 * transform's result holds NaN or an infinity (which the direct path confines to their windows).
 */
function fftFilter(picture: Picture, kernel: ArrayLike<number>, kh: number, kw: number, p: FilterPlan): FloatArray | null {
  const { width: W, height: H, channels: C } = picture;
  const filtered = p.keepAlpha ? 3 : C;
  const job = planeJob(picture, kernel, kh, kw, p);
  const planes = C === 1 ? picture.data : swapAxes(picture.data, 1, H * W, C);
  const out = runFftCorrelation({ ...job, input: planes, batch: { count: filtered, inputStride: H * W, kernelStride: 0 }, finiteOnly: true });
  if (!out) return null;
  if (p.delta !== 0) for (let i = 0; i < out.length; i++) out[i] += p.delta;
  if (C === 1) return out;
  // Back to interleaved pixels; a kept alpha channel is filled in by finish.
  const result = allocFloat(p.dtype, H * W * C);
  for (let c = 0; c < filtered; c++) for (let i = 0; i < H * W; i++) result[i * C + c] = out[c * H * W + i];
  return result;
}

interface SepFilter2dCall {
  picture: Picture;
  p: FilterPlan;
  /** The kernels as applied: reversed for convolution. */
  kx: ArrayLike<number>;
  ky: ArrayLike<number>;
}

function sepFilter2dCall(image: ImageLike | TensorLike, kernelX: TensorLike, kernelY: TensorLike, options?: Filter2dOptions): SepFilter2dCall {
  const opts = optionsObject('options', options, 'image');
  const picture = readImage('image', image);
  const kx = readKernel('kernelX', kernelX, 1);
  const ky = readKernel('kernelY', kernelY, 1);
  const p = plan('sepFilter2d', opts, kx.size, ky.size, picture);
  const call = p.convolve ? { picture, p, kx: rotate(kx.data), ky: rotate(ky.data) } : { picture, p, kx: kx.data, ky: ky.data };
  if (p.convolve) p.anchor = [kx.size - 1 - p.anchor[0], ky.size - 1 - p.anchor[1]];
  p.delta = sepFilter2dDelta(call.kx, call.ky, p.anchor, p.delta, isBytes(picture) && p.output === 'int16');
  return call;
}

/** filter2dByteModel for sepFilter2d (for the model tests). */
export function sepFilter2dByteModel(image: ImageLike | TensorLike, kernelX: TensorLike, kernelY: TensorLike, options?: Filter2dOptions): ByteModel | null {
  return sepFilter2dModelOf(sepFilter2dCall(image, kernelX, kernelY, options));
}

function sepFilter2dModelOf({ picture, p, kx, ky }: SepFilter2dCall): ByteModel | null {
  const range = rangeOf(p);
  if (!range) return null;
  const src = byteSource(picture, p);
  return sepFilter2dModel(src, kx, ky, p.anchor, p.delta, float32Error([kx, ky], p.delta, src.largest) === 0, range);
}

/** Filters the rows with kernelX, then the columns with kernelY, as OpenCV's sepFilter2D. */
export function sepFilter2d(image: ImageLike | TensorLike, kernelX: TensorLike, kernelY: TensorLike, options?: Filter2dOptions): ImageLike | Tensor {
  const call = sepFilter2dCall(image, kernelX, kernelY, options);
  const { picture, p, kx, ky } = call;
  const range = rangeOf(p);
  let rounding: Rounding | null = null;
  if (range) {
    const src = byteSource(picture, p);
    // (OpenCV's float path always has a model where float32 is not exact; the exact model is the formality.)
    const exact = () => {
      const outer = new Float64Array(ky.length * kx.length);
      for (let i = 0; i < outer.length; i++) outer[i] = ky[Math.floor(i / kx.length)] * kx[i % kx.length];
      return exactModel(src, outer, ky.length, kx.length, p.anchor, p.delta, range);
    };
    rounding = byteRounding([kx, ky], p.delta, sepFilter2dModelOf(call), exact, src.largest);
  }
  return finish(picture, rounded(separable(picture, kx, ky, p, rounding), picture, rounding), p);
}
