// conv2dBackward: the gradients of conv2d as torch autograd computes them. Both are layer jobs
// for the dense layer engine (engines/layer.ts): the input gradient is a transposed convolution
// of gradOutput folded back through the padding, the weight gradient a convolution of the input
// with gradOutput as its kernel.
import { fail } from '../core/errors';
import { optionsObject } from '../core/options';
import { foldPadding } from '../core/padding';
import { swapAxes, toChannelsFirst } from '../core/channels';
import { allocFloat, toOperand, type FloatArray, type NumericArray, type Tensor, type TensorLike } from '../core/tensor';
import { runLayer } from '../engines/layer';
import { paddedSize, type LayerJob } from '../engines/layerJob';
import { lowerConv, type Conv2dOptions } from './conv';
import { transposedJob } from './convTranspose2d';
import { layerInput, shapeText } from './shape';

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
 * Weight gradient of the forward layer `job` given gradOutput `grad` (channels first, [N, outC, outH, outW]):
 *   gradW[oc, ic, ky, kx] = sum_n sum_(oy, ox) grad[n, oc, oy, ox] * xpad[n, ic, oy*sH + ky*dH, ox*sW + kx*dW].
 * For each group that is a layer whose batch items are the group's input channels, whose
 * channels are the batch items, whose kernel is gradOutput and whose output is the kh x kw
 * kernel positions: forward stride and dilation trade places.
 */
function weightGradient(job: LayerJob, x: NumericArray, grad: NumericArray): FloatArray {
  const { batch: N, channels: C, groups, kh, kw } = job;
  const inSize = job.height * job.width;
  const outSize = job.outH * job.outW;
  const icg = C / groups;
  const ocg = job.outC / groups;
  // Per input channel all batch items ([C, N, H, W]), per output channel all of gradOutput's ([outC, N, ...]).
  const planes = N === 1 ? x : swapAxes(x, 1, N, C, inSize);
  const kernels = N === 1 ? grad : swapAxes(grad, 1, N, job.outC, outSize);
  const gradW = allocFloat(job.dtype, job.outC * icg * kh * kw);
  for (let g = 0; g < groups; g++) {
    const item = N * inSize;
    const result = runLayer({
      ...job,
      input: planes.subarray(g * icg * item, (g + 1) * icg * item),
      batch: icg,
      channels: N,
      layout: 'NCHW',
      weight: kernels.subarray(g * ocg * N * outSize, (g + 1) * ocg * N * outSize),
      outC: ocg,
      kh: job.outH,
      kw: job.outW,
      groups: 1,
      bias: null,
      stride: job.dilation,
      dilation: job.stride,
      outH: kh,
      outW: kw,
    });
    // result [icg, ocg, kh, kw] -> gradW[g * ocg + o, i, :, :]
    const k = kh * kw;
    for (let i = 0; i < icg; i++) {
      for (let o = 0; o < ocg; o++) gradW.set(result.subarray((i * ocg + o) * k, (i * ocg + o + 1) * k), ((g * ocg + o) * icg + i) * k);
    }
  }
  return gradW;
}

/**
 * Gradients of conv2d(input, weight, options) given gradOutput = dL/doutput, as torch autograd
 * computes them. The forward pass slides the kernel unflipped (cross-correlation); its input
 * gradient slides it flipped over the zero-stuffed gradOutput (true convolution), and its
 * weight gradient correlates the input with gradOutput.
 */
export function conv2dBackward(gradOutput: TensorLike, input: TensorLike, weight: TensorLike, options?: Conv2dBackwardOptions): Conv2dGradients {
  const opts = optionsObject('options', options, 'conv');
  const g = toOperand('gradOutput', gradOutput);
  const x = toOperand('input', input);
  const w = toOperand('weight', weight);
  const { bias: _bias, ...convOpts } = opts;
  // A bias tensor is checked as the forward pass checks it (one per output channel).
  const given = typeof opts.bias === 'boolean' || opts.bias === undefined ? null : toOperand('options.bias', opts.bias);
  const hasBias = given !== null || opts.bias === true;
  const { job, call, shape } = lowerConv('conv2dBackward', 2, x, w, given, convOpts);
  if (g.shape.length !== shape.length || g.shape.some((n, i) => n !== shape[i])) {
    fail('SHAPE', 'gradOutput', `the forward output's shape ${shapeText(shape)}`, `shape ${shapeText(g.shape)}`);
  }
  const { dtype, batch: N, channels: C, outC, outH, outW } = job;
  const { paddedH, paddedW } = paddedSize(job);
  const inSize = job.height * job.width;
  const outSize = outH * outW;

  // Gradient with respect to the padded input (the transposed convolution of gradOutput, in the
  // caller's layout), then folded back onto the samples the padding copied.
  const gradCall = layerInput('conv2dBackward', g, 2, call.channelsLast, dtype);
  const extra = (n: number, k: number, a: 0 | 1) => (n - job.dilation[a] * (k - 1) - 1) % job.stride[a];
  const gradPadded = runLayer(
    transposedJob(gradCall, w, null, {
      stride: job.stride,
      padding: [0, 0],
      outputPadding: [extra(paddedH, job.kh, 0), extra(paddedW, job.kw, 1)],
      dilation: job.dilation,
      groups: job.groups,
    }),
  );
  const gradIn = allocFloat(dtype, N * C * inSize);
  const [planes, elem] = call.channelsLast ? [N, C] : [N * C, 1];
  foldPadding(gradPadded, planes, job.height, job.width, job.pad.top, job.pad.left, paddedH, paddedW, job.padMode, gradIn, elem);

  // The weight gradient reads channels-first planes.
  const xFirst = call.channelsLast ? toChannelsFirst(x.data, N, C, inSize) : x.data;
  const gFirst = call.channelsLast ? toChannelsFirst(g.data, N, outC, outSize) : g.data;
  const gradW = weightGradient(job, xFirst, gFirst);

  let gradBias: Tensor<FloatArray> | null = null;
  if (hasBias) {
    const sums = allocFloat(dtype, outC);
    for (let c = 0; c < outC; c++) {
      let s = 0;
      for (let n = 0; n < N; n++) {
        const from = (n * outC + c) * outSize;
        for (let i = 0; i < outSize; i++) s += gFirst[from + i];
      }
      sums[c] = s;
    }
    gradBias = { data: sums, shape: [outC] };
  }
  return {
    gradInput: { data: gradIn, shape: x.shape.slice() },
    gradWeight: { data: gradW, shape: w.shape.slice() },
    gradBias,
  };
}
