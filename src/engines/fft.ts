// The FFT engine: the same valid correlation of a padded input as engines/plane.ts, by
// overlap-save. The padded input is cut into tiles of a 5-smooth transform size; each tile's
// circular convolution with the kernel is exact where the kernel does not wrap, which are the
// tile's V = F - K + 1 valid outputs, and tiles advance by V. Tile pairs ride as one complex
// tile, T pairs side by side in the planes' contiguous axis, so the transforms vectorise across
// tiles (layout and kernels: assembly/fft.ts, runtime/fallbackFft.ts). The plan is the one the
// cost model of fftPlan.ts finds cheapest.
import { padInto, paddedShape } from '../core/padding';
import { allocFloat, copyOut, type FloatArray } from '../core/tensor';
import type { Backend, KernelSet } from '../runtime/abi';
import { current } from '../runtime/backend';
import { forgetPlans, planTiling, transform, type Tiling } from './fftPlan';
import type { CorrelationJob } from './plane';
import { spreader } from './spread';

type Shape3 = readonly [number, number, number];

/** A correlation job over a batch of independent problems (fftconvolve's other axes). */
export interface FftJob extends CorrelationJob {
  /** count problems; input items `inputStride` samples apart (0: the same input for all), kernels `kernelStride` apart. */
  batch?: { count: number; inputStride: number; kernelStride: number };
  /** Transform sizes and lanes to use instead of the cost model's choice (tests, calibration). */
  tiling?: { F: [number, number, number]; T: number };
  /** Return null instead of a result that holds NaN or an infinity ('auto' then sums directly). */
  finiteOnly?: boolean;
  /**
   * Only tiles [from, to) of a 2-D job's plan (a pool worker's run; `from` even, so tiles pair
   * as in the whole job, and lanes are independent): their outputs go into `out`, whose other
   * samples are left as they were.
   */
  tiles?: readonly [number, number];
}

const GEOMETRY_INTS = 26;

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Shape of the valid correlation of the padded input with the kernel. */
export function fftOutputShape(job: CorrelationJob): [number, number, number] {
  const p = paddedShape(job.inputShape, job.padding);
  return [0, 1, 2].map((a) => p[a] - job.kernelShape[a] + 1) as [number, number, number];
}

/** The tiling the engine would use for this job on the current backend (what chooseConvMethod prices). */
export function fftTiling(job: CorrelationJob, backend: Backend = current()): Tiling {
  const zeroPadded = job.padding.mode === 'constant' && job.padding.value === 0;
  const p = paddedShape(job.inputShape, job.padding);
  const copied = zeroPadded ? prod(job.inputShape) : prod(p);
  return planTiling(p, job.kernelShape, job.dtype, backend.name === 'js' ? 'js' : 'wasm', copied);
}

/** The tiling with transform sizes F and T lanes. */
function tilingOf(job: CorrelationJob, F: [number, number, number], T: number): Tiling {
  const valid = fftOutputShape(job);
  const V = F.map((f, a) => f - job.kernelShape[a] + 1) as [number, number, number];
  const N = V.map((v, a) => Math.ceil(valid[a] / v)) as [number, number, number];
  return { F, V, N, T, cost: NaN };
}

/** Transforms the planes in place along every axis of length > 1: [F0][F1][F2] positions of T lanes. */
function transformAll(k: KernelSet, forward: boolean, re: number, im: number, F: Shape3, T: number, axes: { stages: number; count: number; tw: number }[]): void {
  const order = forward ? [0, 1, 2] : [2, 1, 0];
  for (const a of order) {
    if (F[a] === 1) continue;
    const A = prod(F.slice(0, a));
    const C = prod(F.slice(a + 1)) * T;
    (forward ? k.fftForward : k.fftInverse)(re, im, A, F[a], C, axes[a].stages, axes[a].count, axes[a].tw);
  }
}

/**
 * Runs a correlation (a batch of them) by overlap-save FFTs on the current backend; the result
 * is [batch items][valid shape], in `out` when given.
 */
export function runFftCorrelation(job: FftJob, out?: FloatArray): FloatArray;
export function runFftCorrelation(job: FftJob & { finiteOnly: true }, out?: FloatArray): FloatArray | null;
export function runFftCorrelation(job: FftJob, out?: FloatArray): FloatArray | null {
  const backend = current();
  const k = backend.kernels(job.dtype);
  const { bytes } = k;
  const batch = job.batch ?? { count: 1, inputStride: 0, kernelStride: 0 };
  const K = job.kernelShape;
  const O = fftOutputShape(job);
  const P = paddedShape(job.inputShape, job.padding);
  const plan = job.tiling ? tilingOf(job, job.tiling.F, job.tiling.T) : fftTiling(job, backend);
  const { F, V, N, T } = plan;
  const positions = prod(F);
  const M = positions * T;
  const tiles = prod(N);
  const axes = F.map((f) => (f > 1 ? transform(f) : null));
  const [from, to] = job.tiles ?? [0, tiles];
  if (job.tiles && (batch.count !== 1 || N[0] !== 1 || !out || from % 2 !== 0)) throw new Error('runFftCorrelation: runs of tiles are for one 2-D problem, into out, from an even tile');
  // Zero padding needs no padded copy: the tiles read the input itself and zeros around it.
  const zeroPadded = job.padding.mode === 'constant' && job.padding.value === 0;
  const source = zeroPadded ? job.inputShape : P;
  const at = backend.arena.reserve({
    source: prod(source) * bytes,
    kre: positions * bytes,
    kim: positions * bytes,
    // The scatter reads up to 3 positions past a row.
    re: (M + 4 * T) * bytes,
    im: (M + 4 * T) * bytes,
    scratch: 5 * F[2] * bytes,
    output: prod(O) * bytes,
    geometry: GEOMETRY_INTS * 4,
    stages: axes.reduce((s, t) => s + (t ? t.stages.length * 4 : 0), 0),
    twiddles: axes.reduce((s, t) => s + (t ? t.twiddles.length * bytes : 0), 0),
  });
  const heap = backend.arena.view(job.dtype);
  const ints = backend.arena.view('int32');
  const start = zeroPadded ? job.padding.before : [0, 0, 0];
  ints.set([...F, ...V, ...N, source[1] * source[2], source[2], O[1] * O[2], O[2], K[0] - 1, K[1] - 1, K[2] - 1, T, ...O, ...source, ...start], at.geometry / 4);
  let stagePtr = at.stages;
  let twPtr = at.twiddles;
  const tables = axes.map((t) => {
    if (!t) return { stages: 0, count: 0, tw: 0 };
    ints.set(t.stages, stagePtr / 4);
    heap.set(t.twiddles, twPtr / bytes);
    const entry = { stages: stagePtr, count: t.stages.length / 2, tw: twPtr };
    stagePtr += t.stages.length * 4;
    twPtr += t.twiddles.length * bytes;
    return entry;
  });

  const inItem = prod(job.inputShape);
  const kItem = prod(K);
  const outItem = prod(O);
  const result = out ?? (batch.count === 1 ? null : allocFloat(job.dtype, batch.count * outItem));
  for (let b = 0; b < batch.count; b++) {
    if (b === 0 || batch.kernelStride !== 0) kernelSpectrum(job, b * batch.kernelStride, kItem, plan, at, tables);
    const item = job.input.subarray(b * batch.inputStride, b * batch.inputStride + inItem);
    if (zeroPadded && job.tiles) {
      const [r0, r1] = runInputRows(job, plan);
      backend.arena.view(job.dtype).set(item.subarray(r0 * source[2], r1 * source[2]), at.source / bytes + r0 * source[2]);
    } else if (zeroPadded) backend.arena.view(job.dtype).set(item, at.source / bytes);
    else padInto(item, job.inputShape, job.padding, backend.arena.view(job.dtype), at.source / bytes, 1, undefined, undefined, spreader(k));
    let nonFinite = 0;
    for (let first = from; first < to; first += 2 * T) {
      const count = Math.min(2 * T, to - first);
      k.gatherTiles(at.geometry, at.source, first, count, at.re, at.im, at.scratch);
      transformAll(k, true, at.re, at.im, F, T, tables);
      k.spectrumMul(at.re, at.im, at.kre, at.kim, positions, T);
      transformAll(k, false, at.re, at.im, F, T, tables);
      nonFinite |= k.scatterTiles(at.geometry, at.re, at.im, first, count, at.output);
    }
    if (job.finiteOnly && nonFinite) return null;
    const view = backend.arena.view(job.dtype);
    if (job.tiles) return placeTiles(view, at.output / bytes, out as FloatArray, plan, O, [from, to]);
    if (!result) return copyOut(view, at.output / bytes, outItem);
    result.set(view.subarray(at.output / bytes, at.output / bytes + outItem), b * outItem);
  }
  return result as FloatArray;
}

/**
 * Rows [first, end) of a 2-D job's input that its run of tiles reads: under zero padding only the
 * rows under its tile rows (the tiles read the input itself), otherwise every row (the padded
 * copy is made whole).
 */
export function runInputRows(job: FftJob, { F, V, N }: Tiling): [number, number] {
  const height = job.inputShape[1];
  if (!job.tiles || job.padding.mode !== 'constant' || job.padding.value !== 0) return [0, height];
  const [from, to] = job.tiles;
  const top = job.padding.before[1];
  const first = Math.floor(from / N[2]) * V[1] - top;
  const end = Math.floor((to - 1) / N[2]) * V[1] + F[1] - top;
  return [Math.max(0, first), Math.min(height, end)];
}

/** The outputs of tiles [from, to) of a 2-D plan, from `view` (an output grid at `at`) into `out`. */
export function placeTiles(view: FloatArray, at: number, out: FloatArray, { V, N }: Tiling, O: Shape3, [from, to]: readonly [number, number]): FloatArray {
  for (let ty = Math.floor(from / N[2]); ty * N[2] < to; ty++) {
    const c0 = Math.max(from - ty * N[2], 0) * V[2];
    const c1 = Math.min(Math.min(to - ty * N[2], N[2]) * V[2], O[2]);
    for (let y = ty * V[1]; y < Math.min((ty + 1) * V[1], O[1]); y++) out.set(view.subarray(at + y * O[2] + c0, at + y * O[2] + c1), y * O[2] + c0);
  }
  return out;
}

/** Spectra of recent kernels, keyed by every parameter and compared value by value: filtering many images with one kernel transforms it once. */
const spectra: { key: string; kernel: Float64Array; re: FloatArray; im: FloatArray }[] = [];
const SPECTRA_KEPT = 4;
/** Spectra larger than this many positions are not kept (4 MiB of float32 each). */
const SPECTRUM_KEPT_POSITIONS = 1 << 20;

/** Forgets the kept spectra and plans (release()). */
export function forgetSpectra(): void {
  spectra.length = 0;
  forgetPlans();
}

/**
 * The kernel's spectrum, scaled by 1/N, into kre and kim: transformed in the tile planes with the
 * kernel in lane 0, then lane 0 kept. Circular convolution with the kernel reversed is
 * correlation (a convolution job's kernel is already the reversed one). The axes go last to
 * first, each over the rows the kernel still leaves non-zero.
 */
function kernelSpectrum(job: FftJob, from: number, kItem: number, plan: Tiling, at: Record<'re' | 'im' | 'kre' | 'kim', number>, tables: { stages: number; count: number; tw: number }[]): void {
  const backend = current();
  const k = backend.kernels(job.dtype);
  const { F, T } = plan;
  const K = job.kernelShape;
  const positions = prod(F);
  const values = job.kernel.subarray(from, from + kItem);
  const key = `${backend.name}:${job.dtype}:${F}:${T}:${K}:${job.flipKernel}`;
  const hit = spectra.find((e) => e.key === key && e.kernel.every((v, i) => Object.is(v, values[i])));
  const view = () => backend.arena.view(job.dtype);
  if (hit) {
    view().set(hit.re, at.kre / k.bytes);
    view().set(hit.im, at.kim / k.bytes);
    return;
  }
  const heap = view();
  const re = at.re / k.bytes;
  const im = at.im / k.bytes;
  heap.fill(0, re, re + positions * T);
  heap.fill(0, im, im + positions * T);
  const scale = 1 / positions;
  for (let i = 0; i < kItem; i++) {
    const m0 = Math.floor(i / (K[1] * K[2]));
    const m1 = Math.floor(i / K[2]) % K[1];
    const m2 = i % K[2];
    const [p0, p1, p2] = job.flipKernel ? [m0, m1, m2] : [K[0] - 1 - m0, K[1] - 1 - m1, K[2] - 1 - m2];
    heap[re + ((p0 * F[1] + p1) * F[2] + p2) * T] = values[i] * scale;
  }
  // Axis 2 over the K0 x K1 rows that hold the kernel, axis 1 over the K0 planes, then axis 0.
  const row = F[2] * T * k.bytes;
  if (F[2] > 1) {
    for (let p0 = 0; p0 < K[0]; p0++) {
      const off = p0 * F[1] * row;
      k.fftForward(at.re + off, at.im + off, K[1], F[2], T, tables[2].stages, tables[2].count, tables[2].tw);
    }
  }
  if (F[1] > 1) k.fftForward(at.re, at.im, K[0], F[1], F[2] * T, tables[1].stages, tables[1].count, tables[1].tw);
  if (F[0] > 1) k.fftForward(at.re, at.im, 1, F[0], F[1] * F[2] * T, tables[0].stages, tables[0].count, tables[0].tw);
  const out = view();
  const sre = allocFloat(job.dtype, positions);
  const sim = allocFloat(job.dtype, positions);
  for (let p = 0; p < positions; p++) {
    sre[p] = out[re + p * T];
    sim[p] = out[im + p * T];
  }
  out.set(sre, at.kre / k.bytes);
  out.set(sim, at.kim / k.bytes);
  if (positions > SPECTRUM_KEPT_POSITIONS) return;
  spectra.unshift({ key, kernel: Float64Array.from(values), re: sre, im: sim });
  spectra.length = Math.min(spectra.length, SPECTRA_KEPT);
}
