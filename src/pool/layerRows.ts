// A band of a layer's output rows as a layer of its own: the input rows its windows read, in
// place (and the padding rows above or below it where the band meets the edge). Every output is then
// summed from the same values in the same order as in the whole layer: identical bits.
import type { FloatArray, NumericArray } from '../core/tensor';
import type { ItemSink, LayerJob } from '../engines/layerJob';

/**
 * Whether a layer's output rows can be split so: unit input dilation (not a transposed layer)
 * and padding that never reads from the far edge ('wrap' does).
 */
export function rowSplittable(job: LayerJob): boolean {
  return job.inputDilation[0] === 1 && job.inputDilation[1] === 1 && job.padMode !== 'wrap' && Math.min(job.pad.top, job.pad.bottom) >= 0;
}

/** The layer computing output rows [from, to) of `job`, reading its rows of `job.input` in place. */
export function layerRows(job: LayerJob, [from, to]: readonly [number, number]): LayerJob {
  const H = job.height;
  const reach = (job.kh - 1) * job.dilation[0] + 1;
  // Input rows [lo, hi) of the padded input's coordinates relative to the image.
  const lo = from * job.stride[0] - job.pad.top;
  const hi = (to - 1) * job.stride[0] + reach - job.pad.top;
  const [a, b] = [Math.max(0, lo), Math.min(H, hi)];
  const { first, of } = job.inputRows ?? { first: 0, of: H };
  return { ...job, inputRows: { first: first + a, of }, height: b - a, outH: to - from, pad: { ...job.pad, top: a - lo, bottom: hi - b } };
}

/**
 * Copies a band's input rows (of a job on its taller input) to `into`: compacted, or (`inPlace`)
 * at their places in an array of the taller input's size.
 */
function moveRows(job: LayerJob, into: NumericArray, inPlace: boolean): void {
  const { height: H, width: W, channels: C, batch: N } = job;
  const { first, of } = job.inputRows ?? { first: 0, of: H };
  for (let n = 0; n < N; n++) {
    if (job.layout === 'NHWC') {
      const at = (n * of + first) * W * C;
      into.set(job.input.subarray(at, at + H * W * C), inPlace ? at : n * H * W * C);
      continue;
    }
    for (let c = 0; c < C; c++) {
      const at = ((n * C + c) * of + first) * W;
      into.set(job.input.subarray(at, at + H * W), inPlace ? at : (n * C + c) * H * W);
    }
  }
}

/** The same job with its input rows copied out of the taller input into an array of their own. */
export function compactRows(job: LayerJob): LayerJob {
  if (!job.inputRows) return job;
  const Type = job.input.constructor as new (n: number) => typeof job.input;
  const input = new Type(job.batch * job.channels * job.height * job.width);
  moveRows(job, input, false);
  return { ...job, input, inputRows: undefined };
}

/** The input rows that output rows [from, to) of `job` read, copied into `into` (the input's size) at their places. */
export function copyInputRows(job: LayerJob, rows: readonly [number, number], into: NumericArray): void {
  moveRows(layerRows(job, rows), into, true);
}

/** Where a band's output items go: rows [from, to) of every channel of the whole layer's result. */
export function rowSink(job: LayerJob, [from, to]: readonly [number, number], result: ArrayLike<number> & { set(a: ArrayLike<number>, at: number): void }): ItemSink {
  const { outH, outW, outC } = job;
  const rows = to - from;
  return (n, part) => {
    if (job.layout === 'NHWC') {
      result.set(part, ((n * outH + from) * outW) * outC);
      return;
    }
    for (let c = 0; c < outC; c++) result.set(part.subarray(c * rows * outW, (c + 1) * rows * outW), ((n * outC + c) * outH + from) * outW);
  };
}

/** Rows [from, to) of every channel of a layer's result, from one whole-sized array to another. */
export function copyRows(job: LayerJob, [from, to]: readonly [number, number], source: FloatArray, result: FloatArray): void {
  const { outH, outW, outC, batch } = job;
  for (let n = 0; n < batch; n++) {
    if (job.layout === 'NHWC') {
      const at = (n * outH + from) * outW * outC;
      result.set(source.subarray(at, at + (to - from) * outW * outC), at);
      continue;
    }
    for (let c = 0; c < outC; c++) {
      const at = ((n * outC + c) * outH + from) * outW;
      result.set(source.subarray(at, at + (to - from) * outW), at);
    }
  }
}
