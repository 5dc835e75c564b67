// torch.nn.functional's size rules, the one place they live: how inputs are read (batched or
// not, channels first or last), how padding is given, and the output size of a convolution, a
// transposed convolution and a pool. The layer functions and outputShape() all ask here.
import { fail } from '../core/errors';
import { tupleOption } from '../core/options';
import type { BorderName } from '../core/padding';
import type { DType, Operand } from '../core/tensor';

/** torch.nn.Conv2d's padding_mode. */
export type PaddingMode = BorderName<'torch'>;

export type PaddingSpec = 'same' | 'valid' | number[];

export const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

/** conv padding: 'same', 'valid', an integer, or one integer per spatial axis. */
export function paddingOption(arg: string, value: unknown, dims: number): PaddingSpec {
  if (value === 'same' || value === 'valid') return value;
  if (typeof value === 'string') fail('OPTION', arg, "'same', 'valid', or non-negative integers", value);
  return tupleOption(arg, value, 0, dims, 0);
}

/**
 * Padding before and after one axis. 'same' (stride 1 only) pads dilation * (k - 1) in all; when
 * that is odd the extra sample goes after (bottom/right), as torch does.
 */
export function axisPads(spec: PaddingSpec, axis: number, k: number, dilation: number): [number, number] {
  if (spec === 'valid') return [0, 0];
  if (spec === 'same') {
    const total = dilation * (k - 1);
    return [total >> 1, total - (total >> 1)];
  }
  return [spec[axis], spec[axis]];
}

/** Axis names in messages: 1-D layers have one spatial axis, 2-D ones two. */
export function axisNames(dims: number): string[] {
  return dims === 1 ? ['length'] : ['height', 'width'];
}

/** Output length of a convolution along one axis: windows of a dilated kernel at `stride` over the padded input. */
export function convOutputSize(n: number, k: number, stride: number, dilation: number, pads: readonly [number, number]): number {
  return Math.floor((n + pads[0] + pads[1] - dilation * (k - 1) - 1) / stride) + 1;
}

/** Output length of a transposed convolution along one axis (conv_transpose2d's formula). */
export function transposedOutputSize(n: number, k: number, stride: number, padding: number, dilation: number, outputPadding: number): number {
  return (n - 1) * stride - 2 * padding + dilation * (k - 1) + outputPadding + 1;
}

/** torch's pooling_output_shape: floor or ceil, and ceil never starts a window in the trailing padding. */
export function poolOutputSize(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = n + 2 * p - d * (k - 1) - 1;
  let out = Math.floor((span + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (out - 1) * s >= n + p) out--;
  return out;
}

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

/** Output tensor shape in the caller's layout and batching, for `size` spatial axes. */
export function layerOutputShape(call: LayerCall, channels: number, size: readonly number[]): number[] {
  const shape = call.channelsLast ? [call.batch, ...size, channels] : [call.batch, channels, ...size];
  return call.batched ? shape : shape.slice(1);
}
