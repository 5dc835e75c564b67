// The plane correlation engine: every scipy-family call (and filter2d's single pass over an
// interleaved image) lowers to one CorrelationJob, a valid 2-D correlation of a padded input
// (3-D: one per pair of output plane and kernel plane, summed).
// Kernels: assembly/correlate.ts (Wasm SIMD), runtime/fallback.ts (TypeScript).
import { padInto, padWindowInto, paddedShape, type Padding } from '../core/padding';
import { allocUnset, type DType, type FloatArray, type NumericArray } from '../core/tensor';
import type { Backend } from '../runtime/abi';
import { current } from '../runtime/backend';
import { allocPassResult, emitBytes, emitSamples, type NearTies, type PassResult, type ResultKind } from './imageOutput';
import { nonzeroTaps, tapKernel, tapListBytes, worthListing } from './taps';
import { spreader } from './spread';

type Shape3 = readonly [number, number, number];

/** One correlation, fully normalised by the API layer. */
export interface CorrelationJob {
  dtype: DType;
  input: NumericArray;
  /** Input shape as 3-D (leading axes of length 1 for 1-D and 2-D), in pixels when `channels` > 1. */
  inputShape: Shape3;
  padding: Padding;
  kernel: NumericArray;
  kernelShape: Shape3;
  /** Rotate the kernel 180° (all axes) once on the way in: true convolution. */
  flipKernel: boolean;
  /**
   * Interleaved channels per pixel (an image's C): every channel is correlated with the same
   * kernel, and input and output keep the interleaving. 1 when absent.
   */
  channels?: number;
  /**
   * Only output rows [from, to) of a 2-D job on the banded path (see rowBandable): a worker of
   * the pool computes its share of one result. The other rows of the result are left as they were.
   */
  rows?: readonly [number, number];
}

/** Shape of the valid correlation of the padded input with the kernel: what the engine computes. */
export function validShape(job: CorrelationJob): [number, number, number] {
  const p = paddedShape(job.inputShape, job.padding);
  return [0, 1, 2].map((a) => p[a] - job.kernelShape[a] + 1) as [number, number, number];
}

/** Samples of a result: the valid shape's positions times the channels. */
export function resultSize(job: CorrelationJob): number {
  const [od, oh, ow] = validShape(job);
  return od * oh * ow * (job.channels ?? 1);
}

/**
 * Bytes of input and output a band of rows keeps in Wasm memory at once: small enough to stay
 * in cache (L3) while it is copied in, computed and copied out, large enough that each copy
 * moves a megabyte or more and the kernel's rows above and below a band (copied again) are a
 * small share. Copies between a large array and Wasm memory ran 12-13 GB/s in chunks of 128-256
 * KB and 16-19 GB/s in chunks of 1-4 MB; the kernel reads a band from L3 about 1.3x slower than
 * from L2, which costs less than the copies gain (a 1080p RGBA float32 3x3 filter took 0.81-0.87x
 * the time of 512 KB bands; 1024x1024 0.95x).
 */
const BAND_BYTES = 3 * 1024 * 1024;

/** The band size in use: tests lower it so that small images still make several bands. */
export const bandSize = { bytes: BAND_BYTES };

/**
 * Runs a correlation on the current backend and returns the result in a fresh array (or in
 * `out`), never in backend memory. 1-D and 2-D inputs at least as large as the kernel go through
 * in bands of rows (or chunks of a 1-D signal): each is copied in, correlated and copied out
 * while it is still in cache, and only the outputs whose windows reach into the padding read
 * small padded strips. Everything else is padded into the arena whole. `out` may be the input's
 * own array: every input sample is read before the output that overwrites it is written.
 */
export function runCorrelation(job: CorrelationJob, out?: FloatArray): FloatArray {
  const backend = current();
  const size = resultSize(job);
  const result = out ?? allocUnset(job.dtype, size);
  // An `out` overlapping the input anywhere but exactly on it could overwrite samples still to be read.
  const input = out && overlapsElsewhere(out, job.input) ? job.input.slice() : job.input;
  const run = { ...job, input };
  if (hasInterior(run)) {
    if (oneRow(run)) correlateChunks(backend, run, result);
    else correlateBands(backend, run, result);
    return result;
  }
  const outPtr = correlatePadded(backend, run);
  const start = outPtr / backend.kernels(job.dtype).bytes;
  result.set(backend.arena.view(job.dtype).subarray(start, start + size));
  return result;
}

function overlapsElsewhere(a: FloatArray, b: NumericArray): boolean {
  if (a.buffer !== b.buffer) return false;
  const [a0, a1] = [a.byteOffset, a.byteOffset + a.byteLength];
  const [b0, b1] = [b.byteOffset, b.byteOffset + b.byteLength];
  return a0 < b1 && b0 < a1 && !(a0 === b0 && a.BYTES_PER_ELEMENT === b.BYTES_PER_ELEMENT);
}

/**
 * A job whose output rows can be computed apart (job.rows): a 2-D plane on the banded path, where
 * every output row is summed the same way whichever rows are computed with it.
 */
export function rowBandable(job: CorrelationJob): boolean {
  return hasInterior(job) && !oneRow(job);
}

/** One row with nothing above or below it: a 1-D signal. */
const oneRow = ({ inputShape, padding }: CorrelationJob) => inputShape[1] === 1 && padding.before[1] === 0 && padding.after[1] === 0;

/** A 1-D or 2-D job with outputs whose whole window lies inside the input. */
function hasInterior({ inputShape, kernelShape, padding }: CorrelationJob): boolean {
  const flat = inputShape[0] === 1 && kernelShape[0] === 1 && padding.before[0] === 0 && padding.after[0] === 0;
  return flat && inputShape[1] >= kernelShape[1] && inputShape[2] >= kernelShape[2];
}

/** Pads the whole input into the arena and slides the kernel over it; returns the output's byte offset. */
function correlatePadded(backend: Backend, job: CorrelationJob): number {
  const kernels = backend.kernels(job.dtype);
  const { bytes, correlate } = kernels;
  const C = job.channels ?? 1;
  const [pd, ph, pw] = paddedShape(job.inputShape, job.padding);
  const [kd, kh, kw] = job.kernelShape;
  const [od, oh, ow] = validShape(job);
  const kernelSize = kd * kh * kw;
  const at = backend.arena.reserve({ input: pd * ph * pw * C * bytes, kernel: kernelSize * bytes, output: od * oh * ow * C * bytes });
  const heap = backend.arena.view(job.dtype);
  padInto(job.input, job.inputShape, job.padding, heap, at.input / bytes, C, undefined, undefined, spreader(kernels));
  writeKernel(heap, at.kernel / bytes, job.kernel, kernelSize, job.flipKernel);
  const planeIn = ph * pw * C * bytes;
  const planeKer = kh * kw * bytes;
  const planeOut = oh * ow * C * bytes;
  for (let z = 0; z < od; z++) {
    for (let u = 0; u < kd; u++) {
      correlate(at.input + (z + u) * planeIn, pw * C, at.kernel + u * planeKer, kh, kw, at.output + z * planeOut, ow * C, oh, ow * C, u > 0 ? 1 : 0, C);
    }
  }
  return at.output;
}

/**
 * What an image pass (filter2d) adds to a correlation, all of it applied to each band inside
 * Wasm memory: OpenCV's delta, alpha copied through, and integer results with their near ties.
 * The input may be bytes (an ImageData), widened band by band.
 */
export interface ImagePass extends ResultKind {
  delta: number;
  /** Sum only the kernel's nonzero taps, as OpenCV's filter2D (engines/taps.ts). */
  nonzeroTaps: boolean;
  /** A 4-channel image's alpha copied through unfiltered (the result has the image's size). */
  keepAlpha: boolean;
}

/**
 * An image pass on the plane engine: the interleaved image is one plane whose taps are C
 * samples apart. Null for what the bands do not cover (an image smaller than the kernel, or a
 * single row with a one-row kernel): the depthwise engine takes those.
 */
export function runImagePass(job: CorrelationJob, pass: ImagePass, out?: PassResult): { values: PassResult; nearTies: NearTies[] } | null {
  if (!rowBandable(job)) return null;
  // An `out` that is the image itself (in place) is read band by band before being overwritten
  // only when input and result samples are the same size; otherwise the image is copied first.
  const input = out && out.buffer === job.input.buffer && (out.BYTES_PER_ELEMENT !== job.input.BYTES_PER_ELEMENT || out.byteOffset !== job.input.byteOffset) ? job.input.slice() : job.input;
  const values = out ?? allocPassResult(pass, resultSize(job));
  const nearTies: NearTies[] = [];
  correlateBands(current(), { ...job, input }, values, pass, nearTies);
  return { values, nearTies };
}

const isByteArray = (a: NumericArray) => a instanceof Uint8Array || a instanceof Uint8ClampedArray;

/**
 * A 2-D plane in bands of rows. Outputs [top, top + iy) x [left, left + ix) have their whole
 * window inside the input; the rows above and below them (the frames) and the columns left and
 * right of them (the sides) read padded strips. The frames are computed first, from the caller's
 * input, because the bands may overwrite it (an `out` that is the input); each band's sides are
 * padded from the band's own rows in Wasm memory.
 */
function correlateBands(backend: Backend, job: CorrelationJob, result: PassResult, pass?: ImagePass, nearTies: NearTies[] = []): void {
  const k = backend.kernels(job.dtype);
  const { bytes } = k;
  const kind: ResultKind = pass ?? { dtype: job.dtype, output: 'float' };
  const delta = pass?.delta ?? 0;
  const acc = delta === 0 ? 0 : 1;
  const C = job.channels ?? 1;
  const keepAlpha = pass?.keepAlpha === true && C === 4;
  const bytesIn = isByteArray(job.input);
  const [, h, w] = job.inputShape;
  const [, kh, kw] = job.kernelShape;
  const [, oh, ow] = validShape(job);
  const top = job.padding.before[1];
  const left = job.padding.before[2];
  const iy = h - kh + 1;
  const ix = w - kw + 1;
  const bottom = oh - top - iy;
  const right = ow - left - ix;
  const [W, OW] = [w * C, ow * C];
  // A multiple of 6 rows: the 3x3 kernel makes 3 output rows per pass, the others 2.
  const R = Math.min(Math.ceil(iy / 6) * 6, Math.max(6, Math.floor(bandSize.bytes / ((W + OW) * bytes) / 6) * 6));
  const sideIn = Math.max(left, right) + kw - 1;
  const pw = ow + kw - 1;
  const listed = pass?.nonzeroTaps ? nonzeroTaps(job.kernel, kh, kw, job.flipKernel) : null;
  // Bytes are never NaN or infinite: there the list only runs where it is the faster sum.
  const taps = listed && (!bytesIn || worthListing(listed, kh * kw)) ? listed : null;
  const at = backend.arena.reserve({
    kernel: kh * kw * bytes,
    taps: tapListBytes(taps, bytes),
    band: (R + kh - 1) * W * bytes,
    output: R * OW * bytes,
    side: (R + kh - 1) * sideIn * C * bytes,
    frameIn: (Math.max(top, bottom) + kh - 1) * pw * C * bytes,
    frames: (top + bottom) * OW * bytes,
    inBytes: bytesIn ? (R + kh - 1) * W : 0,
    ints: emitBytes(kind, Math.max(R, top, bottom) * OW),
  });
  const heap = backend.arena.view(job.dtype);
  const e = (ptr: number) => ptr / bytes;
  writeKernel(heap, e(at.kernel), job.kernel, kh * kw, job.flipKernel);
  const correlate = taps ? tapKernel(backend, job.dtype, at.taps, taps) : k.correlate;
  /** Input rows [from, from + n) into the float band at `to`: copied, or as bytes widened in Wasm. */
  const stage = (from: number, n: number, to: number) => {
    const samples = job.input.subarray(from * W, (from + n) * W);
    if (!bytesIn) {
      heap.set(samples, e(to));
      return;
    }
    backend.arena.view('uint8').set(samples, at.inBytes);
    k.widenBytes(at.inBytes, n * W, to);
  };
  const frame = (r0: number, r1: number, to: number) => {
    if (r1 <= r0) return;
    padWindowInto(job.input, h, w, [top, left], job.padding, heap, e(at.frameIn), [r0, r1 + kh - 1], [0, pw], C);
    if (acc) heap.fill(delta, e(to), e(to) + (r1 - r0) * OW);
    correlate(at.frameIn, pw * C, at.kernel, kh, kw, to, OW, r1 - r0, OW, acc, C);
    // Output row y keeps the alpha of input row y: padded row y + top of the strip.
    if (keepAlpha) for (let y = r0; y < r1; y++) k.keepAlpha(at.frameIn + ((y + top - r0) * pw + left) * C * bytes, to + (y - r0) * OW * bytes, ow);
  };
  const [from, to] = job.rows ?? [0, oh];
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  // The frame rows asked for, each kept where it would be in the unrestricted frames region.
  const topRows = [clamp(from, 0, top), clamp(to, 0, top)] as const;
  const bottomRows = [clamp(from, top + iy, oh), clamp(to, top + iy, oh)] as const;
  const frameAt = (y: number) => at.frames + (y < top ? y : y - iy) * OW * bytes;
  frame(topRows[0], topRows[1], frameAt(topRows[0]));
  frame(bottomRows[0], bottomRows[1], frameAt(bottomRows[0]));
  const side = (band: FloatArray, rows: number, c0: number, n: number, to: number) => {
    padWindowInto(band, rows + kh - 1, w, [0, left], job.padding, heap, e(at.side), [0, rows + kh - 1], [c0, c0 + n + kw - 1], C);
    correlate(at.side, (n + kw - 1) * C, at.kernel, kh, kw, to, OW, rows, n * C, acc, C);
  };
  const [first, last] = [clamp(from - top, 0, iy), clamp(to - top, 0, iy)];
  for (let r0 = first; r0 < last; r0 += R) {
    const rows = Math.min(R, last - r0);
    // Input rows [r0, r0 + rows + kh - 1); after the first band the first kh - 1 are the previous band's last.
    if (r0 === first) {
      stage(r0, rows + kh - 1, at.band);
    } else {
      heap.copyWithin(e(at.band), e(at.band) + R * W, e(at.band) + (R + kh - 1) * W);
      stage(r0 + kh - 1, rows, at.band + (kh - 1) * W * bytes);
    }
    if (acc) heap.fill(delta, e(at.output), e(at.output) + rows * OW);
    correlate(at.band, W, at.kernel, kh, kw, at.output + left * C * bytes, OW, rows, ix * C, acc, C);
    const band = heap.subarray(e(at.band), e(at.band) + (rows + kh - 1) * W);
    if (left > 0) side(band, rows, 0, left, at.output);
    if (right > 0) side(band, rows, left + ix, right, at.output + (left + ix) * C * bytes);
    // Output row top + r0 + i is input row top + r0 + i: band row top + i.
    if (keepAlpha) k.keepAlpha(at.band + top * W * bytes, at.output, rows * ow);
    emitSamples(backend, kind, at.output, rows * OW, at.ints, result, (top + r0) * OW, nearTies);
  }
  for (const [y0, y1] of [topRows, bottomRows]) {
    if (y1 > y0) emitSamples(backend, kind, frameAt(y0), (y1 - y0) * OW, at.ints, result, y0 * OW, nearTies);
  }
}

/**
 * A 1-D signal (one row) in chunks of outputs, copied in, correlated and copied out while in
 * cache; the outputs whose windows reach past either end are computed first from padded strips.
 */
function correlateChunks(backend: Backend, job: CorrelationJob, result: FloatArray): void {
  const { bytes, correlate } = backend.kernels(job.dtype);
  const C = job.channels ?? 1;
  const w = job.inputShape[2];
  const kw = job.kernelShape[2];
  const ow = validShape(job)[2];
  const left = job.padding.before[2];
  const ix = w - kw + 1;
  const right = ow - left - ix;
  const Q = Math.min(ix, Math.max(64, Math.floor(bandSize.bytes / (2 * C * bytes) / 64) * 64));
  const sideIn = Math.max(left, right) + kw - 1;
  const at = backend.arena.reserve({
    kernel: kw * bytes,
    chunk: (Q + kw - 1) * C * bytes,
    output: Q * C * bytes,
    side: sideIn * C * bytes,
    sides: (left + right) * C * bytes,
  });
  const heap = backend.arena.view(job.dtype);
  const e = (ptr: number) => ptr / bytes;
  writeKernel(heap, e(at.kernel), job.kernel, kw, job.flipKernel);
  const side = (c0: number, n: number, to: number) => {
    padWindowInto(job.input, 1, w, [0, left], job.padding, heap, e(at.side), [0, 1], [c0, c0 + n + kw - 1], C);
    correlate(at.side, (n + kw - 1) * C, at.kernel, 1, kw, to, n * C, 1, n * C, 0, C);
  };
  if (left > 0) side(0, left, at.sides);
  if (right > 0) side(left + ix, right, at.sides + left * C * bytes);
  for (let j0 = 0; j0 < ix; j0 += Q) {
    const n = Math.min(Q, ix - j0);
    heap.set(job.input.subarray(j0 * C, (j0 + n + kw - 1) * C), e(at.chunk));
    correlate(at.chunk, (Q + kw - 1) * C, at.kernel, 1, kw, at.output, Q * C, 1, n * C, 0, C);
    result.set(heap.subarray(e(at.output), e(at.output) + n * C), (left + j0) * C);
  }
  if (left > 0) result.set(heap.subarray(e(at.sides), e(at.sides) + left * C), 0);
  if (right > 0) result.set(heap.subarray(e(at.sides) + left * C, e(at.sides) + (left + right) * C), (left + ix) * C);
}

/** Reversing a dense C-order block's flat order rotates it 180° in every axis. */
function writeKernel(heap: FloatArray, at: number, kernel: NumericArray, n: number, flip: boolean): void {
  if (!flip) {
    heap.set(kernel.subarray(0, n), at);
    return;
  }
  for (let i = 0; i < n; i++) heap[at + i] = kernel[n - 1 - i];
}
