import { current } from './backend';
import { padInto, paddedShape, type Padding } from './padding';
import { copyOut, type DType, type FloatArray, type NumericArray } from './tensor';

type Shape3 = readonly [number, number, number];

/** One correlation, fully normalised by the API layer: every op family lowers to this. */
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

/** Shape of the valid correlation of the padded input with the kernel. */
export function jobOutputShape(job: CorrelationJob): [number, number, number] {
  const p = paddedShape(job.inputShape, job.padding);
  return [0, 1, 2].map((a) => p[a] - job.kernelShape[a] + 1) as [number, number, number];
}

/**
 * Runs a correlation on the current backend: lays out [padded input | kernel | output] in the
 * arena, pads straight into it, slides the 2-D kernel over every (output plane, kernel plane)
 * pair with accumulation across kernel planes, and copies the output out so the result never
 * aliases backend memory. With `out` the result lands in the caller's array instead of a fresh
 * one; it may even overlap the input, which is fully copied in before any output is written.
 */
export function runCorrelation(job: CorrelationJob, out?: FloatArray): FloatArray {
  const backend = current();
  const bytes = job.dtype === 'float64' ? 8 : 4;
  const [pd, ph, pw] = paddedShape(job.inputShape, job.padding);
  const [kd, kh, kw] = job.kernelShape;
  const [od, oh, ow] = jobOutputShape(job);
  const kernelSize = kd * kh * kw;
  const outSize = od * oh * ow;
  const [inPtr, kerPtr, outPtr] = backend.arena.reserve([pd * ph * pw * bytes, kernelSize * bytes, outSize * bytes]);
  const heap = backend.arena.view(job.dtype);

  padInto(job.input, job.inputShape, job.padding, heap, inPtr / bytes);
  writeKernel(heap, kerPtr / bytes, job.kernel, kernelSize, job.flipKernel);

  const correlate = job.dtype === 'float64' ? backend.correlateF64 : backend.correlateF32;
  const planeIn = ph * pw * bytes;
  const planeKer = kh * kw * bytes;
  const planeOut = oh * ow * bytes;
  for (let z = 0; z < od; z++) {
    for (let u = 0; u < kd; u++) {
      correlate(inPtr + (z + u) * planeIn, pw, kerPtr + u * planeKer, kh, kw, outPtr + z * planeOut, ow, oh, ow, u > 0 ? 1 : 0);
    }
  }
  const start = outPtr / bytes;
  if (!out) return copyOut(heap, start, outSize);
  out.set(heap.subarray(start, start + outSize));
  return out;
}

/** Reversing a dense C-order block's flat order rotates it 180° in every axis. */
function writeKernel(heap: FloatArray, at: number, kernel: NumericArray, n: number, flip: boolean): void {
  if (!flip) {
    heap.set(kernel.subarray(0, n), at);
    return;
  }
  for (let i = 0; i < n; i++) heap[at + i] = kernel[n - 1 - i];
}

export function to3d(shape: readonly number[]): Shape3 {
  const s = [1, 1, 1, ...shape].slice(-3);
  return [s[0], s[1], s[2]];
}

