// The plane correlation engine: every scipy-family call lowers to one CorrelationJob, a valid
// 2-D correlation of a padded input (3-D: one per pair of output plane and kernel plane, summed).
// Kernels: assembly/correlate.ts (Wasm SIMD), runtime/fallback.ts (TypeScript).
import { padInto, padWindowInto, paddedShape, type Padding } from '../core/padding';
import { copyOut, type DType, type FloatArray, type NumericArray } from '../core/tensor';
import type { Backend } from '../runtime/abi';
import { current } from '../runtime/backend';

type Shape3 = readonly [number, number, number];

/** One correlation, fully normalised by the API layer. */
export interface CorrelationJob {
  dtype: DType;
  input: NumericArray;
  /** Input shape as 3-D (leading axes of length 1 for 1-D and 2-D). */
  inputShape: Shape3;
  padding: Padding;
  kernel: NumericArray;
  kernelShape: Shape3;
  /** Rotate the kernel 180° (all axes) once on the way in: true convolution. */
  flipKernel: boolean;
}

/** Shape of the valid correlation of the padded input with the kernel: what the engine computes. */
function validShape(job: CorrelationJob): [number, number, number] {
  const p = paddedShape(job.inputShape, job.padding);
  return [0, 1, 2].map((a) => p[a] - job.kernelShape[a] + 1) as [number, number, number];
}

/**
 * Runs a correlation on the current backend: lays out [input | kernel | output] in the arena,
 * slides the 2-D kernel over every (output plane, kernel plane) pair with accumulation across
 * kernel planes, and copies the output out so the result never aliases backend memory. With
 * `out` the result lands in the caller's array instead of a fresh one; it may even overlap the
 * input, which is fully copied in before any output is written.
 */
export function runCorrelation(job: CorrelationJob, out?: FloatArray): FloatArray {
  const backend = current();
  const [od, oh, ow] = validShape(job);
  const outSize = od * oh * ow;
  const outPtr = hasInterior(job) ? correlatePlane(backend, job) : correlatePadded(backend, job);
  const heap = backend.arena.view(job.dtype);
  const start = outPtr / backend.kernels(job.dtype).bytes;
  if (!out) return copyOut(heap, start, outSize);
  out.set(heap.subarray(start, start + outSize));
  return out;
}

/** A 1-D or 2-D job with outputs whose whole window lies inside the input. */
function hasInterior({ inputShape, kernelShape, padding }: CorrelationJob): boolean {
  const flat = inputShape[0] === 1 && kernelShape[0] === 1 && padding.before[0] === 0 && padding.after[0] === 0;
  return flat && inputShape[1] >= kernelShape[1] && inputShape[2] >= kernelShape[2];
}

/** Pads the whole input into the arena and slides the kernel over it; returns the output's byte offset. */
function correlatePadded(backend: Backend, job: CorrelationJob): number {
  const { bytes, correlate } = backend.kernels(job.dtype);
  const [pd, ph, pw] = paddedShape(job.inputShape, job.padding);
  const [kd, kh, kw] = job.kernelShape;
  const [od, oh, ow] = validShape(job);
  const kernelSize = kd * kh * kw;
  const at = backend.arena.reserve({ input: pd * ph * pw * bytes, kernel: kernelSize * bytes, output: od * oh * ow * bytes });
  const heap = backend.arena.view(job.dtype);
  padInto(job.input, job.inputShape, job.padding, heap, at.input / bytes);
  writeKernel(heap, at.kernel / bytes, job.kernel, kernelSize, job.flipKernel);
  const planeIn = ph * pw * bytes;
  const planeKer = kh * kw * bytes;
  const planeOut = oh * ow * bytes;
  for (let z = 0; z < od; z++) {
    for (let u = 0; u < kd; u++) {
      correlate(at.input + (z + u) * planeIn, pw, at.kernel + u * planeKer, kh, kw, at.output + z * planeOut, ow, oh, ow, u > 0 ? 1 : 0, 1);
    }
  }
  return at.output;
}

/**
 * One plane without a padded copy: the input goes into the arena as it is (one block copy), the
 * kernel slides over it directly for every output whose window lies inside the input, and only
 * the frame of outputs whose windows reach into the padding reads small padded strips: the bands
 * above and below the interior (full width) and left and right of it. Returns the output's byte
 * offset.
 */
function correlatePlane(backend: Backend, job: CorrelationJob): number {
  const { bytes, correlate } = backend.kernels(job.dtype);
  const [, h, w] = job.inputShape;
  const [, kh, kw] = job.kernelShape;
  const [, oh, ow] = validShape(job);
  const top = job.padding.before[1];
  const left = job.padding.before[2];
  // Outputs [top, top + iy) x [left, left + ix) have their whole window inside the input.
  const iy = h - kh + 1;
  const ix = w - kw + 1;
  const bands = [
    { rows: [0, top], cols: [0, ow] },
    { rows: [top + iy, oh], cols: [0, ow] },
    { rows: [top, top + iy], cols: [0, left] },
    { rows: [top, top + iy], cols: [left + ix, ow] },
  ].filter((b) => b.rows[1] > b.rows[0] && b.cols[1] > b.cols[0]);
  // A band of outputs reads padded rows [r0, r1 + kh - 1) x columns [c0, c1 + kw - 1).
  const stripSize = (b: (typeof bands)[number]) => (b.rows[1] - b.rows[0] + kh - 1) * (b.cols[1] - b.cols[0] + kw - 1);
  const at = backend.arena.reserve({
    input: h * w * bytes,
    kernel: kh * kw * bytes,
    output: oh * ow * bytes,
    strip: Math.max(0, ...bands.map(stripSize)) * bytes,
  });
  const heap = backend.arena.view(job.dtype);
  heap.set(job.input.subarray(0, h * w), at.input / bytes);
  writeKernel(heap, at.kernel / bytes, job.kernel, kh * kw, job.flipKernel);
  correlate(at.input, w, at.kernel, kh, kw, at.output + (top * ow + left) * bytes, ow, iy, ix, 0, 1);
  for (const { rows, cols } of bands) {
    const stripW = cols[1] - cols[0] + kw - 1;
    padWindowInto(job.input, h, w, [top, left], job.padding, heap, at.strip / bytes, [rows[0], rows[1] + kh - 1], [cols[0], cols[1] + kw - 1]);
    correlate(at.strip, stripW, at.kernel, kh, kw, at.output + (rows[0] * ow + cols[0]) * bytes, ow, rows[1] - rows[0], cols[1] - cols[0], 0, 1);
  }
  return at.output;
}

/** Reversing a dense C-order block's flat order rotates it 180° in every axis. */
function writeKernel(heap: FloatArray, at: number, kernel: NumericArray, n: number, flip: boolean): void {
  if (!flip) {
    heap.set(kernel.subarray(0, n), at);
    return;
  }
  for (let i = 0; i < n; i++) heap[at + i] = kernel[n - 1 - i];
}
