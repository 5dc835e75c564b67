// What the layer engines share: the lowered layer job (torch conv2d and everything built on it),
// its padded geometry, the copy of one batch item into the arena with its padding, and the
// packing of weights into assembly/conv.ts's blocks.
import { padInto, stuffInto, type PadMode } from '../core/padding';
import type { DType, FloatArray, NumericArray } from '../core/tensor';
import { current } from '../runtime/backend';
import { spreader } from './spread';

export type Layout = 'NCHW' | 'NHWC';

/**
 * One multi-channel convolution layer (torch conv2d: cross-correlation summed over each group's
 * input channels), fully normalised by a family: conv2d, conv1d, convTranspose2d and the
 * backward pass lower to this, filter2d's passes to its depthwise form.
 */
export interface LayerJob {
  dtype: DType;
  /** Batch of inputs, [N, C, H, W] for NCHW or [N, H, W, C] for NHWC. */
  input: NumericArray;
  batch: number;
  channels: number;
  height: number;
  width: number;
  layout: Layout;
  /** Padding per side; negative values crop (transposed convolution with large padding). */
  pad: { top: number; bottom: number; left: number; right: number };
  padMode: PadMode;
  /**
   * Zeros inserted between input samples (stride - 1 per gap) before padding: the input
   * dilation that turns a transposed convolution into a plain one. [1, 1] for none.
   */
  inputDilation: readonly [number, number];
  /** [outC, channels / groups, kh, kw] */
  weight: NumericArray;
  outC: number;
  kh: number;
  kw: number;
  groups: number;
  bias: NumericArray | null;
  stride: readonly [number, number];
  dilation: readonly [number, number];
  /**
   * Output size, by the family's own rule (torch's floor for layers). The engine computes the
   * first outH x outW windows; the family makes sure they fit the padded input.
   */
  outH: number;
  outW: number;
  /**
   * A band of a taller input (a pool worker's rows of a layer): `input` holds `of` rows per
   * image and this job's `height` rows start at row `first`, read in place. Absent: `input`
   * holds exactly `height` rows.
   */
  inputRows?: { first: number; of: number };
}

/**
 * Receives batch item `n` of a layer's output ([outC, outH, outW] or [outH, outW, outC], as
 * the job's layout) straight from the engine's working memory.
 */
export type ItemSink = (n: number, item: FloatArray) => void;

/** The sink that puts every item in its place in one [N, ...] result. */
export const intoResult = (result: FloatArray): ItemSink => (n, item) => result.set(item, n * item.length);

/** Input size after input dilation and padding. */
export function paddedSize(job: LayerJob): { paddedH: number; paddedW: number } {
  const [ih, iw] = job.inputDilation;
  return {
    paddedH: (job.height - 1) * ih + 1 + job.pad.top + job.pad.bottom,
    paddedW: (job.width - 1) * iw + 1 + job.pad.left + job.pad.right,
  };
}

/** Element steps of a [C, H, W] block stored in `layout`. */
export function steps(layout: Layout, c: number, h: number, w: number): { chan: number; row: number; col: number } {
  return layout === 'NCHW' ? { chan: h * w, row: w, col: 1 } : { chan: 1, row: w * c, col: c };
}

/**
 * Padded (and, for transposed convolution, zero-stuffed) copy of batch item `n` into `heap` at
 * element `at`; `padValue` fills constant padding.
 */
export function writeInput(heap: FloatArray | Uint8ClampedArray, at: number, job: LayerJob, n: number, padValue = 0): void {
  const { channels: C, height: H, width: W } = job;
  const { first, of } = job.inputRows ?? { first: 0, of: H };
  const nchw = job.layout === 'NCHW';
  // NCHW: the item's first row of its first plane, planes `of` rows apart; NHWC: its rows in one run.
  const from = nchw ? (n * C * of + first) * W : (n * of + first) * W * C;
  const item = job.input.subarray(from, nchw ? from + ((C - 1) * of + H) * W : from + H * W * C);
  const shape: [number, number, number] = nchw ? [C, H, W] : [H, W, C];
  const { top, bottom, left, right } = job.pad;
  if (job.inputDilation[0] !== 1 || job.inputDilation[1] !== 1 || Math.min(top, bottom, left, right) < 0) {
    // Bands of rows (inputRows) are only cut from layers that need no stuffing (pool/layerRows.ts).
    if (job.inputRows) throw new Error('writeInput: a band of rows cannot be zero-stuffed');
    const dil: [number, number, number] = nchw ? [1, ...job.inputDilation] : [...job.inputDilation, 1];
    const before: [number, number, number] = nchw ? [0, top, left] : [top, left, 0];
    const after: [number, number, number] = nchw ? [0, bottom, right] : [bottom, right, 0];
    stuffInto(item, shape, dil, before, after, heap, at);
    return;
  }
  const padding = { before: [0, top, left] as const, after: [0, bottom, right] as const, mode: job.padMode, value: padValue };
  if (nchw) padInto(item, shape, padding, heap, at, 1, undefined, of * W, heap instanceof Uint8ClampedArray ? undefined : spreader(current().kernels(job.dtype)));
  // Channels last: rows of width pixels, each pixel `channels` samples wide.
  else padInto(item, [1, H, W], padding, heap, at, C);
}

/**
 * Packs rows of `nTaps` values (`groups` x `rows` of them, row-major from `src`) into the
 * kernel's layout: per group, per block of `perBlock` rows, [tap][row in block], zero-padded to
 * whole blocks.
 */
export function packBlocks(heap: FloatArray, at: number, src: NumericArray, groups: number, rows: number, nTaps: number, perBlock: number): void {
  const groupLength = Math.ceil(rows / perBlock) * perBlock * nTaps;
  heap.fill(0, at, at + groups * groupLength);
  for (let g = 0; g < groups; g++) {
    for (let r = 0; r < rows; r++) {
      const block = at + g * groupLength + Math.floor(r / perBlock) * perBlock * nTaps + (r % perBlock);
      const from = (g * rows + r) * nTaps;
      for (let t = 0; t < nTaps; t++) heap[block + t * perBlock] = src[from + t];
    }
  }
}

/** Biases (or zeros) per group in blocks of `perBlock`, matching packBlocks. */
export function packBias(heap: FloatArray, at: number, bias: NumericArray | null, groups: number, rows: number, perBlock: number): void {
  const groupLength = Math.ceil(rows / perBlock) * perBlock;
  heap.fill(0, at, at + groups * groupLength);
  if (!bias) return;
  for (let g = 0; g < groups; g++) {
    for (let r = 0; r < rows; r++) heap[at + g * groupLength + r] = bias[g * rows + r];
  }
}
