import { current } from './backend';
import { BLOCK_BYTES, DEPTHWISE_OVERREAD, type Backend } from './kernels';
import { padInto, stuffInto, type PadMode } from './padding';
import { allocFloat, type DType, type FloatArray, type NumericArray } from './tensor';

export type Layout = 'NCHW' | 'NHWC';

/**
 * One multi-channel convolution layer (torch conv2d: cross-correlation summed over each group's
 * input channels), fully normalised by the API layer. conv1d, convTranspose2d and the backward
 * pass all lower to this.
 */
export interface ConvLayerJob {
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
  /** The constant for padMode 'constant' (torch pads with 0; OpenCV's borderValue). Default 0. */
  padValue?: number;
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
   * uint8 images: the input is bytes, padded as bytes and widened inside Wasm memory
   * (`bytesIn`), and/or the result is rounded half to even and saturated to bytes there
   * (`bytesOut`). Depthwise layers only (filter2d's passes).
   */
  bytesIn?: boolean;
  bytesOut?: boolean;
  /**
   * With `bytesOut`: also list the samples that lie within this distance of a .5 tie before
   * rounding (opencvBytes.ts recomputes them in OpenCV's arithmetic).
   */
  tieBound?: number;
}

/** Samples near ties: `item` (the batch item's first sample) + each of `indices`. */
export interface NearTies {
  item: number;
  indices: Uint32Array;
}

/** Indices found per nearTies call; the scan resumes after the last one. */
const TIE_BATCH = 4096;

/** A layer's result: floats, or bytes for `bytesOut`. */
export type LayerResult = FloatArray | Uint8ClampedArray;

export interface ConvGeometry {
  /** Input after input dilation and padding. */
  paddedH: number;
  paddedW: number;
  outH: number;
  outW: number;
}

export function convGeometry(job: ConvLayerJob): ConvGeometry {
  const [ih, iw] = job.inputDilation;
  const paddedH = (job.height - 1) * ih + 1 + job.pad.top + job.pad.bottom;
  const paddedW = (job.width - 1) * iw + 1 + job.pad.left + job.pad.right;
  const outH = Math.floor((paddedH - job.dilation[0] * (job.kh - 1) - 1) / job.stride[0]) + 1;
  const outW = Math.floor((paddedW - job.dilation[1] * (job.kw - 1) - 1) / job.stride[1]) + 1;
  return { paddedH, paddedW, outH, outW };
}

/** Element steps of a [C, H, W] block stored in `layout`. */
function steps(layout: Layout, c: number, h: number, w: number): { chan: number; row: number; col: number } {
  return layout === 'NCHW' ? { chan: h * w, row: w, col: 1 } : { chan: 1, row: w * c, col: c };
}

/**
 * Runs the layer on the current backend, one batch item at a time so working memory holds
 * one padded item, the packed weights and one output item (no im2col matrix), and copies each
 * output item out. Returns [N, outC, outH, outW] (NCHW) or [N, outH, outW, outC] (NHWC).
 */
export function runConvLayer(job: ConvLayerJob): FloatArray {
  return runLayer({ ...job, bytesIn: false, bytesOut: false }) as FloatArray;
}

/** runConvLayer for depthwise image passes, with the byte input and output of `job` and the samples near ties (`tieBound`). */
export function runImagePass(job: ConvLayerJob): { values: LayerResult; nearTies: NearTies[] } {
  if (!(job.groups === job.channels && job.outC === job.channels)) throw new Error('runImagePass: depthwise jobs only');
  const nearTies: NearTies[] = [];
  return { values: runLayer(job, nearTies), nearTies };
}

function runLayer(job: ConvLayerJob, nearTies: NearTies[] = []): LayerResult {
  const backend = current();
  const geometry = convGeometry(job);
  const { paddedH, paddedW, outH, outW } = geometry;
  const inItem = job.channels * job.height * job.width;
  const outItem = job.outC * outH * outW;
  const result = job.bytesOut ? new Uint8ClampedArray(job.batch * outItem) : allocFloat(job.dtype, job.batch * outItem);
  if (outItem === 0) return result;
  if (isDepthwise(job)) {
    depthwisePass(backend, job, geometry, result, nearTies);
    return result;
  }
  if (result instanceof Uint8ClampedArray) throw new Error('runLayer: bytes need a depthwise job');
  const bytes = job.dtype === 'float64' ? 8 : 4;
  const perBlock = BLOCK_BYTES / bytes;
  const icg = job.channels / job.groups;
  const ocg = job.outC / job.groups;
  const blocks = Math.ceil(ocg / perBlock);
  const nTaps = icg * job.kh * job.kw;
  const groupWeights = blocks * perBlock * nTaps;
  const groupBias = blocks * perBlock;
  const staged = stagedLayout(job);
  const paddedBytes = job.channels * paddedH * paddedW * bytes;
  // Staging channels last needs a second padded copy: the kernel reads that one.
  const [padPtr, wPtr, biasPtr, tapPtr, outPtr, stagePtr] = backend.arena.reserve([
    paddedBytes,
    job.groups * groupWeights * bytes,
    job.groups * groupBias * bytes,
    nTaps * 4,
    outItem * bytes,
    staged === job.layout ? 0 : paddedBytes,
  ]);
  const inPtr = staged === job.layout ? padPtr : stagePtr;
  const heap = backend.arena.view(job.dtype);
  packBlocks(heap, wPtr / bytes, job.weight, job.groups, ocg, nTaps, perBlock);
  packBias(heap, biasPtr / bytes, job.bias, job.groups, ocg, perBlock);

  const src = steps(staged, job.channels, paddedH, paddedW);
  const taps = backend.arena.view('uint32');
  let t = tapPtr / 4;
  for (let c = 0; c < icg; c++) {
    for (let y = 0; y < job.kh; y++) {
      for (let x = 0; x < job.kw; x++) {
        taps[t++] = (c * src.chan + y * job.dilation[0] * src.row + x * job.dilation[1] * src.col) * bytes;
      }
    }
  }
  const dst = steps(job.layout, job.outC, outH, outW);
  const conv = job.dtype === 'float64' ? backend.convF64 : backend.convF32;
  for (let n = 0; n < job.batch; n++) {
    writeInput(heap, padPtr / bytes, job, n * inItem);
    if (staged !== job.layout) (job.dtype === 'float64' ? backend.channelsLastF64 : backend.channelsLastF32)(padPtr, job.channels, paddedH * paddedW, stagePtr);
    for (let g = 0; g < job.groups; g++) {
      conv(
        inPtr + g * icg * src.chan * bytes,
        tapPtr,
        nTaps,
        wPtr + g * groupWeights * bytes,
        biasPtr + g * groupBias * bytes,
        ocg,
        outPtr + g * ocg * dst.chan * bytes,
        dst.chan * bytes,
        outH * outW,
        outW,
        job.stride[0] * src.row * bytes,
        job.stride[1] * src.col * bytes,
        dst.row * bytes,
        dst.col * bytes,
        0,
      );
    }
    const start = outPtr / bytes;
    result.set(heap.subarray(start, start + outItem), n * outItem);
  }
  return result;
}

/**
 * The layout the kernel reads the padded input in. With many channels per group, channels-last
 * staging makes a window's taps walk contiguous memory (one cache line serves several input
 * channels) instead of one plane per channel: ~17% faster on 64-channel 3x3 layers. The padded
 * planes are transposed in Wasm (a JS transpose cost as much as it saved). The output layout is
 * the caller's either way.
 */
function stagedLayout(job: ConvLayerJob): Layout {
  const plain = job.inputDilation[0] === 1 && job.inputDilation[1] === 1 && Math.min(job.pad.top, job.pad.bottom, job.pad.left, job.pad.right) >= 0;
  return job.layout === 'NCHW' && plain && job.channels / job.groups >= 8 ? 'NHWC' : job.layout;
}

/** Padded (and, for transposed convolution, zero-stuffed) copy of batch item at `from` into the arena. */
function writeInput(heap: FloatArray | Uint8ClampedArray, at: number, job: ConvLayerJob, from: number): void {
  const item = job.input.subarray(from, from + job.channels * job.height * job.width);
  const nchw = job.layout === 'NCHW';
  const shape: [number, number, number] = nchw ? [job.channels, job.height, job.width] : [job.height, job.width, job.channels];
  const { top, bottom, left, right } = job.pad;
  if (job.inputDilation[0] !== 1 || job.inputDilation[1] !== 1 || Math.min(top, bottom, left, right) < 0) {
    const dil: [number, number, number] = nchw ? [1, ...job.inputDilation] : [...job.inputDilation, 1];
    const before: [number, number, number] = nchw ? [0, top, left] : [top, left, 0];
    const after: [number, number, number] = nchw ? [0, bottom, right] : [bottom, right, 0];
    stuffInto(item, shape, dil, before, after, heap, at);
    return;
  }
  const padding = { before: [0, top, left] as const, after: [0, bottom, right] as const, mode: job.padMode, value: job.padValue ?? 0 };
  if (nchw) padInto(item, shape, padding, heap, at);
  // Channels last: rows of width pixels, each pixel `channels` samples wide.
  else padInto(item, [1, job.height, job.width], padding, heap, at, job.channels);
}

/**
 * Writes batch item `n` padded into the float region at `inPtr`: directly, or for `bytesIn` as
 * bytes into `bytePtr` and then widened by the backend.
 */
function stageItem(backend: Backend, job: ConvLayerJob, n: number, inPtr: number, bytePtr: number, paddedSize: number): void {
  const inItem = job.channels * job.height * job.width;
  if (!job.bytesIn) {
    writeInput(backend.arena.view(job.dtype), inPtr / (job.dtype === 'float64' ? 8 : 4), job, n * inItem);
    return;
  }
  writeInput(backend.arena.view('uint8'), bytePtr, job, n * inItem);
  (job.dtype === 'float64' ? backend.widenBytesF64 : backend.widenBytesF32)(bytePtr, paddedSize, inPtr);
}

/** Arena bytes for the byte output of one item of `size` samples (and its near-tie indices). */
const byteOutBytes = (job: ConvLayerJob, size: number) => (job.bytesOut ? size + (job.tieBound === undefined ? 0 : 4 * TIE_BATCH + 3) : 0);

/**
 * Copies output item `n` (`size` elements at `outPtr`) into the result, through bytes (at
 * `bytePtr`) for `bytesOut`, listing the samples near ties into `nearTies` for `tieBound`.
 */
function collectItem(backend: Backend, job: ConvLayerJob, n: number, outPtr: number, bytePtr: number, size: number, result: LayerResult, nearTies: NearTies[]): void {
  if (!job.bytesOut) {
    const at = outPtr / (job.dtype === 'float64' ? 8 : 4);
    result.set(backend.arena.view(job.dtype).subarray(at, at + size), n * size);
    return;
  }
  if (job.tieBound !== undefined) {
    const scan = job.dtype === 'float64' ? backend.nearTiesF64 : backend.nearTiesF32;
    const listPtr = (bytePtr + size + 3) & ~3;
    for (let from = 0; from < size; ) {
      const found = scan(outPtr, from, size, job.tieBound, listPtr, TIE_BATCH);
      const list = backend.arena.view('uint32').slice(listPtr / 4, listPtr / 4 + found);
      if (found > 0) nearTies.push({ item: n * size, indices: list });
      from = found === TIE_BATCH ? list[found - 1] + 1 : size;
    }
  }
  (job.dtype === 'float64' ? backend.narrowToBytesF64 : backend.narrowToBytesF32)(outPtr, size, bytePtr);
  result.set(backend.arena.view('uint8').subarray(bytePtr, bytePtr + size), n * size);
}

/**
 * Packs rows of `nTaps` values (`groups` x `rows` of them, row-major from `src`) into the
 * kernel's layout: per group, per block of `perBlock` rows, [tap][row in block], zero-padded to
 * whole blocks. Returns the packed length of one group.
 */
export function packBlocks(
  heap: FloatArray,
  at: number,
  src: NumericArray,
  groups: number,
  rows: number,
  nTaps: number,
  perBlock: number,
): number {
  const blocks = Math.ceil(rows / perBlock);
  const groupLength = blocks * perBlock * nTaps;
  heap.fill(0, at, at + groups * groupLength);
  for (let g = 0; g < groups; g++) {
    for (let r = 0; r < rows; r++) {
      const block = at + g * groupLength + Math.floor(r / perBlock) * perBlock * nTaps + (r % perBlock);
      const from = (g * rows + r) * nTaps;
      for (let t = 0; t < nTaps; t++) heap[block + t * perBlock] = src[from + t];
    }
  }
  return groupLength;
}

/** Biases (or zeros) per group in blocks of `perBlock`, matching packBlocks. */
function packBias(heap: FloatArray, at: number, bias: NumericArray | null, groups: number, rows: number, perBlock: number): void {
  const groupLength = Math.ceil(rows / perBlock) * perBlock;
  heap.fill(0, at, at + groups * groupLength);
  if (!bias) return;
  for (let g = 0; g < groups; g++) {
    for (let r = 0; r < rows; r++) heap[at + g * groupLength + r] = bias[g * rows + r];
  }
}

/**
 * Depthwise layers with one output channel per input channel, unit stride and dilation, NCHW:
 * each channel is a plain 2-D valid correlation, which the planar kernels (3x3 taps in
 * registers, row vectors) do better than the channel-vectorised kernel could with one lane.
 */
/** Depthwise jobs with a depthwise kernel: planar (NCHW, stride 1) or channels-last. */
function isDepthwise(job: ConvLayerJob): boolean {
  return isDepthwisePlanar(job) || (job.layout === 'NHWC' && job.groups === job.channels && job.outC === job.channels);
}

function isDepthwisePlanar(job: ConvLayerJob): boolean {
  return (
    job.layout === 'NCHW' &&
    job.groups === job.channels &&
    job.outC === job.channels &&
    job.stride[0] === 1 &&
    job.stride[1] === 1 &&
    job.dilation[0] === 1 &&
    job.dilation[1] === 1 &&
    job.inputDilation[0] === 1 &&
    job.inputDilation[1] === 1 &&
    Math.min(job.pad.top, job.pad.bottom, job.pad.left, job.pad.right) >= 0
  );
}


/**
 * Weight gradient of a forward layer `job` (NCHW) given gradOutput [N, outC, outH, outW]:
 *   gradW[oc, ic, ky, kx] = sum_n sum_(oy, ox) gradOut[n, oc, oy, ox] * xpad[n, ic, oy*sH + ky*dH, ox*sW + kx*dW],
 * the correlation of the padded input with gradOutput. It runs on the same channel-vectorised
 * kernel with the roles swapped: gradOutput's positions are the taps (stride folded into the
 * tap offsets), the kernel positions (ky, kx) are the output positions (dilation folded into
 * the steps), and each input channel of the group is one call; batch items accumulate.
 */
export function runWeightGradient(job: ConvLayerJob, gradOut: NumericArray): FloatArray {
  const backend = current();
  const { paddedH, paddedW, outH, outW } = convGeometry(job);
  const bytes = job.dtype === 'float64' ? 8 : 4;
  const perBlock = BLOCK_BYTES / bytes;
  const icg = job.channels / job.groups;
  const ocg = job.outC / job.groups;
  const nTaps = outH * outW;
  const kernelSize = job.kh * job.kw;
  const groupLength = Math.ceil(ocg / perBlock) * perBlock;
  const [inPtr, gPtr, zeroPtr, tapPtr, outPtr] = backend.arena.reserve([
    job.channels * paddedH * paddedW * bytes,
    job.groups * groupLength * nTaps * bytes,
    groupLength * bytes,
    nTaps * 4,
    job.outC * icg * kernelSize * bytes,
  ]);
  const heap = backend.arena.view(job.dtype);
  heap.fill(0, zeroPtr / bytes, zeroPtr / bytes + groupLength);
  const taps = backend.arena.view('uint32');
  for (let oy = 0, t = tapPtr / 4; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) taps[t++] = (oy * job.stride[0] * paddedW + ox * job.stride[1]) * bytes;
  }
  const conv = job.dtype === 'float64' ? backend.convF64 : backend.convF32;
  const plane = paddedH * paddedW;
  const inItem = job.channels * job.height * job.width;
  const gradItem = job.outC * nTaps;
  for (let n = 0; n < job.batch; n++) {
    writeInput(heap, inPtr / bytes, job, n * inItem);
    const groupPacked = packBlocks(heap, gPtr / bytes, gradOut.subarray(n * gradItem, (n + 1) * gradItem), job.groups, ocg, nTaps, perBlock);
    for (let g = 0; g < job.groups; g++) {
      for (let ic = 0; ic < icg; ic++) {
        conv(
          inPtr + (g * icg + ic) * plane * bytes,
          tapPtr,
          nTaps,
          gPtr + g * groupPacked * bytes,
          zeroPtr,
          ocg,
          outPtr + (g * ocg * icg + ic) * kernelSize * bytes,
          icg * kernelSize * bytes,
          kernelSize,
          job.kw,
          job.dilation[0] * paddedW * bytes,
          job.dilation[1] * bytes,
          job.kw * bytes,
          bytes,
          n > 0 ? 1 : 0,
        );
      }
    }
  }
  const start = outPtr / bytes;
  return heap.slice(start, start + job.outC * icg * kernelSize);
}

/** A depthwise pass's arena regions and steps, for the layouts the image passes use. */
interface PassSteps {
  /** Arena regions: input, the pass's parameters, output, input bytes, output bytes. */
  sizes: number[];
  /** Writes the parameters into their regions (`at` holds this pass's region offsets). */
  load(at: number[]): void;
  /** Runs the pass on the input at `inPtr` into the output region. */
  run(inPtr: number, at: number[]): void;
}

const OUT = -3;
const IN_BYTES = -2;
const OUT_BYTES = -1;
const region = (at: number[], which: number) => at[at.length + which];

/**
 * Depthwise passes (one output channel per input channel, filter2d's and the layer's), one batch
 * item at a time: per-channel 2-D kernels over NCHW planes (stride 1), or the channels-last
 * kernel, whose vectors span the channels of a position (any stride and dilation).
 */
function depthwiseSteps(backend: Backend, job: ConvLayerJob, geometry: ConvGeometry): PassSteps {
  const { paddedH, paddedW, outH, outW } = geometry;
  const bytes = job.dtype === 'float64' ? 8 : 4;
  const C = job.channels;
  const nTaps = job.kh * job.kw;
  const padded = C * paddedH * paddedW;
  const outItem = C * outH * outW;
  const io = [outItem * bytes, job.bytesIn ? padded : 0, byteOutBytes(job, outItem)];
  const heap = () => backend.arena.view(job.dtype);
  if (isDepthwisePlanar(job)) {
    const plane = outH * outW;
    const correlate = job.dtype === 'float64' ? backend.correlateF64 : backend.correlateF32;
    return {
      sizes: [padded * bytes, C * nTaps * bytes, ...io],
      load: (at) => heap().set(job.weight.subarray(0, C * nTaps), at[1] / bytes),
      run(inPtr, at) {
        const outPtr = region(at, OUT);
        for (let c = 0; c < C; c++) {
          // Bias first, then the correlation accumulates onto it.
          if (job.bias) heap().fill(job.bias[c], outPtr / bytes + c * plane, outPtr / bytes + (c + 1) * plane);
          correlate(inPtr + c * paddedH * paddedW * bytes, paddedW, at[1] + c * nTaps * bytes, job.kh, job.kw, outPtr + c * plane * bytes, outW, outH, outW, job.bias ? 1 : 0);
        }
      },
    };
  }
  const row = paddedW * C;
  const depthwise = job.dtype === 'float64' ? backend.depthwiseF64 : backend.depthwiseF32;
  return {
    sizes: [padded * bytes, (nTaps * C + DEPTHWISE_OVERREAD) * bytes, (C + DEPTHWISE_OVERREAD) * bytes, nTaps * 4, ...io],
    load([, wPtr, biasPtr, tapPtr]) {
      const h = heap();
      // Weights [C, 1, kh, kw] -> [tap][C]; zeros past the end for the vector tails.
      const w = wPtr / bytes;
      h.fill(0, w, w + nTaps * C + DEPTHWISE_OVERREAD);
      for (let c = 0; c < C; c++) for (let t = 0; t < nTaps; t++) h[w + t * C + c] = job.weight[c * nTaps + t];
      const b = biasPtr / bytes;
      h.fill(0, b, b + C + DEPTHWISE_OVERREAD);
      if (job.bias) h.set(job.bias.subarray(0, C), b);
      const taps = backend.arena.view('uint32');
      for (let y = 0, t = tapPtr / 4; y < job.kh; y++) {
        for (let x = 0; x < job.kw; x++) taps[t++] = (y * job.dilation[0] * row + x * job.dilation[1] * C) * bytes;
      }
    },
    run(inPtr, [, wPtr, biasPtr, tapPtr, outPtr]) {
      depthwise(inPtr, tapPtr, nTaps, wPtr, biasPtr, C, outPtr, outH * outW, outW, job.stride[0] * row * bytes, job.stride[1] * C * bytes);
    },
  };
}

function depthwisePass(backend: Backend, job: ConvLayerJob, geometry: ConvGeometry, result: LayerResult, nearTies: NearTies[]): void {
  const steps = depthwiseSteps(backend, job, geometry);
  const at = backend.arena.reserve(steps.sizes);
  steps.load(at);
  const outItem = job.channels * geometry.outH * geometry.outW;
  for (let n = 0; n < job.batch; n++) {
    stageItem(backend, job, n, at[0], region(at, IN_BYTES), job.channels * geometry.paddedH * geometry.paddedW);
    steps.run(at[0], at);
    collectItem(backend, job, n, region(at, OUT), region(at, OUT_BYTES), outItem, result, nearTies);
  }
}

/**
 * Two depthwise image passes, the second reading the first's output where it lies in the arena
 * (sepFilter2d's rows, then its columns), so the intermediate image never leaves Wasm memory.
 * `second.input` is not read: second's shape is first's output, unpadded.
 */
export function runSeparablePasses(first: ConvLayerJob, second: ConvLayerJob): { values: LayerResult; nearTies: NearTies[] } {
  const backend = current();
  const g1 = convGeometry(first);
  const g2 = convGeometry(second);
  const { top, bottom, left, right } = second.pad;
  const chained = first.layout === second.layout && first.dtype === second.dtype && first.channels === second.channels && first.batch === 1 && second.batch === 1;
  if (!chained || second.height !== g1.outH || second.width !== g1.outW || top || bottom || left || right || !isDepthwise(first) || !isDepthwise(second)) {
    throw new Error("runSeparablePasses: the second pass must read the first pass's output as it is");
  }
  const outItem = second.channels * g2.outH * g2.outW;
  const nearTies: NearTies[] = [];
  const result = second.bytesOut ? new Uint8ClampedArray(outItem) : allocFloat(second.dtype, outItem);
  if (outItem === 0) return { values: result, nearTies };
  const s1 = depthwiseSteps(backend, first, g1);
  const s2 = depthwiseSteps(backend, second, g2);
  // The second pass's input region is the first pass's output region.
  const all = backend.arena.reserve([...s1.sizes, ...s2.sizes.slice(1)]);
  const at1 = all.slice(0, s1.sizes.length);
  const at2 = [region(at1, OUT), ...all.slice(s1.sizes.length)];
  s1.load(at1);
  s2.load(at2);
  stageItem(backend, first, 0, at1[0], region(at1, IN_BYTES), first.channels * g1.paddedH * g1.paddedW);
  s1.run(at1[0], at1);
  s2.run(at2[0], at2);
  collectItem(backend, second, 0, region(at2, OUT), region(at2, OUT_BYTES), outItem, result, nearTies);
  return { values: result, nearTies };
}
