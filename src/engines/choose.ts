// Direct sum or FFT for a correlation job: both engines priced by their measured costs (the FFT
// plan's own estimate, and the direct sum's per-tap cost below), the cheaper one chosen.
import { paddedShape } from '../core/padding';
import { current } from '../runtime/backend';
import { fftTiling } from './fft';
import type { CorrelationJob } from './plane';

/**
 * The direct engines' measured cost (bench/calibrate.mjs, nanoseconds): per output and tap of
 * the kernel, and per output (the copies in and out and the frame of padded strips).
 */
export const DIRECT_COST = {
  wasm: { float32: { perTap: 0.066, perOutput: 1.7 }, float64: { perTap: 0.124, perOutput: 2.6 } },
  js: { float32: { perTap: 2.2, perOutput: 13 }, float64: { perTap: 2.2, perOutput: 13 } },
} as const;

/** Estimated milliseconds of summing a job directly with `taps` taps per output (default: the kernel's). */
export function directCost(job: CorrelationJob, backend: 'wasm' | 'js', taps = job.kernelShape[0] * job.kernelShape[1] * job.kernelShape[2]): number {
  const c = DIRECT_COST[backend][job.dtype];
  const p = paddedShape(job.inputShape, job.padding);
  const outputs = p.reduce((s, n, a) => s * (n - job.kernelShape[a] + 1), 1);
  return outputs * (taps * c.perTap + c.perOutput) * 1e-6;
}

/**
 * 'direct' or 'fft' for `count` problems of this job's shape on the current backend, whichever
 * is priced lower; `taps` is what the direct path sums per output (fewer than the kernel's for
 * two separable passes).
 */
export function chooseEngine(job: CorrelationJob, count = 1, taps?: number): 'direct' | 'fft' {
  const backend = current().name === 'js' ? 'js' : 'wasm';
  // A tiny kernel is never worth a transform; skip pricing one.
  if (job.kernelShape[0] * job.kernelShape[1] * job.kernelShape[2] <= 9) return 'direct';
  return fftTiling(job).cost * count < directCost(job, backend, taps) * count ? 'fft' : 'direct';
}
