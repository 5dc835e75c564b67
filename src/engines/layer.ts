// The dense layer engine: torch conv2d (and conv1d, convTranspose2d, both gradients) on the
// channel-vectorised kernel, one batch item at a time, with no im2col matrix. Depthwise jobs
// (one output channel per input channel) go to engines/depthwise.ts instead. Any NCHW layer with
// unit stride and dilation goes to the FFT engine (engines/fft.ts) when its kernels are large
// enough for that to be cheaper.
// Kernels: assembly/conv.ts and assembly/transpose.ts (Wasm SIMD), runtime/fallback.ts.
import { BYTES, allocFloat, allocUnset, checkFits, type FloatArray } from '../core/tensor';
import { BLOCK_BYTES } from '../runtime/abi';
import { current } from '../runtime/backend';
import { chooseEngine } from './choose';
import { isDepthwise, runDepthwise } from './depthwise';
import { runFftCorrelation, type FftJob } from './fft';
import { intoResult, packBias, packBlocks, paddedSize, steps, writeInput, type ItemSink, type LayerJob, type Layout } from './layerJob';
import { runWinograd, winogradFits } from './winograd';

/**
 * Runs the layer on the current backend, one batch item at a time so working memory holds
 * one padded item, the packed weights and one output item, and copies each output item out.
 * Returns [N, outC, outH, outW] (NCHW) or [N, outH, outW, outC] (NHWC).
 */
export function runLayer(job: LayerJob): FloatArray {
  return runLayerBy(job, layerRoute(job)).result;
}

/**
 * Refuses (TOO_LARGE, before anything is allocated) a layer whose result, or whose working
 * memory (a padded input item, its channels-last copy and an output item), cannot fit.
 */
function checkLayerFits(job: LayerJob): void {
  const { paddedH, paddedW } = paddedSize(job);
  const bytes = BYTES[job.dtype];
  checkFits('result', job.batch * job.outC * job.outH * job.outW, bytes);
  checkFits('input', 2 * job.channels * paddedH * paddedW + job.outC * job.outH * job.outW, bytes);
}

/** The engine a layer job takes: the FFT engine, the depthwise engine, Winograd tiles or the direct sum. */
export type LayerRoute = 'fft' | 'depthwise' | 'winograd' | 'direct';

export function layerRoute(job: LayerJob): LayerRoute {
  return fftLayerJob(job) ? 'fft' : spatialRoute(job);
}

/** The route without the FFT engine. */
function spatialRoute(job: LayerJob): Exclude<LayerRoute, 'fft'> {
  if (isDepthwise(job)) return 'depthwise';
  return winogradFits(job) ? 'winograd' : 'direct';
}

/**
 * Runs the job by `route` (what layerRoute says, or, for a pool worker's share of a layer, what
 * it says for the whole layer) and says which engine computed it: a non-finite result turns the
 * FFT engine into the next route and Winograd into the direct sum.
 */
export function runLayerBy(job: LayerJob, route: LayerRoute): { result: FloatArray; route: LayerRoute } {
  checkLayerFits(job);
  if (route === 'fft') {
    const byFft = layerByFft(job);
    if (byFft) return { result: byFft, route };
    route = spatialRoute(job);
  }
  if (route === 'depthwise') return { result: depthwiseValues(job), route };
  const result = allocUnset(job.dtype, job.batch * job.outC * job.outH * job.outW);
  return { result, route: spatialInto(job, route, intoResult(result)) };
}

const depthwiseValues = (job: LayerJob) => runDepthwise({ ...job, padValue: 0, bytesIn: false, output: 'float' }).values as FloatArray;

/**
 * runLayerBy's spatial routes, each output item handed to `sink` as it leaves the engine (a pool
 * worker puts its band's rows straight into the shared result); returns the route that computed it.
 */
export function runLayerInto(job: LayerJob, route: LayerRoute, sink: ItemSink): LayerRoute {
  checkLayerFits(job);
  if (route === 'fft') throw new Error('runLayerInto: the FFT route computes whole layers (runLayerBy)');
  return spatialInto(job, route, sink);
}

/** runLayerInto after its checks. */
function spatialInto(job: LayerJob, route: Exclude<LayerRoute, 'fft'>, sink: ItemSink): LayerRoute {
  const { outH, outW } = job;
  const outItem = job.outC * outH * outW;
  if (route === 'depthwise') {
    const values = depthwiseValues(job);
    for (let n = 0; n < job.batch; n++) sink(n, values.subarray(n * outItem, (n + 1) * outItem));
    return route;
  }
  if (outItem === 0) return route;
  if (route === 'winograd' && runWinograd(job, sink)) return route;
  const backend = current();
  const { bytes, conv, channelsLast } = backend.kernels(job.dtype);
  const { paddedH, paddedW } = paddedSize(job);
  const perBlock = BLOCK_BYTES / bytes;
  const icg = job.channels / job.groups;
  const ocg = job.outC / job.groups;
  const nTaps = icg * job.kh * job.kw;
  const groupWeights = Math.ceil(ocg / perBlock) * perBlock * nTaps;
  const groupBias = Math.ceil(ocg / perBlock) * perBlock;
  const staged = stagedLayout(job);
  const paddedBytes = job.channels * paddedH * paddedW * bytes;
  // Staging channels last needs a second padded copy: the kernel reads that one.
  const at = backend.arena.reserve({
    padded: paddedBytes,
    weights: job.groups * groupWeights * bytes,
    bias: job.groups * groupBias * bytes,
    taps: nTaps * 4,
    output: outItem * bytes,
    staged: staged === job.layout ? 0 : paddedBytes,
  });
  const inPtr = staged === job.layout ? at.padded : at.staged;
  const heap = backend.arena.view(job.dtype);
  packBlocks(heap, at.weights / bytes, job.weight, job.groups, ocg, nTaps, perBlock);
  packBias(heap, at.bias / bytes, job.bias, job.groups, ocg, perBlock);

  const src = steps(staged, job.channels, paddedH, paddedW);
  const taps = backend.arena.view('uint32');
  let t = at.taps / 4;
  for (let c = 0; c < icg; c++) {
    for (let y = 0; y < job.kh; y++) {
      for (let x = 0; x < job.kw; x++) {
        taps[t++] = (c * src.chan + y * job.dilation[0] * src.row + x * job.dilation[1] * src.col) * bytes;
      }
    }
  }
  const dst = steps(job.layout, job.outC, outH, outW);
  for (let n = 0; n < job.batch; n++) {
    writeInput(heap, at.padded / bytes, job, n);
    if (staged !== job.layout) channelsLast(at.padded, job.channels, paddedH * paddedW, at.staged);
    for (let g = 0; g < job.groups; g++) {
      conv(
        inPtr + g * icg * src.chan * bytes,
        at.taps,
        nTaps,
        at.weights + g * groupWeights * bytes,
        at.bias + g * groupBias * bytes,
        ocg,
        at.output + g * ocg * dst.chan * bytes,
        dst.chan * bytes,
        outH * outW,
        outW,
        job.stride[0] * src.row * bytes,
        job.stride[1] * src.col * bytes,
        dst.row * bytes,
        dst.col * bytes,
      );
    }
    const start = at.output / bytes;
    sink(n, heap.subarray(start, start + outItem));
  }
  return 'direct';
}

/** The FFT engine's job for a layer where it applies and the cost model prices it below the direct sum, else null. */
function fftLayerJob(job: LayerJob): FftJob | null {
  const unit = (p: readonly [number, number]) => p[0] === 1 && p[1] === 1;
  if (job.layout !== 'NCHW' || !unit(job.stride) || !unit(job.dilation) || !unit(job.inputDilation) || Math.min(job.pad.top, job.pad.bottom, job.pad.left, job.pad.right) < 0) return null;
  const { paddedH, paddedW } = paddedSize(job);
  // The FFT engine computes every valid window; a job asking for fewer stays direct.
  if (job.outH !== paddedH - job.kh + 1 || job.outW !== paddedW - job.kw + 1) return null;
  const C = job.channels;
  const icg = C / job.groups;
  const fft: FftJob = {
    dtype: job.dtype,
    input: job.input,
    inputShape: [1, job.height, job.width],
    padding: { before: [0, job.pad.top, job.pad.left], after: [0, job.pad.bottom, job.pad.right], mode: job.padMode, value: 0 },
    kernel: job.weight,
    kernelShape: [1, job.kh, job.kw],
    flipKernel: false,
  };
  return chooseEngine(fft, job.batch * job.outC * icg) === 'fft' ? fft : null;
}

/**
 * An NCHW layer with unit stride and dilation by the FFT engine, when the cost model prices it
 * below the direct sum (layers with very large kernels): each output channel is the sum over
 * its group's input channels of plane correlations, run as one batch of the FFT engine per
 * output channel (all channels at once for depthwise layers). Null otherwise, or when the
 * transform's result is not finite (the direct sum keeps a NaN to its windows).
 */
function layerByFft(job: LayerJob): FloatArray | null {
  const fft = fftLayerJob(job);
  if (!fft) return null;
  const C = job.channels;
  const icg = C / job.groups;
  const ocg = job.outC / job.groups;
  const plane = job.height * job.width;
  const taps = job.kh * job.kw;
  const outPlane = job.outH * job.outW;
  const result = allocUnset(job.dtype, job.batch * job.outC * outPlane);
  const depthwise = icg === 1 && ocg === 1;
  const partial = depthwise || icg === 1 ? null : allocFloat(job.dtype, icg * outPlane);
  for (let n = 0; n < job.batch; n++) {
    const item = job.input.subarray(n * C * plane, (n + 1) * C * plane);
    const out = result.subarray(n * job.outC * outPlane, (n + 1) * job.outC * outPlane);
    if (depthwise) {
      if (!runFftCorrelation({ ...fft, input: item, batch: { count: C, inputStride: plane, kernelStride: taps }, finiteOnly: true }, out)) return null;
      continue;
    }
    for (let oc = 0; oc < job.outC; oc++) {
      const g = Math.floor(oc / ocg);
      const one = { ...fft, input: item.subarray(g * icg * plane, (g + 1) * icg * plane), kernel: job.weight.subarray(oc * icg * taps, (oc + 1) * icg * taps), finiteOnly: true as const };
      const target = out.subarray(oc * outPlane, (oc + 1) * outPlane);
      if (!partial) {
        if (!runFftCorrelation(one, target)) return null;
        continue;
      }
      if (!runFftCorrelation({ ...one, batch: { count: icg, inputStride: plane, kernelStride: taps } }, partial)) return null;
      target.set(partial.subarray(0, outPlane));
      for (let c = 1; c < icg; c++) for (let i = 0, o = c * outPlane; i < outPlane; i++) target[i] += partial[o + i];
    }
  }
  if (job.bias) for (let i = 0; i < result.length; i++) result[i] += job.bias[Math.floor(i / outPlane) % job.outC];
  return result;
}

/**
 * The layout the kernel reads the padded input in. With many channels per group, channels-last
 * staging makes a window's taps walk contiguous memory (one cache line serves several input
 * channels) instead of one plane per channel: ~17% faster on 64-channel 3x3 layers. The padded
 * planes are transposed in Wasm (a JS transpose cost as much as it saved). The output layout is
 * the caller's either way.
 */
function stagedLayout(job: LayerJob): Layout {
  const plain = job.inputDilation[0] === 1 && job.inputDilation[1] === 1 && Math.min(job.pad.top, job.pad.bottom, job.pad.left, job.pad.right) >= 0;
  return job.layout === 'NCHW' && plain && job.channels / job.groups >= 8 ? 'NHWC' : job.layout;
}
