// Reading an image call: the image (ImageData-like or a 2-D tensor), the kernels, OpenCV's
// options, and the result in the caller's kind.
import { fail } from '../core/errors';
import { numberOption, oneOf, outOption } from '../core/options';
import { borderOption, type BorderName, type PadMode } from '../core/padding';
import { resolveDType, toOperand, type DType, type FloatArray, type NumericArray, type Operand, type Tensor, type TensorLike } from '../core/tensor';
import type { PassResult } from '../engines/imageOutput';
import type { ByteSource } from './opencvBytes';

/** Sample arrays an image may hold: bytes (ImageData), float32, and int16 for signed results. */
export type ImageSamples = Uint8ClampedArray | Uint8Array | Float32Array | Int16Array;

/** ImageData-like: interleaved channels, row-major (height x width x channels). */
export interface ImageLike<T extends ImageSamples = ImageSamples> {
  data: T;
  width: number;
  height: number;
  /** Samples per pixel; default data.length / (width * height) (4 for ImageData). */
  channels?: number;
}

export type Border = BorderName<'opencv'>;

export interface Filter2dOptions {
  /** 'correlate' (default, OpenCV's filter2D) or 'convolve' (kernel rotated 180° and anchor mirrored, OpenCV's recipe). */
  op?: 'correlate' | 'convolve';
  /** Pixels past the edge, as OpenCV's BORDER_*: default 'reflect101' (BORDER_DEFAULT). */
  border?: Border;
  /** The value past the edge for border 'constant'. Default 0. */
  borderValue?: number;
  /** Kernel element [x, y] placed over the output pixel; default the centre [kw >> 1, kh >> 1] (OpenCV's (-1, -1)). */
  anchor?: [number, number];
  /** Added to every result before rounding. Default 0. */
  delta?: number;
  /** For 4-channel images: 'keep' (default) copies alpha through unfiltered, 'filter' filters it like the colours. */
  alpha?: 'keep' | 'filter';
  /**
   * The result's sample type, as OpenCV's ddepth: 'same' (default: the input's), 'int16'
   * (rounded half to even and saturated to -32768..32767, so the signed response of a uint8 image
   * keeps its sign) or 'float32'. uint8 images take all three; float32 images 'same' and
   * 'float32' (and 'int16' in sepFilter2d, as OpenCV); 2-D tensors 'same' and 'float32'.
   */
  ddepth?: Ddepth;
  /**
   * A caller-owned array for the result's samples (the image's size, the result's sample type):
   * written instead of a fresh array, so repeated calls allocate nothing.
   */
  out?: ImageSamples | Float64Array;
}

export type Ddepth = 'same' | 'int16' | 'float32';

/** What a pass writes: floats, or integers rounded and saturated to bytes or int16. */
export type Output = 'float' | 'uint8' | 'int16';

export interface Picture {
  /** Pixel data as given. */
  data: NumericArray;
  width: number;
  height: number;
  channels: number;
  /** What the caller gave: a kind of image, or a tensor. */
  kind: 'uint8clamped' | 'uint8' | 'float32' | 'tensor';
  dtype: DType;
}

function isImageLike(x: unknown): x is ImageLike {
  return x !== null && typeof x === 'object' && 'data' in x && 'width' in x && 'height' in x;
}

export function readImage(arg: string, image: unknown): Picture {
  if (isImageLike(image)) {
    const { data, width, height } = image;
    const kind = data instanceof Uint8ClampedArray ? 'uint8clamped' : data instanceof Uint8Array ? 'uint8' : data instanceof Float32Array ? 'float32' : null;
    if (!kind) fail('DTYPE', `${arg}.data`, 'a Uint8ClampedArray, Uint8Array or Float32Array', data);
    for (const [name, v] of [['width', width], ['height', height]] as const) {
      if (!Number.isSafeInteger(v) || v < 1) fail('SHAPE', `${arg}.${name}`, 'a positive integer', v);
    }
    const pixels = width * height;
    const channels = image.channels ?? data.length / pixels;
    if (!Number.isSafeInteger(channels) || channels < 1 || data.length !== pixels * channels) {
      fail('SHAPE', `${arg}.data`, `width * height * channels samples (${width} x ${height}${image.channels ? ` x ${image.channels}` : ''})`, data);
    }
    // uint8 images compute in float32 too; the samples that float32 might round differently
    // from OpenCV are listed and redone (byteRounding).
    return { data, width, height, channels, kind, dtype: 'float32' };
  }
  const t = toOperand(arg, image);
  if (t.shape.length !== 2 || t.size === 0) fail('SHAPE', arg, 'an image { data, width, height } or a non-empty 2-D tensor', `shape [${t.shape.join(', ')}]`);
  return { data: t.data, width: t.shape[1], height: t.shape[0], channels: 1, kind: 'tensor', dtype: resolveDType(undefined, { name: arg, op: t }) };
}

export const isBytes = (picture: Picture) => picture.kind === 'uint8' || picture.kind === 'uint8clamped';

/** The image as OpenCV's integer rounding reads it (opencvBytes.ts): samples, border and their largest magnitude. */
export function byteSource(picture: Picture, p: FilterPlan): ByteSource {
  const { data, width, height, channels } = picture;
  const value = isBytes(picture) ? Uint8ClampedArray.of(p.borderValue)[0] : Math.fround(p.borderValue);
  let largest = isBytes(picture) ? 255 : p.border === 'constant' ? Math.abs(value) : 0;
  if (!isBytes(picture)) for (let i = 0; i < data.length; i++) largest = Math.max(largest, Math.abs(data[i]));
  return { data, width, height, channels, border: p.border, value, largest };
}

export function readKernel(arg: string, kernel: TensorLike, rank: 1 | 2): Operand {
  const k = toOperand(arg, kernel);
  const ok = rank === 2 ? k.shape.length === 2 : k.shape.length === 1 || (k.shape.length === 2 && (k.shape[0] === 1 || k.shape[1] === 1));
  if (!ok || k.size === 0) fail('SHAPE', arg, rank === 2 ? 'a non-empty 2-D kernel' : 'a non-empty 1-D kernel', `shape [${k.shape.join(', ')}]`);
  return k;
}

export interface FilterPlan {
  border: PadMode;
  borderValue: number;
  delta: number;
  convolve: boolean;
  keepAlpha: boolean;
  /**
   * Sum only the kernel's nonzero taps, so a NaN or an infinity under a zero tap stays out: what
   * filter2D does (and its OpenCV pixels show); sepFilter2D's row and column filters read every tap.
   */
  nonzeroTaps: boolean;
  /** Anchor [x, y] in the kernel as given (before any flip). */
  anchor: [number, number];
  /** The result's samples. */
  output: Output;
  /** The dtype the passes compute in (float32, or a tensor's own). */
  dtype: DType;
  /** The caller's result array, if given. */
  out?: OutArray;
}

/** The output a ddepth asks for, refused where OpenCV refuses the combination. */
function outputOf(fn: 'filter2d' | 'sepFilter2d', ddepth: Ddepth, picture: Picture): Output {
  if (ddepth === 'float32') return 'float';
  if (ddepth === 'same') return isBytes(picture) ? 'uint8' : 'float';
  if (picture.kind === 'tensor') fail('OPTION', 'options.ddepth', "'same' or 'float32' for a tensor (int16 results need an image { data, width, height })", ddepth);
  if (picture.kind === 'float32' && fn === 'filter2d') {
    fail('OPTION', 'options.ddepth', "'same' or 'float32' for a float32 image in filter2d (OpenCV's filter2D refuses float32 to int16; sepFilter2d takes it)", ddepth);
  }
  return 'int16';
}

export function plan(fn: 'filter2d' | 'sepFilter2d', opts: Partial<Filter2dOptions>, kw: number, kh: number, picture: Picture): FilterPlan {
  const op = oneOf('options.op', opts.op, ['correlate', 'convolve'] as const, 'correlate');
  const border = borderOption('options.border', opts.border, 'opencv', 'reflect101');
  const a = opts.anchor ?? [-1, -1];
  if (!Array.isArray(a) || a.length !== 2 || !a.every(Number.isInteger)) fail('OPTION', 'options.anchor', '[x, y] integers', a);
  const anchor: [number, number] = [a[0] === -1 ? kw >> 1 : a[0], a[1] === -1 ? kh >> 1 : a[1]];
  if (anchor[0] < 0 || anchor[0] >= kw || anchor[1] < 0 || anchor[1] >= kh) {
    fail('OPTION', 'options.anchor', `[x, y] inside the ${kw}x${kh} kernel (or -1 for the centre)`, a);
  }
  const alpha = oneOf('options.alpha', opts.alpha, ['keep', 'filter'] as const, 'keep');
  const ddepth = oneOf<Ddepth>('options.ddepth', opts.ddepth, ['same', 'int16', 'float32'], 'same');
  const output = outputOf(fn, ddepth, picture);
  const dtype = ddepth === 'float32' ? 'float32' : picture.dtype;
  return {
    border,
    borderValue: numberOption('options.borderValue', opts.borderValue, 0),
    delta: numberOption('options.delta', opts.delta, 0),
    convolve: op === 'convolve',
    keepAlpha: alpha === 'keep' && picture.channels === 4,
    nonzeroTaps: fn === 'filter2d',
    anchor,
    output,
    dtype,
    out: outOf(opts.out, output, dtype, picture),
  };
}

/**
 * The result in the caller's kind: a tensor for a tensor, otherwise an image of the output's
 * samples (integer passes already rounded half to even and saturated, as OpenCV's saturate_cast).
 */
export function finish(picture: Picture, result: PassResult, p: FilterPlan, alphaKept = false): ImageLike | Tensor {
  // Alpha goes back before the result moves into `out`, which may be the image itself.
  if (p.keepAlpha && !alphaKept) {
    for (let i = 3; i < result.length; i += 4) result[i] = picture.data[i];
  }
  let values = result;
  if (p.out) {
    if (result.buffer !== p.out.view.buffer || result.byteOffset !== p.out.view.byteOffset) p.out.view.set(result);
    values = p.out.view;
  }
  const data = p.out ? p.out.given : values instanceof Uint8ClampedArray && picture.kind === 'uint8' ? new Uint8Array(values.buffer, values.byteOffset, values.length) : values;
  if (picture.kind === 'tensor') return { data: data as FloatArray, shape: [picture.height, picture.width] };
  return { data: data as ImageSamples, width: picture.width, height: picture.height, channels: picture.channels };
}

/** The caller's `out` as given, and the view of it the passes write (bytes as Uint8ClampedArray). */
export interface OutArray {
  given: ImageSamples | Float64Array;
  view: PassResult;
}

/** options.out checked against the result's sample type and size. */
function outOf(value: unknown, output: Output, dtype: DType, picture: Picture): OutArray | undefined {
  const size = picture.width * picture.height * picture.channels;
  const types = output === 'uint8' ? [Uint8ClampedArray, Uint8Array] : output === 'int16' ? [Int16Array] : [dtype === 'float64' ? Float64Array : Float32Array];
  const given = outOption<ImageSamples | Float64Array>('options.out', value, types, size);
  if (!given) return undefined;
  const view = given instanceof Uint8Array ? new Uint8ClampedArray(given.buffer, given.byteOffset, given.length) : (given as PassResult);
  return { given, view };
}

