// 'direct' or 'fft': the plane engine sums every tap, the FFT engine convolves tiles in the
// frequency domain. chooseConvMethod prices both with this engine's measured costs and picks the
// cheaper; 'auto' runs what it picks, and falls back to the direct sum where an FFT result holds
// NaN or an infinity (a transform spreads one non-finite sample over its whole tile).
import { fail } from '../core/errors';
import { dtypeOption, oneOf, optionsObject } from '../core/options';
import { paddedShape } from '../core/padding';
import { resolveDType, toOperand, type FloatArray, type TensorLike } from '../core/tensor';
import { fftTiling, runFftCorrelation } from '../engines/fft';
import { runCorrelation, type CorrelationJob } from '../engines/plane';
import { current } from '../runtime/backend';
import { MODES, checkSignalShapes, sameCentreOf, signalGeometry, type Mode } from './shape';

export type Method = 'auto' | 'direct' | 'fft';
export const METHODS: readonly Method[] = ['auto', 'direct', 'fft'];

/**
 * The direct engine's measured cost (bench/calibrate.mjs, nanoseconds): per output and tap of
 * the kernel, and per output (the copies in and out and the frame of padded strips).
 */
export const DIRECT_COST = {
  wasm: { float32: { perTap: 0.066, perOutput: 1.7 }, float64: { perTap: 0.124, perOutput: 2.6 } },
  js: { float32: { perTap: 2.2, perOutput: 13 }, float64: { perTap: 2.2, perOutput: 13 } },
} as const;

/** Estimated milliseconds of the direct sum of a job. */
export function directCost(job: CorrelationJob, backend: 'wasm' | 'js'): number {
  const c = DIRECT_COST[backend][job.dtype];
  const p = paddedShape(job.inputShape, job.padding);
  const outputs = p.reduce((s, n, a) => s * (n - job.kernelShape[a] + 1), 1);
  const taps = job.kernelShape[0] * job.kernelShape[1] * job.kernelShape[2];
  return outputs * (taps * c.perTap + c.perOutput) * 1e-6;
}

/** 'direct' or 'fft' for a job on the current backend: whichever the cost models price lower. */
export function methodOf(job: CorrelationJob): 'direct' | 'fft' {
  const backend = current().name === 'js' ? 'js' : 'wasm';
  // A tiny kernel is never worth a transform; skip pricing one.
  if (job.kernelShape[0] * job.kernelShape[1] * job.kernelShape[2] <= 9) return 'direct';
  return fftTiling(job).cost < directCost(job, backend) ? 'fft' : 'direct';
}

/** Runs a job by `method` ('auto' as methodOf says, falling back to direct on a non-finite FFT result). */
export function runJob(job: CorrelationJob, method: Method, out?: FloatArray): FloatArray {
  const chosen = method === 'auto' ? methodOf(job) : method;
  if (chosen === 'direct') return runCorrelation(job, out);
  if (method === 'fft') return runFftCorrelation(job, out);
  return runFftCorrelation({ ...job, finiteOnly: true }, out) ?? runCorrelation(job, out);
}

/**
 * scipy.signal.choose_conv_method: 'direct' or 'fft' for convolve/correlate(in1, in2, { mode }),
 * from this engine's own measured costs of both methods on the current backend (not scipy's
 * constants). Inputs with NaN or infinities still get 'fft' where it is cheaper; 'auto' itself
 * falls back to the direct sum when the FFT result is not finite.
 */
export function chooseConvMethod(in1: TensorLike, in2: TensorLike, options?: { mode?: Mode; dtype?: 'float32' | 'float64' }): 'direct' | 'fft' {
  const opts = optionsObject('options', options);
  const a = toOperand('in1', in1);
  const b = toOperand('in2', in2);
  checkSignalShapes('chooseConvMethod', false, a.shape, b.shape);
  const mode = oneOf('options.mode', opts.mode, MODES, 'full');
  const dtype = resolveDType(dtypeOption('options.dtype', opts.dtype), { name: 'in1', op: a }, { name: 'in2', op: b });
  const g = signalGeometry('chooseConvMethod', 'convolve', a.shape, b.shape, mode, sameCentreOf('convolve'));
  const [image, kernel] = g.swapped ? [b, a] : [a, b];
  const to3 = (s: readonly number[], fill: number) => [fill, fill, fill, ...s].slice(-3) as [number, number, number];
  if (image.shape.length > 3) fail('SHAPE', 'in1', 'a 1-D, 2-D or 3-D array', `${image.shape.length} dimensions`);
  return methodOf({
    dtype,
    input: image.data,
    inputShape: to3(image.shape, 1),
    padding: { before: to3(g.before, 0), after: to3(g.after, 0), mode: 'constant', value: 0 },
    kernel: kernel.data,
    kernelShape: to3(kernel.shape, 1),
    flipKernel: true,
  });
}
