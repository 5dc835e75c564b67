// convTranspose2d as torch.nn.functional.conv_transpose2d, lowered to the ordinary layer job in
// the caller's layout (engines/layer.ts): the plain convolution, with the flipped and transposed
// kernel, of the input with stride - 1 zeros stuffed between its samples.
import { fail } from '../core/errors';
import { dtypeOption, intOption, oneOf, optionsObject, tupleOption } from '../core/options';
import { allocFloat, resolveDType, toOperand, type DType, type FloatArray, type NumericArray, type Operand, type Tensor, type TensorLike } from '../core/tensor';
import { runLayer } from '../engines/layer';
import type { LayerJob } from '../engines/layerJob';
import { layerInput, layerOutputShape, shapeText, transposedOutputSize, type LayerCall } from './shape';

export interface ConvTranspose2dOptions {
  /** [outC] added to every output channel. */
  bias?: TensorLike;
  /** Spacing of the input samples in the output: one integer or [sH, sW]. Default 1. */
  stride?: number | number[];
  /** dilation * (k - 1) - padding zeros are added to each side of the (stuffed) input: an integer or [pH, pW]. Default 0. */
  padding?: number | number[];
  /** Extra rows/columns on the bottom/right of the output (smaller than stride or dilation). Default 0. */
  outputPadding?: number | number[];
  groups?: number;
  dilation?: number | number[];
  /** 'NCHW' (default) or 'NHWC' for input and output; the weight stays [inC, outC / groups, kH, kW]. */
  layout?: 'NCHW' | 'NHWC';
  dtype?: DType;
}

/** A transposed convolution's parameters, per spatial axis. */
export interface TransposedParams {
  stride: readonly [number, number];
  padding: readonly [number, number];
  outputPadding: readonly [number, number];
  dilation: readonly [number, number];
  groups: number;
}

/**
 * Rotates each kernel 180° and swaps its channel axes within each group:
 * [inC, outC/g, kh, kw] -> [outC, inC/g, kh, kw], the weight of the equivalent plain convolution.
 */
function flippedTransposedWeight(dtype: DType, weight: NumericArray, shape: readonly number[], groups: number): FloatArray {
  const [inC, ocg, kh, kw] = shape;
  const icg = inC / groups;
  const k = kh * kw;
  const out = allocFloat(dtype, groups * ocg * icg * k);
  for (let g = 0; g < groups; g++) {
    for (let i = 0; i < icg; i++) {
      for (let o = 0; o < ocg; o++) {
        const from = ((g * icg + i) * ocg + o) * k;
        const to = ((g * ocg + o) * icg + i) * k;
        for (let j = 0; j < k; j++) out[to + j] = weight[from + k - 1 - j];
      }
    }
  }
  return out;
}

/**
 * The transposed convolution of `call`'s input with weight `w` ([inC, outC / groups, kH, kW]) as a
 * plain layer job in the caller's layout: the input with stride - 1 zeros between samples,
 * padded by dilation * (k - 1) - padding (negative: cropped), under the flipped transposed kernel.
 */
export function transposedJob(call: LayerCall, w: Operand, bias: NumericArray | null, p: TransposedParams): LayerJob {
  const [, ocg, kh, kw] = w.shape;
  const k = [kh, kw];
  const out = [0, 1].map((a) => transposedOutputSize(call.size[a], k[a], p.stride[a], p.padding[a], p.dilation[a], p.outputPadding[a]));
  const pads = [0, 1].map((a) => {
    const reach = p.dilation[a] * (k[a] - 1);
    const before = reach - p.padding[a];
    const stuffed = (call.size[a] - 1) * p.stride[a] + 1;
    return [before, out[a] + reach - stuffed - before];
  });
  return {
    dtype: call.dtype,
    input: call.input.data,
    batch: call.batch,
    channels: call.channels,
    height: call.size[0],
    width: call.size[1],
    layout: call.channelsLast ? 'NHWC' : 'NCHW',
    pad: { top: pads[0][0], bottom: pads[0][1], left: pads[1][0], right: pads[1][1] },
    padMode: 'constant',
    inputDilation: p.stride,
    weight: flippedTransposedWeight(call.dtype, w.data, w.shape, p.groups),
    outC: ocg * p.groups,
    kh,
    kw,
    groups: p.groups,
    bias,
    stride: [1, 1],
    dilation: p.dilation,
    outH: out[0],
    outW: out[1],
  };
}

interface TransposedLowering {
  call: LayerCall;
  params: TransposedParams;
  /** The output in the caller's layout and batching. */
  shape: number[];
}

/** Validates a convTranspose2d call as torch does and lowers it. */
function lowerTransposed(x: Operand, w: Operand, b: Operand | null, opts: Partial<Omit<ConvTranspose2dOptions, 'bias'>>): TransposedLowering {
  const dtype = resolveDType(
    dtypeOption('options.dtype', opts.dtype),
    { name: 'input', op: x },
    { name: 'weight', op: w },
    ...(b ? [{ name: 'options.bias', op: b }] : []),
  );
  const layout = oneOf('options.layout', opts.layout, ['NCHW', 'NHWC'] as const, 'NCHW');
  const call = layerInput('convTranspose2d', x, 2, layout === 'NHWC', dtype);
  const groups = intOption('options.groups', opts.groups, 1, 1);
  const pair = (name: string, value: unknown, fallback: number, min: number) => tupleOption(`options.${name}`, value, fallback, 2, min) as [number, number];
  const stride = pair('stride', opts.stride, 1, 1);
  const padding = pair('padding', opts.padding, 0, 0);
  const outputPadding = pair('outputPadding', opts.outputPadding, 0, 0);
  const dilation = pair('dilation', opts.dilation, 1, 1);
  if (w.shape.length !== 4 || w.size === 0) {
    fail('SHAPE', 'weight', 'a non-empty 4-D array [inC, outC / groups, kH, kW]', `shape ${shapeText(w.shape)}`);
  }
  const [inC, ocg, kh, kw] = w.shape;
  if (inC !== call.channels || inC % groups !== 0) {
    fail('SHAPE', 'weight', `dimension 0 equal to the input's ${call.channels} channels and divisible by groups = ${groups}`, `shape ${shapeText(w.shape)}`);
  }
  const outC = ocg * groups;
  if (b && (b.shape.length !== 1 || b.shape[0] !== outC)) fail('SHAPE', 'options.bias', `shape [${outC}]`, `shape ${shapeText(b.shape)}`);
  for (let a = 0; a < 2; a++) {
    if (outputPadding[a] >= stride[a] && outputPadding[a] >= dilation[a]) {
      fail('OPTION', 'options.outputPadding', `smaller than stride or dilation (${stride[a]}, ${dilation[a]})`, outputPadding[a]);
    }
  }
  const k = [kh, kw];
  const out = [0, 1].map((a) => transposedOutputSize(call.size[a], k[a], stride[a], padding[a], dilation[a], outputPadding[a]));
  if (out[0] < 1 || out[1] < 1) {
    fail('SHAPE', 'input', 'a size whose transposed convolution output is at least 1x1', `output size ${shapeText(out)}`);
  }
  return { call, params: { stride, padding, outputPadding, dilation, groups }, shape: layerOutputShape(call, outC, out) };
}

/**
 * Transposed 2-D convolution as torch.nn.functional.conv_transpose2d (the gradient of conv2d
 * with respect to its input): input [N, inC, H, W] or [inC, H, W], weight [inC, outC / groups, kH, kW].
 * Output size (H - 1) * stride - 2 * padding + dilation * (kH - 1) + outputPadding + 1.
 */
export function convTranspose2d(input: TensorLike, weight: TensorLike, options?: ConvTranspose2dOptions): Tensor<FloatArray> {
  const opts = optionsObject('options', options, 'transposed', { paddingMode: "convTranspose2d pads with zeros only, as torch's conv_transpose2d" });
  const x = toOperand('input', input);
  const w = toOperand('weight', weight);
  const b = opts.bias === undefined ? null : toOperand('options.bias', opts.bias);
  const { call, params, shape } = lowerTransposed(x, w, b, opts);
  return { data: runLayer(transposedJob(call, w, b ? b.data : null, params)), shape };
}

/** Output shape of convTranspose2d for shapes only, with its validation. */
export function transposedShape(x: Operand, w: Operand, opts: Record<string, unknown>): number[] {
  const { bias: _bias, ...rest } = opts;
  return lowerTransposed(x, w, null, rest).shape;
}
