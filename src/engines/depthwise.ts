// The depthwise engine: one output channel per input channel, for conv2d's depthwise layers and
// for filter2d's passes over images. NCHW with stride 1 runs each channel as a plane on the
// planar kernels; everything else on the channels-last kernel, whose vectors span the channels
// of one position (any stride and dilation). Image passes add what only they need: uint8 input
// widened and integer output (uint8, int16) narrowed inside Wasm memory, OpenCV's border value, the samples near a .5
// tie, and two passes chained in the arena (sepFilter2d).
// Kernels: assembly/depthwise.ts, assembly/correlate.ts and assembly/bytes.ts (Wasm SIMD), runtime/fallback.ts.
import { DEPTHWISE_OVERREAD, type Backend } from '../runtime/abi';
import { current } from '../runtime/backend';
import { allocPassResult, emitBytes, emitSamples, type IntegerOutput, type NearTies, type PassResult } from './imageOutput';
import { paddedSize, writeInput, type LayerJob } from './layerJob';
import { nonzeroTaps, tapKernel, tapListBytes } from './taps';

/** A depthwise layer job (groups = channels = outC), with what image passes add. */
export interface DepthwiseJob extends LayerJob {
  /** The constant for padMode 'constant' (torch pads with 0; OpenCV's borderValue). */
  padValue: number;
  /** uint8 input: padded as bytes and widened inside Wasm memory. */
  bytesIn: boolean;
  /**
   * What the result holds: floats, or integers rounded half to even and saturated inside Wasm
   * memory, to bytes ('uint8') or to int16 (signed filter responses).
   */
  output: 'float' | IntegerOutput;
  /**
   * With an integer output: also list the samples that lie within this distance of a .5 tie
   * before rounding (image/opencvBytes.ts recomputes them in OpenCV's arithmetic).
   */
  tieBound?: number;
  /** Sum only the nonzero taps, as OpenCV's filter2D (every channel's kernel the same). */
  nonzeroTaps?: boolean;
}


/** One output channel per input channel. */
export function isDepthwise(job: LayerJob): boolean {
  return job.groups === job.channels && job.outC === job.channels && (job.layout === 'NHWC' || isPlanar(job));
}

/** NCHW depthwise with unit stride and dilation: each channel is a plain 2-D valid correlation. */
function isPlanar(job: LayerJob): boolean {
  const unit = (p: readonly [number, number]) => p[0] === 1 && p[1] === 1;
  const cropped = Math.min(job.pad.top, job.pad.bottom, job.pad.left, job.pad.right) < 0;
  return job.layout === 'NCHW' && unit(job.stride) && unit(job.dilation) && unit(job.inputDilation) && !cropped;
}

/** A pass's arena regions (byte sizes, in layout order), how it loads its parameters, and how it runs. */
interface Pass {
  sizes: Record<Region, number>;
  /** Writes the parameters into their regions. */
  load(at: Record<Region, number>): void;
  /** Runs the pass on the input at `at.input` into `at.output`. */
  run(at: Record<Region, number>): void;
}

type Region = 'input' | 'weights' | 'bias' | 'taps' | 'output' | 'inBytes' | 'outInts';

/**
 * The pass of one batch item: per-channel plane correlations over NCHW planes (the bias added to
 * each plane just after its correlation), or the channels-last kernel.
 */
function pass(backend: Backend, job: DepthwiseJob): Pass {
  const { bytes, correlate, depthwise, addScalar } = backend.kernels(job.dtype);
  const { paddedH, paddedW } = paddedSize(job);
  const { outH, outW } = job;
  const C = job.channels;
  const nTaps = job.kh * job.kw;
  const padded = C * paddedH * paddedW;
  const outItem = C * outH * outW;
  const io = { output: outItem * bytes, inBytes: job.bytesIn ? padded : 0, outInts: intOutBytes(job, outItem) };
  const heap = () => backend.arena.view(job.dtype);
  // One list for every channel: nonzeroTaps jobs share one kernel.
  const list = job.nonzeroTaps ? nonzeroTaps(job.weight, job.kh, job.kw) : null;
  if (isPlanar(job)) {
    const plane = outH * outW;
    // The list is written once with the weights; every batch item then runs it.
    let kernel = correlate;
    return {
      sizes: { input: padded * bytes, weights: C * nTaps * bytes, bias: 0, taps: tapListBytes(list, bytes), ...io },
      load(at) {
        heap().set(job.weight.subarray(0, C * nTaps), at.weights / bytes);
        if (list) kernel = tapKernel(backend, job.dtype, at.taps, list);
      },
      run(at) {
        for (let c = 0; c < C; c++) {
          const out = at.output + c * plane * bytes;
          kernel(at.input + c * paddedH * paddedW * bytes, paddedW, at.weights + c * nTaps * bytes, job.kh, job.kw, out, outW, outH, outW, 0, 1);
          // Each output is the sum plus the bias, rounded once, as torch adds it; the plane is still in cache.
          if (job.bias) addScalar(out, plane, job.bias[c]);
        }
      },
    };
  }
  const row = paddedW * C;
  // The kernel elements the taps run over: every one, or the list's.
  const used = Array.from({ length: list ? list.weights.length : nTaps }, (_, t) => (list ? list.positions[2 * t] * job.kw + list.positions[2 * t + 1] : t));
  const kept = used.length;
  return {
    sizes: { input: padded * bytes, weights: (kept * C + DEPTHWISE_OVERREAD) * bytes, bias: (C + DEPTHWISE_OVERREAD) * bytes, taps: kept * 4, ...io },
    load(at) {
      const h = heap();
      // Weights [C, 1, kh, kw] -> [tap][C]; zeros past the end for the vector tails.
      const w = at.weights / bytes;
      h.fill(0, w, w + kept * C + DEPTHWISE_OVERREAD);
      for (let c = 0; c < C; c++) for (let t = 0; t < kept; t++) h[w + t * C + c] = job.weight[c * nTaps + used[t]];
      const b = at.bias / bytes;
      h.fill(0, b, b + C + DEPTHWISE_OVERREAD);
      if (job.bias) h.set(job.bias.subarray(0, C), b);
      const taps = backend.arena.view('uint32');
      used.forEach((i, t) => {
        const [y, x] = [Math.floor(i / job.kw), i % job.kw];
        taps[at.taps / 4 + t] = (y * job.dilation[0] * row + x * job.dilation[1] * C) * bytes;
      });
    },
    run(at) {
      depthwise(at.input, at.taps, kept, at.weights, at.bias, C, at.output, outH * outW, outW, job.stride[0] * row * bytes, job.stride[1] * C * bytes);
    },
  };
}

/** Arena bytes for the integer output of one item of `size` samples (and its near-tie indices). */
const intOutBytes = (job: DepthwiseJob, size: number) => emitBytes(job, size);

/** Writes batch item `n` padded into the float input region: directly, or as bytes widened by the backend. */
function stageItem(backend: Backend, job: DepthwiseJob, n: number, at: Record<Region, number>): void {
  const { bytes, widenBytes } = backend.kernels(job.dtype);
  if (!job.bytesIn) {
    writeInput(backend.arena.view(job.dtype), at.input / bytes, job, n, job.padValue);
    return;
  }
  writeInput(backend.arena.view('uint8'), at.inBytes, job, n, job.padValue);
  const { paddedH, paddedW } = paddedSize(job);
  widenBytes(at.inBytes, job.channels * paddedH * paddedW, at.input);
}

/**
 * Copies output item `n` (`size` elements) into the result, through integers for an integer
 * output, listing the samples near ties into `nearTies` for `tieBound`.
 */
function collectItem(backend: Backend, job: DepthwiseJob, n: number, at: Record<Region, number>, size: number, result: PassResult, nearTies: NearTies[]): void {
  emitSamples(backend, job, at.output, size, at.outInts, result, n * size, nearTies);
}

/** Runs a depthwise job, one batch item at a time; for `tieBound`, also the samples near ties. */
export function runDepthwise(job: DepthwiseJob): { values: PassResult; nearTies: NearTies[] } {
  if (!isDepthwise(job)) throw new Error('runDepthwise: depthwise jobs only');
  const backend = current();
  const outItem = job.channels * job.outH * job.outW;
  const result = allocPassResult(job, job.batch * outItem);
  const nearTies: NearTies[] = [];
  if (outItem === 0) return { values: result, nearTies };
  const p = pass(backend, job);
  const at = backend.arena.reserve(p.sizes);
  p.load(at);
  for (let n = 0; n < job.batch; n++) {
    stageItem(backend, job, n, at);
    p.run(at);
    collectItem(backend, job, n, at, outItem, result, nearTies);
  }
  return { values: result, nearTies };
}

const REGIONS: readonly Region[] = ['input', 'weights', 'bias', 'taps', 'output', 'inBytes', 'outInts'];

/**
 * Two depthwise passes, the second reading the first's output where it lies in the arena
 * (sepFilter2d's rows, then its columns), so the intermediate image never leaves Wasm memory.
 * `second.input` is not read: second's shape is first's output, unpadded.
 */
export function runSeparablePasses(first: DepthwiseJob, second: DepthwiseJob): { values: PassResult; nearTies: NearTies[] } {
  const { top, bottom, left, right } = second.pad;
  const chained = first.layout === second.layout && first.dtype === second.dtype && first.channels === second.channels && first.batch === 1 && second.batch === 1;
  if (!chained || second.height !== first.outH || second.width !== first.outW || top || bottom || left || right || !isDepthwise(first) || !isDepthwise(second)) {
    throw new Error("runSeparablePasses: the second pass must read the first pass's output as it is");
  }
  const backend = current();
  const outItem = second.channels * second.outH * second.outW;
  const nearTies: NearTies[] = [];
  const result = allocPassResult(second, outItem);
  if (outItem === 0) return { values: result, nearTies };
  const p1 = pass(backend, first);
  const p2 = pass(backend, second);
  // One layout for both passes; the second pass's input region is the first pass's output region.
  const sizes: Record<string, number> = {};
  for (const r of REGIONS) sizes[`1.${r}`] = p1.sizes[r];
  for (const r of REGIONS) if (r !== 'input') sizes[`2.${r}`] = p2.sizes[r];
  const all = backend.arena.reserve(sizes);
  const at1 = {} as Record<Region, number>;
  const at2 = {} as Record<Region, number>;
  for (const r of REGIONS) at1[r] = all[`1.${r}`];
  for (const r of REGIONS) at2[r] = r === 'input' ? at1.output : all[`2.${r}`];
  p1.load(at1);
  p2.load(at2);
  stageItem(backend, first, 0, at1);
  p1.run(at1);
  p2.run(at2);
  collectItem(backend, second, 0, at2, outItem, result, nearTies);
  return { values: result, nearTies };
}
