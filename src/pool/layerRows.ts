// A band of a layer's output rows as a layer of its own: the input rows its windows read (and
// the padding rows above or below it where the band meets the edge). Every output is then
// summed from the same values in the same order as in the whole layer: identical bits.
import type { LayerJob } from '../engines/layerJob';

/**
 * Whether a layer's output rows can be split so: unit input dilation (not a transposed layer)
 * and padding that never reads from the far edge ('wrap' does).
 */
export function rowSplittable(job: LayerJob): boolean {
  return job.inputDilation[0] === 1 && job.inputDilation[1] === 1 && job.padMode !== 'wrap' && Math.min(job.pad.top, job.pad.bottom) >= 0;
}

/** The layer computing output rows [from, to) of `job`, its input gathered from `job.input`. */
export function layerRows(job: LayerJob, [from, to]: readonly [number, number]): LayerJob {
  const { height: H, width: W, channels: C, batch: N } = job;
  const reach = (job.kh - 1) * job.dilation[0] + 1;
  // Input rows [lo, hi) of the padded input's coordinates relative to the image.
  const lo = from * job.stride[0] - job.pad.top;
  const hi = (to - 1) * job.stride[0] + reach - job.pad.top;
  const [a, b] = [Math.max(0, lo), Math.min(H, hi)];
  const rows = b - a;
  const Type = job.input.constructor as new (n: number) => typeof job.input;
  const input = new Type(N * C * rows * W);
  for (let n = 0; n < N; n++) {
    if (job.layout === 'NHWC') {
      input.set(job.input.subarray(((n * H + a) * W) * C, ((n * H + b) * W) * C), n * rows * W * C);
      continue;
    }
    for (let c = 0; c < C; c++) {
      const at = ((n * C + c) * H + a) * W;
      input.set(job.input.subarray(at, at + rows * W), (n * C + c) * rows * W);
    }
  }
  return { ...job, input, height: rows, outH: to - from, pad: { ...job.pad, top: a - lo, bottom: hi - b } };
}

/** Puts a band's output (rows [from, to) of every channel) into the whole layer's result. */
export function placeRows(job: LayerJob, [from, to]: readonly [number, number], result: ArrayLike<number> & { set(a: ArrayLike<number>, at: number): void }, part: Float32Array | Float64Array): void {
  const { outH, outW, outC, batch } = job;
  const rows = to - from;
  for (let n = 0; n < batch; n++) {
    if (job.layout === 'NHWC') {
      result.set(part.subarray(n * rows * outW * outC, (n + 1) * rows * outW * outC), ((n * outH + from) * outW) * outC);
      continue;
    }
    for (let c = 0; c < outC; c++) result.set(part.subarray((n * outC + c) * rows * outW, (n * outC + c + 1) * rows * outW), ((n * outC + c) * outH + from) * outW);
  }
}
