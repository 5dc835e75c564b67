// The Winograd engine: dense 3x3 layers with unit stride and dilation and zero padding, by
// F(2x2, 3x3) tiles (4 multiplies per output and input channel where the direct sum takes 9).
// Per batch item: the padded input staged channels last, its 4x4 tiles transformed
// (assembly/winograd.ts), one matrix product per transform index xi on the dense kernel
// (assembly/conv.ts: the input channels as taps, the tiles as positions), and the products
// transformed back into the caller's layout with the bias. The weights are transformed here, in
// float64 straight into the dense kernel's blocks (once per set of weights: see packWeights).
// Like the FFT path it declines (returns false) when a result is not finite, since the
// transforms would spread a NaN or infinity beyond the windows that hold it.
// Kernels: assembly/winograd.ts and assembly/conv.ts (Wasm SIMD), runtime/fallback.ts.
import type { FloatArray, NumericArray } from '../core/tensor';
import { BLOCK_BYTES } from '../runtime/abi';
import { current } from '../runtime/backend';
import { packBias, paddedSize, steps, writeInput, type ItemSink, type LayerJob } from './layerJob';

/**
 * Channels below which the matrix products are too thin to beat the direct kernel; measured on
 * 56x56 layers (16 -> 16: 1.6x faster, 8 -> 8: 1.2x).
 */
const MIN_CHANNELS = 8;

/**
 * Outputs (batch x outH x outW) below which the weight transform (~80 ns per channel
 * pair, in JS) costs more than the multiply-adds the tiles save (5 per output and channel pair,
 * ~0.07 ns each at this engine's rate): 7x7 and 14x14 maps of a single item stay direct.
 */
const MIN_OUTPUTS = 256;

/** Bytes of tile transforms and products per run of tiles. */
const RUN_BYTES = 256 * 1024;

/**
 * A cache line between consecutive xi of a run: the 16 transforms of a tile are written (and
 * read back) together, and at a power-of-two spacing they would all fall in one L1 set.
 */
const XI_SKEW = 64;

/** Whether the job is a layer this engine computes. */
export function winogradFits(job: LayerJob): boolean {
  const unit = (p: readonly [number, number]) => p[0] === 1 && p[1] === 1;
  if (job.kh !== 3 || job.kw !== 3 || job.groups !== 1 || !unit(job.stride) || !unit(job.dilation) || !unit(job.inputDilation)) return false;
  if (job.padMode !== 'constant' || Math.min(job.pad.top, job.pad.bottom, job.pad.left, job.pad.right) < 0) return false;
  if (job.channels < MIN_CHANNELS || job.outC < MIN_CHANNELS || job.outH < 2 || job.outW < 2 || job.batch * job.outH * job.outW < MIN_OUTPUTS) return false;
  const { paddedH, paddedW } = paddedSize(job);
  return job.outH === paddedH - 2 && job.outW === paddedW - 2;
}

/**
 * The transformed weights of the last few layers, by their values: a layer run again with the
 * same weights (inference; a pool worker's share of one) copies its transform instead of redoing
 * it (a third of a 64->64 layer at 56x56). Matched by content, not identity, so weights changed
 * in place (training) are transformed again; entries past CACHE_BYTES are not kept.
 */
const cache: { weight: NumericArray; outC: number; channels: number; packed: FloatArray }[] = [];
const CACHE_ENTRIES = 4;
const CACHE_BYTES = 4 * 1024 * 1024;

/** Forgets the kept transforms (release()). */
export function forgetWeights(): void {
  cache.length = 0;
}

/** Node's Buffer, whose equals() compares bytes natively (15x the JS loop); browsers have none. */
const NodeBuffer = (globalThis as { Buffer?: { from(b: ArrayBufferLike, offset: number, length: number): { equals(o: Uint8Array): boolean } } }).Buffer;

/** The same bits (so -0 and +0 differ, as their transforms may). */
function sameBits(a: NumericArray, b: NumericArray): boolean {
  if (a.byteLength !== b.byteLength || a.constructor !== b.constructor) return false;
  if (NodeBuffer) return NodeBuffer.from(a.buffer, a.byteOffset, a.byteLength).equals(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  const words = a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0 && a.byteLength % 4 === 0;
  const [x, y] = words ? [new Int32Array(a.buffer, a.byteOffset, a.byteLength / 4), new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4)] : [new Uint8Array(a.buffer, a.byteOffset, a.byteLength), new Uint8Array(b.buffer, b.byteOffset, b.byteLength)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** packTransformedWeights, from the cache where it holds these weights for this layout. */
function packWeights(heap: FloatArray, at: number, xiLength: number, job: LayerJob, perBlock: number): void {
  const size = 16 * xiLength;
  const hit = cache.find((e) => e.outC === job.outC && e.channels === job.channels && e.packed.length === size && e.packed.constructor === heap.constructor && sameBits(e.weight, job.weight));
  if (hit) {
    heap.set(hit.packed, at);
    return;
  }
  packTransformedWeights(heap, at, xiLength, job, perBlock);
  if (size * heap.BYTES_PER_ELEMENT > CACHE_BYTES) return;
  cache.unshift({ weight: job.weight.slice(), outC: job.outC, channels: job.channels, packed: heap.slice(at, at + size) });
  cache.length = Math.min(cache.length, CACHE_ENTRIES);
}

/**
 * U = G g G^T of every (output, input) channel pair, computed in float64 and written straight
 * into the dense kernel's weight blocks (see packBlocks), one matrix [oc][c] per xi, `xiLength`
 * elements apart from element `at` of `heap`.
 */
function packTransformedWeights(heap: FloatArray, at: number, xiLength: number, job: LayerJob, perBlock: number): void {
  const { outC, channels: C, weight } = job;
  heap.fill(0, at, at + 16 * xiLength);
  const gg = new Float64Array(12);
  for (let o = 0; o < outC; o++) {
    const block = at + Math.floor(o / perBlock) * perBlock * C + (o % perBlock);
    for (let c = 0; c < C; c++) {
      const g = (o * C + c) * 9;
      // Gg: rows g0, (g0 + g1 + g2) / 2, (g0 - g1 + g2) / 2, g2 of the kernel's rows.
      for (let x = 0; x < 3; x++) {
        const a = weight[g + x];
        const b = weight[g + 3 + x];
        const d = weight[g + 6 + x];
        gg[x] = a;
        gg[3 + x] = (a + b + d) / 2;
        gg[6 + x] = (a - b + d) / 2;
        gg[9 + x] = d;
      }
      // (Gg) G^T, row by row; xi = 4 * row + column.
      const to = block + c * perBlock;
      for (let i = 0; i < 4; i++) {
        const a = gg[3 * i];
        const b = gg[3 * i + 1];
        const d = gg[3 * i + 2];
        const row = to + 4 * i * xiLength;
        heap[row] = a;
        heap[row + xiLength] = (a + b + d) / 2;
        heap[row + 2 * xiLength] = (a - b + d) / 2;
        heap[row + 3 * xiLength] = d;
      }
    }
  }
}

/**
 * Computes the layer, item by item into `sink`; false if some result is not finite (the caller
 * then runs the direct sum into the same sink, which puts every item again).
 */
export function runWinograd(job: LayerJob, sink: ItemSink): boolean {
  const backend = current();
  const { bytes, conv, channelsLast, winogradInput, winogradOutput } = backend.kernels(job.dtype);
  const { outH, outW, channels: C, outC } = job;
  const tH = Math.ceil(outH / 2);
  const tW = Math.ceil(outW / 2);
  const tiles = tH * tW;
  // Tiles go through in runs that keep their transforms and products in L2 with the weights.
  const run = Math.max(4, Math.min(tiles, Math.floor(RUN_BYTES / (16 * (C + outC) * bytes))));
  // An odd output size needs one more row or column of zeros for its last tiles.
  const staged: LayerJob = { ...job, pad: { ...job.pad, bottom: job.pad.bottom + 2 * tH - outH, right: job.pad.right + 2 * tW - outW } };
  const { paddedH, paddedW } = paddedSize(staged);
  const perBlock = BLOCK_BYTES / bytes;
  const blocks = Math.ceil(outC / perBlock) * perBlock;
  const paddedBytes = C * paddedH * paddedW * bytes;
  const at = backend.arena.reserve({
    padded: paddedBytes,
    staged: job.layout === 'NHWC' ? 0 : paddedBytes,
    weights: 16 * blocks * C * bytes,
    bias: blocks * bytes,
    zeros: blocks * bytes,
    taps: C * 4,
    tiles: 16 * (run * C * bytes + XI_SKEW),
    products: 16 * (run * outC * bytes + XI_SKEW),
    output: outC * outH * outW * bytes,
  });
  const heap = backend.arena.view(job.dtype);
  packWeights(heap, at.weights / bytes, blocks * C, job, perBlock);
  packBias(heap, at.bias / bytes, job.bias, 1, outC, perBlock);
  packBias(heap, at.zeros / bytes, null, 1, outC, perBlock);
  const taps = backend.arena.view('uint32');
  for (let c = 0; c < C; c++) taps[at.taps / 4 + c] = c * bytes;
  const input = job.layout === 'NHWC' ? at.padded : at.staged;
  const dst = steps(job.layout, outC, outH, outW);
  const outItem = outC * outH * outW;
  for (let n = 0; n < job.batch; n++) {
    writeInput(heap, at.padded / bytes, staged, n);
    if (job.layout === 'NCHW') channelsLast(at.padded, C, paddedH * paddedW, at.staged);
    for (let first = 0; first < tiles; first += run) {
      const count = Math.min(run, tiles - first);
      const vStep = count * C * bytes + XI_SKEW;
      const mStep = count * outC * bytes + XI_SKEW;
      winogradInput(input, C, paddedW * C * bytes, tW, first, count, at.tiles, vStep);
      for (let xi = 0; xi < 16; xi++) {
        conv(
          at.tiles + xi * vStep,
          at.taps,
          C,
          at.weights + xi * blocks * C * bytes,
          at.zeros,
          outC,
          at.products + xi * mStep,
          bytes,
          count,
          count,
          0,
          C * bytes,
          0,
          outC * bytes,
        );
      }
      if (winogradOutput(at.products, outC, tW, first, count, mStep, at.bias, at.output, dst.chan * bytes, dst.row * bytes, dst.col * bytes, outH, outW)) return false;
    }
    const start = at.output / bytes;
    sink(n, heap.subarray(start, start + outItem));
  }
  return true;
}
