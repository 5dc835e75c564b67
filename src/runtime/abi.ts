// The compute ABI shared by the Wasm module (assembly/) and the TypeScript fallback
// (runtime/fallback.ts): every kernel's signature, and the backend that bundles them.
import type { DType } from '../core/tensor';
import type { Arena } from './arena';

/**
 * assembly/correlate.ts: valid-mode 2-D cross-correlation over an input the caller already padded,
 *   out[i*outStride + j] = (accumulate ? out[...] : 0) + sum_{u<kh, v<kw} ker[u*kw + v] * inp[(i+u)*inStride + j + v*tapStep]
 * (tapStep 1 for a plane, C for an image of C interleaved channels). Pointers are byte offsets
 * into the arena, strides and sizes are in elements.
 */
export type CorrelateKernel = (
  inPtr: number,
  inStride: number,
  kerPtr: number,
  kh: number,
  kw: number,
  outPtr: number,
  outStride: number,
  oh: number,
  ow: number,
  accumulate: number,
  tapStep: number,
) => void;

/**
 * assembly/correlate.ts correlateTaps: the same sum over a list of taps instead of a dense kernel,
 *   out[i*outStride + j] = (accumulate ? out[...] : 0) + sum_{t<nTaps} w[t] * inp[(i+row[t])*inStride + j + col[t]*tapStep]
 * so that a tap left out never reads its sample (image passes drop their zero taps, as OpenCV's
 * filter2D does). The list at tapPtr (tapListBytes in engines/taps.ts): nTaps >= 1 weights
 * (elements), nTaps (row, col) i32 pairs, then nTaps u32 and TAP_LIST_SCRATCH bytes that the
 * kernel overwrites (the taps' byte offsets; a 3x3 mask's nine weights).
 */
export type CorrelateTapsKernel = (
  inPtr: number,
  inStride: number,
  tapPtr: number,
  nTaps: number,
  outPtr: number,
  outStride: number,
  oh: number,
  ow: number,
  accumulate: number,
  tapStep: number,
) => void;

/** Bytes a tap list takes per tap beyond its weight: the (row, col) pair and the offset scratch. */
export const TAP_LIST_BYTES = 12;

/** Bytes of scratch after a tap list's offsets: nine float32 weights. */
export const TAP_LIST_SCRATCH = 36;

/**
 * The multi-channel ABI (assembly/conv.ts): for output position i (row-major over `ow`
 * columns, nPix in all) and output channel c < outC,
 *   out[c*outChanStep + row*outRowStep + col*outColStep] = bias[c] + sum_t w[c, t] * in[row*inRowStep + col*inColStep + tap[t]]
 * `tap` is a table of nTaps u32 byte offsets; weights are packed [block][t][channel in block]
 * and biases [block][channel in block], blocks of CHANNELS_PER_BLOCK channels zero-padded past
 * outC. Pointers and steps are bytes.
 */
export type ConvKernel = (
  inPtr: number,
  tapPtr: number,
  nTaps: number,
  wPtr: number,
  biasPtr: number,
  outC: number,
  outPtr: number,
  outChanStep: number,
  nPix: number,
  ow: number,
  inRowStep: number,
  inColStep: number,
  outRowStep: number,
  outColStep: number,
) => void;

/**
 * Depthwise layers on channels-last data (assembly/depthwise.ts): for position i (row-major
 * over `ow` columns, nPix in all) and channel c < C,
 *   out[i*C + c] = bias[c] + sum_t w[t*C + c] * in[row*inRowStep + col*inColStep + tap[t] + c]
 * Weights and biases are read up to DEPTHWISE_OVERREAD elements past their end.
 */
export type DepthwiseKernel = (
  inPtr: number,
  tapPtr: number,
  nTaps: number,
  wPtr: number,
  biasPtr: number,
  C: number,
  outPtr: number,
  nPix: number,
  ow: number,
  inRowStep: number,
  inColStep: number,
) => void;

/** assembly/transpose.ts: dst[p*C + c] = src[c*P + p]: channels-first planes to channels-last rows (byte pointers). */
export type ChannelsLastKernel = (src: number, C: number, P: number, dst: number) => void;

/** assembly/offset.ts: the n elements from byte `ptr` each plus `value` (rounded to the element type first), in place. */
export type AddScalarKernel = (ptr: number, n: number, value: number) => void;

/**
 * assembly/pad.ts: rows packed from byte `base` (planes x rows of rowIn elements) moved to
 * element `first + z * planeOut + y * rowOut` from `base`, last first; with `fill` 1, the
 * `left` elements before and `right` after each moved row set to `value`.
 */
export type SpreadRowsKernel = (base: number, planes: number, rows: number, rowIn: number, planeOut: number, rowOut: number, first: number, left: number, right: number, fill: number, value: number) => void;

/**
 * assembly/winograd.ts: V = B^T d B of the 4x4 tiles first .. first + count - 1 (tile t at row
 * 2 floor(t / tW), column 2 (t % tW)) of a channels-last input with C channels and rows rowStep
 * bytes apart, to [xi][t - first][channel] with xiStep bytes from one xi to the next.
 */
export type WinogradInputKernel = (src: number, C: number, rowStep: number, tW: number, first: number, count: number, dst: number, xiStep: number) => void;

/**
 * assembly/winograd.ts: Y = A^T m A + bias from [xi][t - first][channel] products of tiles
 * first .. first + count - 1 (xiStep bytes from one xi to the next), the 2x2 outputs of each tile stored at
 * out + oc * chanStep + y * rowStep + x * colStep (byte steps) for y < outH, x < outW. Returns 1
 * if any stored value is NaN or infinite, else 0.
 */
export type WinogradOutputKernel = (
  m: number,
  OC: number,
  tW: number,
  first: number,
  count: number,
  xiStep: number,
  bias: number,
  out: number,
  chanStep: number,
  rowStep: number,
  colStep: number,
  outH: number,
  outW: number,
) => number;

/** assembly/bytes.ts: element-wise conversions between uint8 images and float (byte pointers, n elements). */
export type BytesKernel = (src: number, n: number, dst: number) => void;

/** assembly/bytes.ts: writes up to cap u32 indices in [from, n) of floats at src within bound of a .5 tie to dst; returns how many. */
export type NearTiesKernel = (src: number, from: number, n: number, bound: number, dst: number, cap: number) => number;

/** assembly/bytes.ts: the alpha (sample 3) of `pixels` RGBA pixels at src copied over those at dst. */
export type KeepAlphaKernel = (src: number, dst: number, pixels: number) => void;

/**
 * assembly/fft.ts: complex FFT along the middle axis of split planes [A][n][C] (C a multiple of
 * 4, element (a, j, c) at ((a * n) + j) * C + c), forward (decimation in frequency, digit-reversed
 * result) or inverse (decimation in time back to natural order, unscaled). `stages` holds
 * nStages (radix, L) i32 pairs in forward order; `tw` their twiddle tables of (cos, -sin) pairs.
 */
export type FftKernel = (re: number, im: number, A: number, n: number, C: number, stages: number, nStages: number, tw: number) => void;

/** assembly/fft.ts: (re, im)[p][lane] *= (kre, kim)[p] for n positions of `lanes` lanes (a multiple of 4). */
export type SpectrumKernel = (re: number, im: number, kre: number, kim: number, n: number, lanes: number) => void;

/**
 * assembly/fft.ts: overlap-save tiles between a padded input (or the output grid) and the
 * planes; `geo` points to the i32 geometry table engines/fft.ts writes (layout in assembly/fft.ts).
 */
export type GatherKernel = (geo: number, src: number, first: number, count: number, re: number, im: number, scratch: number) => void;
/** The scatter also returns 1 if any result it stored is NaN or infinite, else 0. */
export type ScatterKernel = (geo: number, re: number, im: number, first: number, count: number, out: number) => number;

/** Elements a depthwise kernel may read past the weights and biases (4 vectors minus one element, f32). */
export const DEPTHWISE_OVERREAD = 15;

/** Output channels per packed weight block: two 16-byte vectors (assembly/conv.ts OC_VECS). */
export const BLOCK_BYTES = 32;

export type BackendName = 'wasm-relaxed-simd' | 'wasm-simd' | 'js';

/** Every kernel for one element type: the same set from the Wasm module and from the TypeScript fallback. */
export interface KernelSet {
  /** Bytes per element. */
  bytes: 4 | 8;
  correlate: CorrelateKernel;
  correlateTaps: CorrelateTapsKernel;
  conv: ConvKernel;
  depthwise: DepthwiseKernel;
  channelsLast: ChannelsLastKernel;
  spreadRows: SpreadRowsKernel;
  addScalar: AddScalarKernel;
  winogradInput: WinogradInputKernel;
  winogradOutput: WinogradOutputKernel;
  /** dst[i] = src byte i as float. */
  widenBytes: BytesKernel;
  /** dst byte i = src[i] rounded half to even, saturated to 0..255 (NaN: 0). */
  narrowToBytes: BytesKernel;
  /** dst int16 i = src[i] rounded half to even, saturated to -32768..32767 (NaN: 0). */
  narrowToInt16: BytesKernel;
  /** The samples whose rounding OpenCV's arithmetic might do differently (image/opencvBytes.ts). */
  nearTies: NearTiesKernel;
  keepAlpha: KeepAlphaKernel;
  fftForward: FftKernel;
  fftInverse: FftKernel;
  spectrumMul: SpectrumKernel;
  gatherTiles: GatherKernel;
  scatterTiles: ScatterKernel;
}

/** The kernels' names; the Wasm module exports each as `${name}F32` and `${name}F64` (FLOAT32_ONLY: F32 alone). */
export const KERNEL_NAMES = [
  'correlate',
  'correlateTaps',
  'conv',
  'depthwise',
  'channelsLast',
  'spreadRows',
  'addScalar',
  'winogradInput',
  'winogradOutput',
  'widenBytes',
  'narrowToBytes',
  'narrowToInt16',
  'nearTies',
  'keepAlpha',
  'fftForward',
  'fftInverse',
  'spectrumMul',
  'gatherTiles',
  'scatterTiles',
] as const;

/**
 * The kernels only image results use. Images compute in float32 (image/picture.ts), so these
 * exist for float32 alone: the Wasm module has no float64 twin of them (the bytes they would
 * cost), and every backend's float64 set holds a stand-in that throws, so no backend offers what
 * another lacks.
 */
export const FLOAT32_ONLY: readonly (typeof KERNEL_NAMES)[number][] = ['narrowToBytes', 'narrowToInt16', 'nearTies', 'keepAlpha'];

/** A float64 kernel set with the FLOAT32_ONLY kernels replaced by stand-ins that throw. */
export function withFloat32Only(set: Record<string, unknown>): Record<string, unknown> {
  for (const name of FLOAT32_ONLY) {
    set[name] = () => {
      throw new Error(`${name}: expected float32 samples (images compute in float32), got a float64 job`);
    };
  }
  return set;
}

/** The kernels the relaxed SIMD module (assembly/relaxed.ts) has again, with fused multiply-adds. */
export const RELAXED_KERNEL_NAMES: readonly (typeof KERNEL_NAMES)[number][] = ['correlate', 'conv', 'depthwise'];

/** A backend is an arena plus the kernels that compute inside it, one set per dtype. */
export interface Backend {
  name: BackendName;
  arena: Arena;
  kernels(dtype: DType): KernelSet;
}
