// conv2d and conv1d as torch.nn.functional: validated and lowered to one layer job for the dense
// layer engine (engines/layer.ts; depthwise layers continue to engines/depthwise.ts).
import { fail } from '../core/errors';
import { dtypeOption, intOption, oneOf, optionsObject, tupleOption } from '../core/options';
import { borderOption, type PadMode } from '../core/padding';
import { resolveDType, toOperand, type DType, type FloatArray, type Operand, type Tensor, type TensorLike } from '../core/tensor';
import { runLayer } from '../engines/layer';
import type { LayerJob } from '../engines/layerJob';
import { axisNames, axisPads, convOutputSize, layerInput, layerOutputShape, paddingOption, shapeText, type LayerCall, type PaddingMode } from './shape';

export interface Conv2dOptions {
  /** [outC] added to every output channel. */
  bias?: TensorLike;
  /** Step of the window: one integer or [sH, sW]. Default 1. */
  stride?: number | number[];
  /** Zeros (or paddingMode samples) added on each side: an integer, [pH, pW], 'valid' (none) or 'same' (stride 1 only; an odd total puts the extra sample after). */
  padding?: number | number[] | 'same' | 'valid';
  /** Spacing between kernel taps: one integer or [dH, dW]. Default 1. */
  dilation?: number | number[];
  /** Input and output channels split into this many independent groups (groups = channels: depthwise). Default 1. */
  groups?: number;
  /** What the padding contains, as torch.nn.Conv2d's padding_mode. Default 'zeros'. */
  paddingMode?: PaddingMode;
  /** 'NCHW' (default, torch) or 'NHWC' (channels last, tfjs and images) for input and output; the weight stays [outC, inC / groups, kH, kW]. */
  layout?: 'NCHW' | 'NHWC';
  dtype?: DType;
}

export interface Conv1dOptions extends Omit<Conv2dOptions, 'layout'> {
  /** 'NCW' (default, torch) or 'NWC' (channels last, tfjs conv1d) for input and output; the weight stays [outC, inC / groups, k]. */
  layout?: 'NCW' | 'NWC';
}

/** Checks weight and bias against the input the way torch's convolution does and returns the kernel size. */
function checkWeight(call: LayerCall, weight: Operand, bias: Operand | null, dims: number, groups: number): number[] {
  const kernelNames = dims === 1 ? 'k' : 'kH, kW';
  if (weight.shape.length !== dims + 2) {
    fail('SHAPE', 'weight', `a ${dims + 2}-D array [outC, inC / groups, ${kernelNames}]`, `shape ${shapeText(weight.shape)}`);
  }
  const [outC, icg, ...kernel] = weight.shape;
  if (weight.size === 0) fail('SHAPE', 'weight', 'a non-empty array', `shape ${shapeText(weight.shape)}`);
  if (outC % groups !== 0) fail('SHAPE', 'weight', `outC (dimension 0) divisible by groups = ${groups}`, `shape ${shapeText(weight.shape)}`);
  if (call.channels !== icg * groups) {
    fail(
      'SHAPE',
      'weight',
      `inC / groups = ${call.channels} / ${groups} at dimension 1 for an input with ${call.channels} channels`,
      `shape ${shapeText(weight.shape)}${call.channels % groups ? ` (${call.channels} channels are not divisible by groups)` : ''}`,
    );
  }
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== outC)) {
    fail('SHAPE', 'options.bias', `shape [${outC}] (one per output channel)`, `shape ${shapeText(bias.shape)}`);
  }
  return kernel;
}

interface ConvParams {
  stride: number[];
  dilation: number[];
  pads: [number, number][];
}

function convParams(fn: string, opts: { stride?: unknown; dilation?: unknown; padding?: unknown }, spatial: number[], kernel: number[], dims: number): ConvParams {
  const stride = tupleOption('options.stride', opts.stride, 1, dims, 1);
  const dilation = tupleOption('options.dilation', opts.dilation, 1, dims, 1);
  const padding = paddingOption('options.padding', opts.padding, dims);
  if (padding === 'same' && stride.some((s) => s !== 1)) {
    fail('OPTION', 'options.padding', `'same' only with stride 1 (as torch: not supported for strided convolutions)`, `stride [${stride.join(', ')}]`);
  }
  const pads = kernel.map((k, a) => axisPads(padding, a, k, dilation[a]));
  const names = axisNames(dims);
  spatial.forEach((n, a) => {
    const reach = dilation[a] * (kernel[a] - 1) + 1;
    if (n + pads[a][0] + pads[a][1] < reach) {
      fail('SHAPE', 'weight', `a kernel whose dilated ${names[a]} (${reach}) fits the padded input ${names[a]} (${n + pads[a][0] + pads[a][1]}) in ${fn}`, `shape ${shapeText([...kernel])}`);
    }
  });
  return { stride, dilation, pads };
}

/** torch refuses reflect padding as wide as the input, and circular padding wider than it. */
function checkPaddingMode(mode: PadMode, spatial: number[], pads: [number, number][], dims: number): void {
  const names = axisNames(dims);
  spatial.forEach((n, a) => {
    const p = Math.max(...pads[a]);
    if (mode === 'reflect' && p >= n) fail('OPTION', 'options.padding', `less than the input ${names[a]} (${n}) with paddingMode 'reflect'`, p);
    if (mode === 'wrap' && p > n) fail('OPTION', 'options.padding', `at most the input ${names[a]} (${n}) with paddingMode 'circular'`, p);
  });
}

/** A forward layer call validated and lowered: the job, the call it came from and the result's shape. */
export interface ConvLowering {
  job: LayerJob;
  call: LayerCall;
  /** The output in the caller's layout and batching. */
  shape: number[];
}

/** Validates a conv1d/conv2d call as torch does and lowers it to a layer job. */
export function lowerConv(
  fn: string,
  dims: 1 | 2,
  x: Operand,
  w: Operand,
  b: Operand | null,
  opts: Partial<Omit<Conv2dOptions, 'layout' | 'bias' | 'paddingMode'>> & { layout?: unknown; paddingMode?: unknown },
): ConvLowering {
  const dtype = resolveDType(
    dtypeOption('options.dtype', opts.dtype),
    { name: 'input', op: x },
    { name: 'weight', op: w },
    ...(b ? [{ name: 'options.bias', op: b }] : []),
  );
  const layouts = dims === 1 ? (['NCW', 'NWC'] as const) : (['NCHW', 'NHWC'] as const);
  const layout = oneOf<string>('options.layout', opts.layout, layouts, layouts[0]);
  const call = layerInput(fn, x, dims, layout === layouts[1], dtype);
  const groups = intOption('options.groups', opts.groups, 1, 1);
  const kernel = checkWeight(call, w, b, dims, groups);
  const spatial = dims === 1 ? [call.size[1]] : call.size;
  const params = convParams(fn, opts, spatial, kernel, dims);
  const padMode = borderOption('options.paddingMode', opts.paddingMode, 'torch', 'zeros');
  checkPaddingMode(padMode, spatial, params.pads, dims);
  const out = spatial.map((n, a) => convOutputSize(n, kernel[a], params.stride[a], params.dilation[a], params.pads[a]));

  const two = <T>(v: T[], one: T): [T, T] => (dims === 1 ? [one, v[0]] : [v[0], v[1]]);
  const [padH, padW] = two(params.pads, [0, 0] as [number, number]);
  const [kh, kw] = two(kernel, 1);
  const [outH, outW] = two(out, 1);
  const job: LayerJob = {
    dtype,
    input: x.data,
    batch: call.batch,
    channels: call.channels,
    height: call.size[0],
    width: call.size[1],
    layout: call.channelsLast ? 'NHWC' : 'NCHW',
    pad: { top: padH[0], bottom: padH[1], left: padW[0], right: padW[1] },
    padMode,
    inputDilation: [1, 1],
    weight: w.data,
    outC: w.shape[0],
    kh,
    kw,
    groups,
    bias: b ? b.data : null,
    stride: two(params.stride, 1),
    dilation: two(params.dilation, 1),
    outH,
    outW,
  };
  return { job, call, shape: layerOutputShape(call, job.outC, out) };
}

function convForward(fn: string, dims: 1 | 2, input: TensorLike, weight: TensorLike, options: Conv2dOptions | Conv1dOptions | undefined): Tensor {
  const opts = optionsObject('options', options, 'conv');
  const x = toOperand('input', input);
  const w = toOperand('weight', weight);
  const b = opts.bias === undefined ? null : toOperand('options.bias', opts.bias);
  const { job, shape } = lowerConv(fn, dims, x, w, b, opts);
  const data: FloatArray = runLayer(job);
  return { data, shape };
}

/**
 * 2-D convolution layer as torch.nn.functional.conv2d: cross-correlation (the kernel is not
 * flipped) of an [N, C, H, W] or [C, H, W] input with weight [outC, C / groups, kH, kW],
 * summed over each group's input channels, plus bias.
 */
export function conv2d(input: TensorLike, weight: TensorLike, options?: Conv2dOptions): Tensor<FloatArray> {
  return convForward('conv2d', 2, input, weight, options);
}

/** 1-D convolution layer as torch.nn.functional.conv1d: input [N, C, L] or [C, L], weight [outC, C / groups, k]. */
export function conv1d(input: TensorLike, weight: TensorLike, options?: Conv1dOptions): Tensor<FloatArray> {
  return convForward('conv1d', 1, input, weight, options);
}
