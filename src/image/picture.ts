// Reading an image call: the image (ImageData-like or a 2-D tensor), the kernels, OpenCV's
// options, and the result in the caller's kind.
import { fail } from '../core/errors';
import { numberOption, oneOf } from '../core/options';
import { borderOption, type BorderName, type PadMode } from '../core/padding';
import { resolveDType, toOperand, type DType, type NumericArray, type Operand, type Tensor, type TensorLike } from '../core/tensor';
import type { PassResult } from '../engines/depthwise';
import type { ByteSource } from './opencvBytes';

/** ImageData-like: interleaved channels, row-major (height x width x channels). */
export interface ImageLike<T extends Uint8ClampedArray | Uint8Array | Float32Array = Uint8ClampedArray | Uint8Array | Float32Array> {
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
}

export interface Picture {
  /** Pixel data as given. */
  data: NumericArray;
  width: number;
  height: number;
  channels: number;
  /** What the caller gets back: the same kind of image, or a tensor for a tensor. */
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

export function byteSource(picture: Picture, p: FilterPlan): ByteSource {
  const { data, width, height, channels } = picture;
  return { data, width, height, channels, border: p.border, value: Uint8ClampedArray.of(p.borderValue)[0] };
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
  /** Anchor [x, y] in the kernel as given (before any flip). */
  anchor: [number, number];
}

export function plan(opts: Partial<Filter2dOptions>, kw: number, kh: number, picture: Picture): FilterPlan {
  const op = oneOf('options.op', opts.op, ['correlate', 'convolve'] as const, 'correlate');
  const border = borderOption('options.border', opts.border, 'opencv', 'reflect101');
  const a = opts.anchor ?? [-1, -1];
  if (!Array.isArray(a) || a.length !== 2 || !a.every(Number.isInteger)) fail('OPTION', 'options.anchor', '[x, y] integers', a);
  const anchor: [number, number] = [a[0] === -1 ? kw >> 1 : a[0], a[1] === -1 ? kh >> 1 : a[1]];
  if (anchor[0] < 0 || anchor[0] >= kw || anchor[1] < 0 || anchor[1] >= kh) {
    fail('OPTION', 'options.anchor', `[x, y] inside the ${kw}x${kh} kernel (or -1 for the centre)`, a);
  }
  const alpha = oneOf('options.alpha', opts.alpha, ['keep', 'filter'] as const, 'keep');
  return {
    border,
    borderValue: numberOption('options.borderValue', opts.borderValue, 0),
    delta: numberOption('options.delta', opts.delta, 0),
    convolve: op === 'convolve',
    keepAlpha: alpha === 'keep' && picture.channels === 4,
    anchor,
  };
}

/** The result in the caller's kind (uint8 passes already rounded half to even and saturated, as OpenCV's saturate_cast). */
export function finish(picture: Picture, result: PassResult, p: FilterPlan): ImageLike | Tensor {
  if (p.keepAlpha) {
    for (let i = 3; i < result.length; i += 4) result[i] = picture.data[i];
  }
  if (result instanceof Uint8ClampedArray) {
    const shape = { width: picture.width, height: picture.height, channels: picture.channels };
    return { data: picture.kind === 'uint8' ? new Uint8Array(result.buffer) : result, ...shape };
  }
  if (picture.kind === 'tensor') return { data: result, shape: [picture.height, picture.width] };
  return { data: result as Float32Array, width: picture.width, height: picture.height, channels: picture.channels };
}

