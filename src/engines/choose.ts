// Direct sum or FFT for a correlation job: both engines priced by their measured costs (the FFT
// plan's own estimate, and the direct sum's per-tap cost below), the cheaper one chosen.
import { paddedShape } from '../core/padding';
import { current } from '../runtime/backend';
import { fftTiling } from './fft';
import type { CorrelationJob } from './plane';

/**
 * The direct engines' measured cost (bench/calibrate.mjs, in the units of the FFT model's
 * nanoseconds, so that only the two models' ratio matters): per output and tap of the kernel,
 * per output (the copies in and out and the frame of padded strips), per tap of an output
 * whose window reaches past the input's edge (those run over narrow padded strips, where the
 * vector lanes and loops are short), and per call in ms.
 */
export const DIRECT_COST = {
  wasm: { float32: { perTap: 0.093, perOutput: 1.6, perEdgeTap: 0.08, perCall: 0.005 }, float64: { perTap: 0.15, perOutput: 3, perEdgeTap: 0.12, perCall: 0.005 } },
  // A fused multiply-add per tap: about 0.7 of the plain build's time per tap (bench/kernel.mjs).
  'wasm-relaxed': { float32: { perTap: 0.065, perOutput: 1.6, perEdgeTap: 0.06, perCall: 0.005 }, float64: { perTap: 0.105, perOutput: 3, perEdgeTap: 0.09, perCall: 0.005 } },
  js: { float32: { perTap: 2.2, perOutput: 13, perEdgeTap: 0.5, perCall: 0.02 }, float64: { perTap: 2.2, perOutput: 13, perEdgeTap: 0.5, perCall: 0.02 } },
} as const;

/** Estimated milliseconds of summing a job directly with `taps` taps per output (default: the kernel's). */
export function directCost(job: CorrelationJob, backend: keyof typeof DIRECT_COST, taps = job.kernelShape[0] * job.kernelShape[1] * job.kernelShape[2]): number {
  const c = DIRECT_COST[backend][job.dtype];
  const p = paddedShape(job.inputShape, job.padding);
  const outputs = p.reduce((s, n, a) => s * (n - job.kernelShape[a] + 1), 1);
  const inside = job.inputShape.reduce((s, n, a) => s * Math.max(0, n - job.kernelShape[a] + 1), 1);
  const edge = Math.max(0, outputs - inside);
  return (outputs * (taps * c.perTap + c.perOutput) + edge * taps * c.perEdgeTap) * 1e-6 + c.perCall;
}

/**
 * 'direct' or 'fft' for `count` problems of this job's shape on the current backend, whichever
 * is priced lower; `taps` is what the direct path sums per output (fewer than the kernel's for
 * two separable passes).
 */
export function chooseEngine(job: CorrelationJob, count = 1, taps?: number): 'direct' | 'fft' {
  const name = current().name;
  const backend = name === 'js' ? 'js' : name === 'wasm-relaxed-simd' ? 'wasm-relaxed' : 'wasm';
  // A tiny kernel is never worth a transform; skip pricing one.
  if (job.kernelShape[0] * job.kernelShape[1] * job.kernelShape[2] <= 9) return 'direct';
  return fftTiling(job).cost * count < directCost(job, backend, taps) * count ? 'fft' : 'direct';
}
