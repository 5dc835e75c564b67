// 'direct' or 'fft': the plane engine sums every tap, the FFT engine convolves tiles in the
// frequency domain. chooseConvMethod prices both with this engine's measured costs
// (engines/choose.ts) and picks the cheaper; 'auto' runs what it picks, and falls back to the
// direct sum where an FFT result holds NaN or an infinity (a transform spreads one non-finite
// sample over its whole tile).
import { fail } from '../core/errors';
import { dtypeOption, oneOf, optionsObject } from '../core/options';
import { resolveDType, toOperand, type FloatArray, type TensorLike } from '../core/tensor';
import { chooseEngine } from '../engines/choose';
import { runFftCorrelation } from '../engines/fft';
import { runCorrelation, type CorrelationJob } from '../engines/plane';
import { MODES, checkSignalShapes, sameCentreOf, signalGeometry, type Mode } from './shape';

export type Method = 'auto' | 'direct' | 'fft';
export const METHODS: readonly Method[] = ['auto', 'direct', 'fft'];

/** Runs a job by `method` ('auto' as chooseEngine says, falling back to direct on a non-finite FFT result). */
export function runJob(job: CorrelationJob, method: Method, out?: FloatArray): FloatArray {
  const chosen = method === 'auto' ? chooseEngine(job) : method;
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
  const opts = optionsObject('options', options, 'method');
  const a = toOperand('in1', in1);
  const b = toOperand('in2', in2);
  checkSignalShapes('chooseConvMethod', false, a.shape, b.shape);
  const mode = oneOf('options.mode', opts.mode, MODES, 'full');
  const dtype = resolveDType(dtypeOption('options.dtype', opts.dtype), { name: 'in1', op: a }, { name: 'in2', op: b });
  const g = signalGeometry('chooseConvMethod', 'convolve', a.shape, b.shape, mode, sameCentreOf('convolve'));
  const [image, kernel] = g.swapped ? [b, a] : [a, b];
  const to3 = (s: readonly number[], fill: number) => [fill, fill, fill, ...s].slice(-3) as [number, number, number];
  if (image.shape.length > 3) fail('SHAPE', 'in1', 'a 1-D, 2-D or 3-D array', image.shape);
  return chooseEngine({
    dtype,
    input: image.data,
    inputShape: to3(image.shape, 1),
    padding: { before: to3(g.before, 0), after: to3(g.after, 0), mode: 'constant', value: 0 },
    kernel: kernel.data,
    kernelShape: to3(kernel.shape, 1),
    flipKernel: true,
  });
}
