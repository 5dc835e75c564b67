import { convGeometry, runConvLayer, type ConvLayerJob } from './convlayer';
import { fail } from './errors';
import { axisNames, axisPads, intOption, paddingOption, PADDING_MODES, tupleOption, type PaddingMode } from './nnOptions';
import { oneOf, optionsObject } from './options';
import { checkDType, resolveDType, toOperand, type DType, type FloatArray, type Operand, type Tensor, type TensorLike } from './tensor';

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

const PADDING_MODE_NAMES = Object.keys(PADDING_MODES) as PaddingMode[];

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

/** A validated layer call in 2-D form (1-D layers have height 1): what conv2d and its relatives share. */
export interface LayerCall {
  dtype: DType;
  input: Operand;
  batched: boolean;
  channelsLast: boolean;
  batch: number;
  channels: number;
  /** Spatial size, [height, width] (height 1 for 1-D). */
  size: [number, number];
}

/**
 * Reads an NC(H)W or N(H)WC input of `dims` spatial axes, batched or not, as torch's
 * conv and pooling functions accept it.
 */
export function layerInput(fn: string, input: Operand, dims: number, channelsLast: boolean, dtype: DType): LayerCall {
  const rank = input.shape.length;
  if (rank !== dims + 1 && rank !== dims + 2) {
    const names = dims === 1 ? ['2-D', '3-D'] : ['3-D', '4-D'];
    fail('SHAPE', 'input', `a ${names[0]} (unbatched) or ${names[1]} (batched) array for ${fn}`, `shape ${shapeText(input.shape)}`);
  }
  if (input.size === 0) fail('SHAPE', 'input', 'a non-empty array', `shape ${shapeText(input.shape)}`);
  const batched = rank === dims + 2;
  const s = batched ? input.shape : [1, ...input.shape];
  const channels = channelsLast ? s[s.length - 1] : s[1];
  const spatial = channelsLast ? s.slice(1, -1) : s.slice(2);
  const size: [number, number] = dims === 1 ? [1, spatial[0]] : [spatial[0], spatial[1]];
  return { dtype, input, batched, channelsLast, batch: s[0], channels, size };
}

/** Output tensor shape in the caller's layout and batching. */
export function layerOutputShape(call: LayerCall, channels: number, size: readonly number[]): number[] {
  const shape = call.channelsLast ? [call.batch, ...size, channels] : [call.batch, channels, ...size];
  return call.batched ? shape : shape.slice(1);
}

interface ConvParams {
  stride: number[];
  dilation: number[];
  pads: [number, number][];
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

function convParams(fn: string, opts: { stride?: unknown; dilation?: unknown; padding?: unknown }, call: LayerCall, kernel: number[], dims: number): ConvParams {
  const stride = tupleOption('options.stride', opts.stride, 1, dims, 1);
  const dilation = tupleOption('options.dilation', opts.dilation, 1, dims, 1);
  const padding = paddingOption('options.padding', opts.padding, dims);
  if (padding === 'same' && stride.some((s) => s !== 1)) {
    fail('OPTION', 'options.padding', `'same' only with stride 1 (as torch: not supported for strided convolutions)`, `stride [${stride.join(', ')}]`);
  }
  const pads = kernel.map((k, a) => axisPads(padding, a, k, dilation[a]));
  const spatial = dims === 1 ? [call.size[1]] : call.size;
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
function checkPaddingMode(mode: PaddingMode, call: LayerCall, pads: [number, number][], dims: number): void {
  const spatial = dims === 1 ? [call.size[1]] : call.size;
  const names = axisNames(dims);
  spatial.forEach((n, a) => {
    const p = Math.max(...pads[a]);
    if (mode === 'reflect' && p >= n) fail('OPTION', 'options.padding', `less than the input ${names[a]} (${n}) with paddingMode 'reflect'`, p);
    if (mode === 'circular' && p > n) fail('OPTION', 'options.padding', `at most the input ${names[a]} (${n}) with paddingMode 'circular'`, p);
  });
}

/** A forward layer call validated and lowered: the job, and the call it came from. */
export interface ConvLowering {
  job: ConvLayerJob;
  call: LayerCall;
  weight: Operand;
  dims: 1 | 2;
}

/** Validates a conv1d/conv2d call as torch does and lowers it to a layer job. */
export function lowerConv(
  fn: string,
  dims: 1 | 2,
  input: Operand,
  weight: Operand,
  bias: Operand | null,
  opts: Partial<Omit<Conv2dOptions, 'layout' | 'bias'>> & { layout?: unknown },
): ConvLowering {
  const x = input;
  const w = weight;
  const b = bias;
  const dtype = resolveDType(
    checkDType('options.dtype', opts.dtype),
    { name: 'input', op: x },
    { name: 'weight', op: w },
    ...(b ? [{ name: 'options.bias', op: b }] : []),
  );
  const layouts = dims === 1 ? (['NCW', 'NWC'] as const) : (['NCHW', 'NHWC'] as const);
  const layout = oneOf<string>('options.layout', opts.layout, layouts, layouts[0]);
  const call = layerInput(fn, x, dims, layout === layouts[1], dtype);
  const groups = intOption('options.groups', opts.groups, 1, 1);
  const kernel = checkWeight(call, w, b, dims, groups);
  const params = convParams(fn, opts, call, kernel, dims);
  const paddingMode = oneOf('options.paddingMode', opts.paddingMode, PADDING_MODE_NAMES, 'zeros');
  checkPaddingMode(paddingMode, call, params.pads, dims);

  const two = <T>(v: T[], one: T): [T, T] => (dims === 1 ? [one, v[0]] : [v[0], v[1]]);
  const [padH, padW] = two(params.pads, [0, 0] as [number, number]);
  const [kh, kw] = two(kernel, 1);
  const job: ConvLayerJob = {
    dtype,
    input: x.data,
    batch: call.batch,
    channels: call.channels,
    height: call.size[0],
    width: call.size[1],
    layout: call.channelsLast ? 'NHWC' : 'NCHW',
    pad: { top: padH[0], bottom: padH[1], left: padW[0], right: padW[1] },
    padMode: PADDING_MODES[paddingMode],
    inputDilation: [1, 1],
    weight: w.data,
    outC: w.shape[0],
    kh,
    kw,
    groups,
    bias: b ? b.data : null,
    stride: two(params.stride, 1),
    dilation: two(params.dilation, 1),
  };
  return { job, call, weight: w, dims };
}

/** The spatial output size of a lowered call, [outW] for 1-D or [outH, outW]. */
export function loweredOutputSize(l: ConvLowering): number[] {
  const { outH, outW } = convGeometry(l.job);
  return l.dims === 1 ? [outW] : [outH, outW];
}

function convForward(fn: string, dims: 1 | 2, input: TensorLike, weight: TensorLike, options: Conv2dOptions | Conv1dOptions | undefined): Tensor {
  const opts = optionsObject('options', options);
  const x = toOperand('input', input);
  const w = toOperand('weight', weight);
  const b = opts.bias === undefined ? null : toOperand('options.bias', opts.bias);
  const lowered = lowerConv(fn, dims, x, w, b, opts);
  const data: FloatArray = runConvLayer(lowered.job);
  return { data, shape: layerOutputShape(lowered.call, lowered.job.outC, loweredOutputSize(lowered)) };
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

