import { runConvLayer } from './convlayer';
import { fail } from './errors';
import { toChannelsFirst, toChannelsLast } from './layout';
import { layerInput, layerOutputShape, type LayerCall } from './nn';
import { intOption, tupleOption } from './nnOptions';
import { oneOf, optionsObject } from './options';
import { allocFloat, checkDType, resolveDType, toOperand, type DType, type FloatArray, type NumericArray, type Operand, type Tensor, type TensorLike } from './tensor';

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

/** A transposed convolution in the form both convTranspose2d and the input gradient use. */
export interface TransposedConv {
  dtype: DType;
  /** [N, inC, H, W], channels first. */
  input: NumericArray;
  batch: number;
  channels: number;
  height: number;
  width: number;
  /** torch's transposed weight layout [inC, outC / groups, kH, kW]. */
  weight: NumericArray;
  outPerGroup: number;
  kh: number;
  kw: number;
  groups: number;
  bias: NumericArray | null;
  stride: readonly [number, number];
  dilation: readonly [number, number];
  /** Output rows/columns cut from the top/left (torch's padding). */
  cropBefore: readonly [number, number];
  outH: number;
  outW: number;
}

/**
 * Rotates each kernel 180° and swaps its channel axes within each group:
 * [inC, outC/g, kh, kw] -> [outC, inC/g, kh, kw], the weight of the equivalent plain convolution.
 */
function flippedTransposedWeight(t: TransposedConv): FloatArray {
  const icg = t.channels / t.groups;
  const ocg = t.outPerGroup;
  const k = t.kh * t.kw;
  const out = allocFloat(t.dtype, t.groups * ocg * icg * k);
  for (let g = 0; g < t.groups; g++) {
    for (let i = 0; i < icg; i++) {
      for (let o = 0; o < ocg; o++) {
        const from = ((g * icg + i) * ocg + o) * k;
        const to = ((g * ocg + o) * icg + i) * k;
        for (let j = 0; j < k; j++) out[to + j] = t.weight[from + k - 1 - j];
      }
    }
  }
  return out;
}

/**
 * A transposed convolution is the plain convolution, with the flipped transposed kernel, of the
 * input with stride - 1 zeros stuffed between samples and dilation * (k - 1) - crop padding
 * around it (negative: cropped). Returns [N, outC, outH, outW].
 */
export function runTransposedConv(t: TransposedConv): FloatArray {
  const reachH = t.dilation[0] * (t.kh - 1);
  const reachW = t.dilation[1] * (t.kw - 1);
  const top = reachH - t.cropBefore[0];
  const left = reachW - t.cropBefore[1];
  const stuffedH = (t.height - 1) * t.stride[0] + 1;
  const stuffedW = (t.width - 1) * t.stride[1] + 1;
  return runConvLayer({
    dtype: t.dtype,
    input: t.input,
    batch: t.batch,
    channels: t.channels,
    height: t.height,
    width: t.width,
    layout: 'NCHW',
    pad: { top, left, bottom: t.outH + reachH - stuffedH - top, right: t.outW + reachW - stuffedW - left },
    padMode: 'constant',
    inputDilation: t.stride,
    weight: flippedTransposedWeight(t),
    outC: t.groups * t.outPerGroup,
    kh: t.kh,
    kw: t.kw,
    groups: t.groups,
    bias: t.bias,
    stride: [1, 1],
    dilation: t.dilation,
  });
}

/**
 * Transposed 2-D convolution as torch.nn.functional.conv_transpose2d (the gradient of conv2d
 * with respect to its input): input [N, inC, H, W] or [inC, H, W], weight [inC, outC / groups, kH, kW].
 * Output size (H - 1) * stride - 2 * padding + dilation * (kH - 1) + outputPadding + 1.
 */
export function convTranspose2d(input: TensorLike, weight: TensorLike, options?: ConvTranspose2dOptions): Tensor<FloatArray> {
  const opts = optionsObject('options', options);
  const x = toOperand('input', input);
  const w = toOperand('weight', weight);
  const b = opts.bias === undefined ? null : toOperand('options.bias', opts.bias);
  const plan = planTransposed(x, w, b, opts);
  const { call, t } = plan;
  const size = call.size[0] * call.size[1];
  const data = runTransposedConv({ ...t, input: call.channelsLast ? toChannelsFirst(x.data, call.batch, t.channels, size) : x.data });
  const outC = t.groups * t.outPerGroup;
  return {
    data: call.channelsLast ? toChannelsLast(data, call.batch, outC, t.outH * t.outW) : data,
    shape: plan.shape,
  };
}

/** Validates a convTranspose2d call as torch does (shapes only) and plans it. */
function planTransposed(
  x: Operand,
  w: Operand,
  b: Operand | null,
  opts: Partial<Omit<ConvTranspose2dOptions, 'bias'>>,
): { call: LayerCall; t: TransposedConv; shape: number[] } {
  const dtype = resolveDType(
    checkDType('options.dtype', opts.dtype),
    { name: 'input', op: x },
    { name: 'weight', op: w },
    ...(b ? [{ name: 'options.bias', op: b }] : []),
  );
  const layout = oneOf('options.layout', opts.layout, ['NCHW', 'NHWC'] as const, 'NCHW');
  const call = layerInput('convTranspose2d', x, 2, layout === 'NHWC', dtype);
  const groups = intOption('options.groups', opts.groups, 1, 1);
  const stride = tupleOption('options.stride', opts.stride, 1, 2, 1);
  const padding = tupleOption('options.padding', opts.padding, 0, 2, 0);
  const outputPadding = tupleOption('options.outputPadding', opts.outputPadding, 0, 2, 0);
  const dilation = tupleOption('options.dilation', opts.dilation, 1, 2, 1);
  if (w.shape.length !== 4 || w.size === 0) {
    fail('SHAPE', 'weight', 'a non-empty 4-D array [inC, outC / groups, kH, kW]', `shape [${w.shape.join(', ')}]`);
  }
  const [inC, ocg, kh, kw] = w.shape;
  if (inC !== call.channels || inC % groups !== 0) {
    fail('SHAPE', 'weight', `dimension 0 equal to the input's ${call.channels} channels and divisible by groups = ${groups}`, `shape [${w.shape.join(', ')}]`);
  }
  const outC = ocg * groups;
  if (b && (b.shape.length !== 1 || b.shape[0] !== outC)) fail('SHAPE', 'options.bias', `shape [${outC}]`, `shape [${b.shape.join(', ')}]`);
  for (let a = 0; a < 2; a++) {
    if (outputPadding[a] >= stride[a] && outputPadding[a] >= dilation[a]) {
      fail('OPTION', 'options.outputPadding', `smaller than stride or dilation (${stride[a]}, ${dilation[a]})`, outputPadding[a]);
    }
  }
  const out = [0, 1].map((a) => (call.size[a] - 1) * stride[a] - 2 * padding[a] + dilation[a] * ([kh, kw][a] - 1) + outputPadding[a] + 1);
  if (out[0] < 1 || out[1] < 1) {
    fail('SHAPE', 'input', 'a size whose transposed convolution output is at least 1x1', `output size [${out.join(', ')}]`);
  }
  const t: TransposedConv = {
    dtype,
    input: x.data,
    batch: call.batch,
    channels: inC,
    height: call.size[0],
    width: call.size[1],
    weight: w.data,
    outPerGroup: ocg,
    kh,
    kw,
    groups,
    bias: b ? b.data : null,
    stride: [stride[0], stride[1]],
    dilation: [dilation[0], dilation[1]],
    cropBefore: [padding[0], padding[1]],
    outH: out[0],
    outW: out[1],
  };
  return { call, t, shape: layerOutputShape(call, outC, out) };
}

/** Output shape of convTranspose2d for shapes only, with its validation. */
export function transposedShape(x: Operand, w: Operand, opts: Record<string, unknown>): number[] {
  const { bias: _bias, ...rest } = opts;
  return planTransposed(x, w, null, rest).shape;
}
