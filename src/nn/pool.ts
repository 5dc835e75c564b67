// maxPool2d and avgPool2d as torch.nn.functional. Memory-bound, so they run in TypeScript on
// every backend, reading either layout in place.
import { toChannelsLast } from '../core/channels';
import { fail } from '../core/errors';
import { boolOption, dtypeOption, oneOf, optionsObject, tupleOption } from '../core/options';
import { allocFloat, resolveDType, toOperand, type DType, type FloatArray, type Operand, type Tensor, type TensorLike } from '../core/tensor';
import { layerInput, layerOutputShape, poolOutputSize, type LayerCall } from './shape';

interface PoolCommon {
  /** Window size: one integer or [kH, kW]. Required. */
  kernelSize: number | number[];
  /** Step of the window: one integer or [sH, sW]. Default kernelSize. */
  stride?: number | number[];
  /** Implicit padding on each side (-Infinity for max, 0 for avg), at most half the window. Default 0. */
  padding?: number | number[];
  /** Round the output size up instead of down; a window that would start in the right/bottom padding is dropped (torch). Default false. */
  ceilMode?: boolean;
  /** 'NCHW' (default) or 'NHWC' for input and output. */
  layout?: 'NCHW' | 'NHWC';
  dtype?: DType;
}

export interface MaxPool2dOptions extends PoolCommon {
  /** Spacing between window taps. Default 1. */
  dilation?: number | number[];
  /**
   * Also return where each maximum is, as torch's return_indices: `[output, indices]`, indices
   * an Int32Array tensor of the output's shape holding the flat position (y * W + x) of the
   * maximum in its input plane (the first tap inside the input where no sample beats -Infinity;
   * a NaN's own position). Default false.
   */
  returnIndices?: boolean;
}

export interface AvgPool2dOptions extends PoolCommon {
  /** Count padding zeros in the divisor (torch's default true). */
  countIncludePad?: boolean;
  /** Divide every window's sum by this non-zero integer instead, as torch's divisor_override. */
  divisorOverride?: number;
}

/** maxPool2d's indices (returnIndices): flat positions in each input plane, in the output's shape and layout. */
export interface PoolIndices {
  data: Int32Array;
  shape: number[];
}

interface Pool {
  call: LayerCall;
  data: ArrayLike<number>;
  k: number[];
  stride: number[];
  pad: number[];
  dilation: number[];
  out: number[];
}

function preparePool(fn: string, x: Operand, opts: Partial<MaxPool2dOptions & AvgPool2dOptions>, dilated: boolean): Pool {
  const dtype = resolveDType(dtypeOption('options.dtype', opts.dtype), { name: 'input', op: x });
  const layout = oneOf('options.layout', opts.layout, ['NCHW', 'NHWC'] as const, 'NCHW');
  const call = layerInput(fn, x, 2, layout === 'NHWC', dtype);
  if (opts.kernelSize === undefined) fail('OPTION', 'options.kernelSize', 'an integer >= 1 or [kH, kW]', undefined);
  const k = tupleOption('options.kernelSize', opts.kernelSize, 1, 2, 1);
  const stride = tupleOption('options.stride', opts.stride, 1, 2, 1);
  if (opts.stride === undefined) stride.splice(0, 2, ...k);
  const pad = tupleOption('options.padding', opts.padding, 0, 2, 0);
  const dilation = dilated ? tupleOption('options.dilation', opts.dilation, 1, 2, 1) : [1, 1];
  const ceil = boolOption('options.ceilMode', opts.ceilMode, false);
  for (let a = 0; a < 2; a++) {
    // max pooling bounds the padding by the dilated window, avg pooling by the window (torch).
    const half = dilated ? Math.floor((dilation[a] * (k[a] - 1) + 1) / 2) : Math.floor(k[a] / 2);
    if (pad[a] > half) fail('OPTION', 'options.padding', `at most half the window (${half})`, pad[a]);
  }
  const out = [0, 1].map((a) => poolOutputSize(call.size[a], k[a], stride[a], pad[a], dilation[a], ceil));
  if (out[0] < 1 || out[1] < 1) {
    fail('SHAPE', 'input', `a size [${call.size.join(', ')}] that leaves at least one window`, `output size [${out.join(', ')}]`);
  }
  return { call, data: x.data, k, stride, pad, dilation, out };
}

/**
 * Visits every output element: `reduce(at, y0, y1, x0, x1)` gets the window's (unclipped,
 * undilated) row and column range and `at`, which maps an input (row, column) to its flat index.
 */
function poolEach(p: Pool, reduce: (at: (y: number, x: number) => number, y0: number, y1: number, x0: number, x1: number) => number): Tensor<FloatArray> {
  const { call, out } = p;
  const [H, W] = call.size;
  const C = call.channels;
  const result = allocFloat(call.dtype, call.batch * C * out[0] * out[1]);
  let k = 0;
  for (let n = 0; n < call.batch; n++) {
    for (let c = 0; c < C; c++) {
      // Channels-last data is read in place; the result is written channels first, then reordered.
      const at = call.channelsLast
        ? (y: number, x: number) => ((n * H + y) * W + x) * C + c
        : (y: number, x: number) => ((n * C + c) * H + y) * W + x;
      for (let oy = 0; oy < out[0]; oy++) {
        const y0 = oy * p.stride[0] - p.pad[0];
        for (let ox = 0; ox < out[1]; ox++) {
          const x0 = ox * p.stride[1] - p.pad[1];
          result[k++] = reduce(at, y0, y0 + p.k[0], x0, x0 + p.k[1]);
        }
      }
    }
  }
  const data = call.channelsLast ? toChannelsLast(result, call.batch, C, out[0] * out[1]) : result;
  return { data, shape: layerOutputShape(call, C, out) };
}

/**
 * 2-D max pooling as torch.nn.functional.max_pool2d: the largest sample of each (dilated)
 * window, padding counting as -Infinity; a NaN in the window gives NaN. With returnIndices,
 * `[output, indices]` (see MaxPool2dOptions).
 */
export function maxPool2d(input: TensorLike, options: MaxPool2dOptions & { returnIndices: true }): [Tensor<FloatArray>, PoolIndices];
export function maxPool2d(input: TensorLike, options: MaxPool2dOptions & { returnIndices?: false }): Tensor<FloatArray>;
export function maxPool2d(input: TensorLike, options: MaxPool2dOptions): Tensor<FloatArray> | [Tensor<FloatArray>, PoolIndices];
export function maxPool2d(input: TensorLike, options: MaxPool2dOptions): Tensor<FloatArray> | [Tensor<FloatArray>, PoolIndices] {
  const opts = optionsObject('options', options, 'maxPool');
  const p = preparePool('maxPool2d', toOperand('input', input), opts, true);
  const withIndices = boolOption('options.returnIndices', opts.returnIndices, false);
  const [H, W] = p.call.size;
  const [dy, dx] = p.dilation;
  const data = p.data;
  const C = p.call.channels;
  const count = p.call.batch * C * p.out[0] * p.out[1];
  const where = withIndices ? new Int32Array(count) : null;
  let k = 0;
  const values = poolEach(p, (at, y0, _y1, x0) => {
    let m = -Infinity;
    let best = -1;
    for (let i = 0; i < p.k[0]; i++) {
      const y = y0 + i * dy;
      if (y < 0 || y >= H) continue;
      for (let j = 0; j < p.k[1]; j++) {
        const x = x0 + j * dx;
        if (x < 0 || x >= W) continue;
        if (best < 0) best = y * W + x;
        const v = data[at(y, x)];
        if (v > m || Number.isNaN(v)) {
          m = v;
          best = y * W + x;
        }
        if (Number.isNaN(m)) break;
      }
      if (Number.isNaN(m)) break;
    }
    if (where) where[k++] = best;
    return m;
  });
  if (!where) return values;
  const indices = p.call.channelsLast ? toChannelsLast(where, p.call.batch, C, p.out[0] * p.out[1]) : where;
  return [values, { data: indices, shape: values.shape.slice() }];
}

/**
 * 2-D average pooling as torch.nn.functional.avg_pool2d. The divisor is the window clipped to
 * the padded input (countIncludePad, default) or to the input itself.
 */
export function avgPool2d(input: TensorLike, options: AvgPool2dOptions): Tensor<FloatArray> {
  const opts = optionsObject('options', options, 'avgPool');
  const p = preparePool('avgPool2d', toOperand('input', input), opts, false);
  const includePad = boolOption('options.countIncludePad', opts.countIncludePad, true);
  const divisor = opts.divisorOverride === undefined ? null : opts.divisorOverride;
  if (divisor !== null && (!Number.isSafeInteger(divisor) || divisor === 0)) fail('OPTION', 'options.divisorOverride', 'a non-zero integer', divisor);
  const [H, W] = p.call.size;
  const data = p.data;
  return poolEach(p, (at, y0, y1, x0, x1) => {
    const padded = (Math.min(y1, H + p.pad[0]) - y0) * (Math.min(x1, W + p.pad[1]) - x0);
    const ys = Math.max(y0, 0);
    const ye = Math.min(y1, H);
    const xs = Math.max(x0, 0);
    const xe = Math.min(x1, W);
    let s = 0;
    for (let y = ys; y < ye; y++) for (let x = xs; x < xe; x++) s += data[at(y, x)];
    return s / (divisor ?? (includePad ? padded : (ye - ys) * (xe - xs)));
  });
}

/** Output shape of a pool over `x` (shape only), with the pools' validation. */
export function poolShape(fn: 'maxPool2d' | 'avgPool2d', x: Operand, opts: Partial<MaxPool2dOptions & AvgPool2dOptions>): number[] {
  const p = preparePool(fn, x, opts, fn === 'maxPool2d');
  return layerOutputShape(p.call, p.call.channels, p.out);
}
