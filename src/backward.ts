import { convGeometry, runWeightGradient } from './convlayer';
import { fail } from './errors';
import { toChannelsFirst, toChannelsLast } from './layout';
import { layerOutputShape, lowerConv, loweredOutputSize, type Conv2dOptions } from './nn';
import { optionsObject } from './options';
import { foldPadding } from './padding';
import { allocFloat, toOperand, type FloatArray, type Tensor, type TensorLike } from './tensor';
import { runTransposedConv } from './transpose';

export interface Conv2dBackwardOptions extends Omit<Conv2dOptions, 'bias'> {
  /** Whether the forward pass had a bias (a bias tensor counts as true): then gradBias is computed. Default false. */
  bias?: boolean | TensorLike;
}

export interface Conv2dGradients {
  /** dL/dinput, the input's shape: the full convolution of gradOutput with the kernel (transposed convolution). */
  gradInput: Tensor<FloatArray>;
  /** dL/dweight, the weight's shape: the cross-correlation of the padded input with gradOutput. */
  gradWeight: Tensor<FloatArray>;
  /** dL/dbias [outC]: gradOutput summed over batch and positions; null without a bias. */
  gradBias: Tensor<FloatArray> | null;
}

/**
 * Gradients of conv2d(input, weight, options) given gradOutput = dL/doutput, as torch autograd
 * computes them. The forward pass slides the kernel unflipped (cross-correlation); its input
 * gradient slides it flipped over the zero-stuffed gradOutput (true convolution), and its
 * weight gradient correlates the input with gradOutput.
 */
export function conv2dBackward(
  gradOutput: TensorLike,
  input: TensorLike,
  weight: TensorLike,
  options?: Conv2dBackwardOptions,
): Conv2dGradients {
  const opts = optionsObject('options', options);
  const g = toOperand('gradOutput', gradOutput);
  const x = toOperand('input', input);
  const w = toOperand('weight', weight);
  const hasBias = opts.bias !== undefined && opts.bias !== false;
  const { bias: _bias, ...convOpts } = opts;
  const lowered = lowerConv('conv2dBackward', 2, x, w, null, convOpts);
  const { job, call } = lowered;
  const outShape = layerOutputShape(call, job.outC, loweredOutputSize(lowered));
  if (g.shape.length !== outShape.length || g.shape.some((n, i) => n !== outShape[i])) {
    fail('SHAPE', 'gradOutput', `the forward output's shape [${outShape.join(', ')}]`, `shape [${g.shape.join(', ')}]`);
  }
  const dtype = job.dtype;
  const { paddedH, paddedW, outH, outW } = convGeometry(job);
  const inSize = job.height * job.width;
  const outSize = outH * outW;
  // The gradients are computed channels first.
  const grad = call.channelsLast ? toChannelsFirst(g.data, job.batch, job.outC, outSize) : g.data;
  const nchwJob = call.channelsLast ? { ...job, layout: 'NCHW' as const, input: toChannelsFirst(x.data, job.batch, job.channels, inSize) } : job;

  // Gradient with respect to the padded input, then folded back onto the samples padding copied.
  const gradPadded = runTransposedConv({
    dtype,
    input: grad,
    batch: job.batch,
    channels: job.outC,
    height: outH,
    width: outW,
    weight: w.data,
    outPerGroup: job.channels / job.groups,
    kh: job.kh,
    kw: job.kw,
    groups: job.groups,
    bias: null,
    stride: job.stride,
    dilation: job.dilation,
    cropBefore: [0, 0],
    outH: paddedH,
    outW: paddedW,
  });
  let gradIn = allocFloat(dtype, job.batch * job.channels * inSize);
  foldPadding(gradPadded, job.batch * job.channels, job.height, job.width, job.pad.top, job.pad.left, paddedH, paddedW, job.padMode, gradIn);
  if (call.channelsLast) gradIn = toChannelsLast(gradIn, job.batch, job.channels, inSize);

  const gradW = runWeightGradient(nchwJob, grad);

  let gradBias: Tensor<FloatArray> | null = null;
  if (hasBias) {
    const sums = allocFloat(dtype, job.outC);
    for (let c = 0; c < job.outC; c++) {
      let s = 0;
      for (let n = 0; n < job.batch; n++) {
        const from = (n * job.outC + c) * outSize;
        for (let i = 0; i < outSize; i++) s += grad[from + i];
      }
      sums[c] = s;
    }
    gradBias = { data: sums, shape: [job.outC] };
  }
  return {
    gradInput: { data: gradIn, shape: x.shape.slice() },
    gradWeight: { data: gradW, shape: w.shape.slice() },
    gradBias,
  };
}
