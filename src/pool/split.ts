// How the pool splits one call into tasks for its workers, and puts the answers back together.
// Only splits whose every output is computed exactly as the whole call computes it: bands of
// output rows of the plane engine (correlate2d, convolve2d, 2-D convolve/correlate computed
// directly, filter2d's single pass), runs of the FFT engine's tiles for the same 2-D calls on the
// FFT route, the same image call on bands of rows and the rows around
// them (filter2d's two passes, sepFilter2d), and bands of a layer's output rows or slices of its
// batch items or output channels, by the whole layer's route. Everything else runs whole on one
// worker.
import { BYTES, allocUnset, allocUnsetOf, toOperand, type FloatArray, type NumericArray, type Tensor, type TensorLike } from '../core/tensor';
import { chooseEngine } from '../engines/choose';
import { nonzeroTaps } from '../engines/taps';
import { fftOutputShape, fftTiling, placeTiles, runInputRows } from '../engines/fft';
import { layerRoute, type LayerRoute } from '../engines/layer';
import type { LayerJob } from '../engines/layerJob';
import { resultSize, rowBandable, validShape, type CorrelationJob } from '../engines/plane';
import type { PassResult } from '../engines/imageOutput';
import { filter2dBands, sepFilter2dBands } from '../image/filter';
import type { Filter2dOptions, ImageLike } from '../image/picture';
import { lowerConv } from '../nn/conv';
import { compactRows, copyInputRows, copyRows, layerRows, rowSink, rowSplittable } from './layerRows';
import { lowerSignal, type SignalCall, type SignalFn } from '../signal/convolve';
import type { PoolFunction, Task } from './tasks';

/** Where a split call's inputs and outputs live while workers compute it. */
export interface Exchange {
  mode: 'shared' | 'transfer';
  /**
   * The share computed on the calling thread (a blocking pool's 0), or -1: in shared mode it
   * reads the caller's arrays and writes the result in place, with no shared copies.
   */
  local: number;
  /** Shared mode: an array with the same samples that every worker can read (the array itself if it already is). */
  share<T extends NumericArray>(a: T): T;
  /** Shared mode: a shared array for results (reused between calls: every sample gets written). */
  sharedOut<T extends NumericArray>(Type: { new (buffer: SharedArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number }, length: number): T;
}

export interface Sent {
  task: Task;
  transfer?: ArrayBuffer[];
}

export type Dispatch = (sent: Sent, lane: number) => Promise<{ value: unknown; route?: LayerRoute }>;

/** Output rows per band at least: fewer and the halo rows and messages cost more than they save. */
const MIN_BAND_ROWS = 16;

/**
 * The plane kernels sum a block of 2 or 3 output rows at once, in a different order from a
 * lone row, and the engine's bands of rows start at multiples of 6 interior rows. Bands that
 * start there too group every row as the whole call does: identical bits.
 */
const ROW_GROUP = 6;

/** [from, to) of `count` things in `n` parts as equal as whole things allow. */
export function bands(count: number, n: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) out.push([Math.round((i * count) / n), Math.round(((i + 1) * count) / n)]);
  return out;
}

/**
 * Output rows of a plane job in up to `threads` bands of about equal work, each starting (after
 * the first) on a row group of the interior (rows whose windows lie inside the input); null when
 * fewer than two bands of MIN_BAND_ROWS fit.
 */
function rowBands(job: CorrelationJob, threads: number): [number, number][] | null {
  const top = job.padding.before[1];
  const interior = job.inputShape[1] - job.kernelShape[1] + 1;
  const rows = validShape(job)[1];
  const groups = Math.floor(interior / ROW_GROUP);
  const n = Math.min(threads, groups, Math.floor(rows / MIN_BAND_ROWS));
  if (n < 2) return null;
  const starts = bands(groups, n).map(([g]) => (g === 0 ? 0 : top + g * ROW_GROUP));
  return starts.map((from, i) => [from, i + 1 < n ? starts[i + 1] : rows]);
}

type TypedCtor<T> = { new (length: number): T; new (buffer: SharedArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number };
const ctor = <T extends NumericArray>(a: T) => a.constructor as unknown as TypedCtor<T>;

/**
 * An array of the whole input's length holding only the rows a band reads (its rows, `reach`
 * around them, and `reach` at each edge for borders that reflect or wrap). Transfer mode: the
 * rest stays zero and, being untouched, costs no memory; shared mode (`copy` given): the rest
 * is whatever the reused buffer held, and no task reads it.
 */
function bandInput<T extends NumericArray>(input: T, height: number, rowSamples: number, [from, to]: [number, number], reach: number, copy = new (ctor(input))(input.length)): T {
  const spans: [number, number][] = [[0, 2 * reach], [from - reach, to + reach], [height - 2 * reach, height]];
  for (const [a, b] of spans) {
    const [lo, hi] = [Math.max(0, a), Math.min(height, b)];
    if (hi > lo) copy.set(input.subarray(lo * rowSamples, hi * rowSamples), lo * rowSamples);
  }
  return copy;
}

const bufferOf = (a: NumericArray) => a.buffer as ArrayBuffer;

/** Rows [r0, r1) of `rowLength` samples, from one whole-sized array to another. */
function copyBand<T extends NumericArray>(from: T, to: T, [r0, r1]: [number, number], rowLength: number): void {
  (to as NumericArray).set(from.subarray(r0 * rowLength, r1 * rowLength), r0 * rowLength);
}

const isShared = (a: ArrayBufferView) => typeof SharedArrayBuffer === 'function' && a.buffer instanceof SharedArrayBuffer;

/**
 * Shared mode: the input as the workers read it. With share 0 on the calling thread (which
 * reads the caller's array) only the rows of `span` and their halo (as bandInput takes them)
 * go into shared memory; otherwise the whole input, unless it already is shared.
 */
function sharedRows<T extends NumericArray>(x: Exchange, input: T, height: number, rowSamples: number, span: [number, number], reach: number): T {
  if (isShared(input) || x.local !== 0) return x.share(input);
  return bandInput(input, height, rowSamples, span, reach, x.sharedOut(ctor(input), input.length));
}

export interface Plan {
  run(dispatch: Dispatch): Promise<unknown>;
}

/** A split of the call, or null when it runs whole. Validation errors throw here, as the synchronous call throws them. */
export function planCall(fn: PoolFunction, args: unknown[], threads: number, x: Exchange): Plan | null {
  if (fn === 'correlate2d' || fn === 'convolve2d' || fn === 'correlate' || fn === 'convolve') return signalPlan(fn, args, threads, x);
  if (fn === 'filter2d' || fn === 'sepFilter2d') return imagePlan(fn, args, threads, x);
  if (fn === 'conv2d') return layerPlan(args, threads, x);
  return null;
}

/**
 * Multiply-adds per byte of input and result below which a blocking pool computes a float call
 * whole on the calling thread: there the worker's rows cost the calling thread more to copy into
 * and out of shared memory than their sums save it. Measured (bench/RESULTS.md, eighth session;
 * two builds' blocking pools in one process): a 32-channel 112x112 depthwise 3x3 layer (1.1 per
 * byte) 1.43 ms split against 0.78 ms whole, an RGBA 1080p float32 3x3 sharpen (0.6) 11.7 against
 * 11.2 ms, 1024x1024 3x3 (1.1) 1.60 against 1.67 ms; in the grids 1024x1024 7x7 (6.1) ran
 * 1.03-1.40x and the layers (30 and up) 1.28-1.73x as fast split as on one thread. Byte images
 * split whatever their taps: widening, rounding and the near-tie scans are work that the
 * multiply-adds do not count (the uint8 sharpen 6.85 ms split, 9.0 whole). The ordinary pool
 * splits them all: its calling thread is free for other work meanwhile (a page's main thread).
 */
const MIN_SPLIT_INTENSITY = 4;

/** Whether a blocking pool should leave a direct call of `macs` multiply-adds over `bytes` of input and result whole. */
const tooThin = (x: Exchange, macs: number, bytes: number) => x.local === 0 && macs < MIN_SPLIT_INTENSITY * bytes;

function signalPlan(fn: SignalFn, args: unknown[], threads: number, x: Exchange): Plan | null {
  const call = lowerSignal(fn, args[0] as TensorLike, args[1] as TensorLike, args[2] as never);
  if (call.reverse || !rowBandable(call.job)) return null;
  const direct = call.method === 'direct' || (call.method === 'auto' && chooseEngine(call.job) === 'direct');
  const { job } = call;
  const [, kh, kw] = job.kernelShape;
  const size = resultSize(job);
  if (direct && tooThin(x, size * kh * kw, (job.input.length + size) * BYTES[job.dtype])) return null;
  const rows = directRows(call, threads, x);
  return direct ? rows : fftTiles(call, threads, x, rows);
}

/**
 * The FFT engine's tiles in runs, one per worker: every run starts on an even tile, so each tile
 * shares its complex transform with the same partner as in the whole call (lanes are
 * independent) and its outputs are the same bits. Shared mode: the workers read the shared input
 * and place their tiles in the shared result. Transfer mode: each worker gets the input rows its
 * run reads and sends back its own result, whose run of tiles is placed here. 'auto' turns to
 * the direct sum (`direct`, in bands of rows) when a run's result is not finite, as the whole
 * call does.
 */
function fftTiles(call: SignalCall, threads: number, x: Exchange, direct: Plan | null): Plan | null {
  const { job } = call;
  const auto = call.method === 'auto';
  if (auto && !direct) return null;
  const plan = fftTiling(job);
  const { F, N, T } = plan;
  if (N[0] !== 1) return null;
  const tiles = N[1] * N[2];
  // A worker's run is at least one whole transform of 2T tiles.
  const n = Math.min(threads, Math.floor(tiles / (2 * T)));
  if (n < 2) return null;
  const runs = bands(Math.ceil(tiles / 2), n).map(([p0, p1]): [number, number] => [2 * p0, Math.min(2 * p1, tiles)]);
  const size = resultSize(job);
  const O = fftOutputShape(job);
  const Out = job.dtype === 'float64' ? Float64Array : Float32Array;
  const common = { ...job, tiling: { F, T }, finiteOnly: auto };
  const [, h, w] = job.inputShape;
  return {
    async run(dispatch) {
      if (x.mode === 'transfer') {
        const parts = await Promise.all(
          runs.map((run, i) => {
            const input = bandInput(job.input, h, w, runInputRows({ ...job, tiles: run }, plan), 0);
            return dispatch({ task: { kind: 'fftTiles', job: { ...common, input, tiles: run }, out: null, size }, transfer: [bufferOf(input)] }, i);
          }),
        );
        if (parts.some((r) => r.value === false)) return (direct as Plan).run(dispatch);
        const result = call.out ?? allocUnset(job.dtype, size);
        parts.forEach((r, i) => placeTiles(r.value as FloatArray, 0, result, plan, O, runs[i]));
        return { data: result, shape: call.shape } satisfies Tensor;
      }
      const shared = { ...common, input: x.share(job.input) };
      const given = call.out && isShared(call.out) ? call.out : null;
      const out = given ?? x.sharedOut(Out as TypedCtor<FloatArray>, size);
      const replies = await Promise.all(runs.map((run, i) => dispatch({ task: { kind: 'fftTiles', job: { ...shared, tiles: run }, out, size } }, i)));
      if (replies.some((r) => r.value === false)) return (direct as Plan).run(dispatch);
      if (given) return { data: given, shape: call.shape } satisfies Tensor;
      const result = call.out ?? allocUnset(job.dtype, size);
      result.set(out);
      return { data: result, shape: call.shape } satisfies Tensor;
    },
  };
}

/** Bands of output rows of the plane engine's direct sum. */
function directRows(call: SignalCall, threads: number, x: Exchange): Plan | null {
  const { job } = call;
  const parts = rowBands(job, threads);
  if (!parts) return null;
  const oh = validShape(job)[1];
  const size = resultSize(job);
  const rowOut = size / oh;
  const [, h, w] = job.inputShape;
  const rowIn = w * (job.channels ?? 1);
  const reach = job.kernelShape[1];
  const Out = job.dtype === 'float64' ? Float64Array : Float32Array;
  return {
    async run(dispatch) {
      if (x.mode === 'shared') {
        // The workers' bands (all but share 0) are one run of rows.
        const shared = { ...job, input: sharedRows(x, job.input, h, rowIn, [parts[1][0] - reach, parts[parts.length - 1][1]], reach) };
        // A shared `out` is written by the workers themselves: no copy on this thread at all.
        const direct = call.out && isShared(call.out) ? call.out : null;
        const out = direct ?? x.sharedOut(Out as TypedCtor<FloatArray>, size);
        const result = direct ?? call.out ?? allocUnset(job.dtype, size);
        // Share 0 of a blocking pool reads the caller's input (which the shared copy lacks) and writes its rows in place.
        const here = (i: number) => i === x.local;
        // Each band's rows move out as soon as its worker answers, while the others still compute.
        await Promise.all(
          parts.map((rows, i) =>
            here(i)
              ? dispatch({ task: { kind: 'rows', job, rows, out: result, size } }, i)
              : dispatch({ task: { kind: 'rows', job: shared, rows, out, size } }, i).then(() => direct || copyBand(out, result, rows, rowOut)),
          ),
        );
        return { data: result, shape: call.shape } satisfies Tensor;
      }
      const result = call.out ?? allocUnset(job.dtype, size);
      await Promise.all(
        parts.map(async (rows, i) => {
          const input = bandInput(job.input, h, rowIn, [rows[0] - reach, rows[1]], reach);
          const { value } = await dispatch({ task: { kind: 'rows', job: { ...job, input }, rows, out: null, size }, transfer: [bufferOf(input)] }, i);
          copyBand(value as FloatArray, result, rows, rowOut);
        }),
      );
      return { data: result, shape: call.shape } satisfies Tensor;
    },
  };
}

const isImageLike = (v: unknown): v is ImageLike => v !== null && typeof v === 'object' && 'data' in v && 'width' in v && 'height' in v;

/**
 * filter2d and sepFilter2d in bands of rows: the single pass by the plane engine's rows
 * (filterRows), the two-pass route as the same call on each band's rows and `reach` rows around
 * them (whose own borders only reach the rows around, which are dropped).
 */
function imagePlan(fn: 'filter2d' | 'sepFilter2d', args: unknown[], threads: number, x: Exchange): Plan | null {
  const kernels = fn === 'filter2d' ? 1 : 2;
  const image = args[0] as ImageLike | TensorLike;
  const options = args[1 + kernels] as Filter2dOptions | undefined;
  const b = fn === 'filter2d' ? filter2dBands(image, args[1] as TensorLike, options) : sepFilter2dBands(image, args[1] as TensorLike, args[2] as TensorLike, options);
  if (!b) return null;
  const { height, rowSamples, reach, job } = b;
  const n = Math.min(threads, Math.floor(height / MIN_BAND_ROWS));
  const parts = job ? rowBands(job, threads) : n >= 2 ? bands(height, n) : null;
  if (!parts) return null;
  // The image as a worker reads it: an image object, or a tensor's samples and shape.
  const picture = isImageLike(image) ? image : (() => {
    const t = toOperand('image', image);
    return { data: t.data, shape: t.shape };
  })();
  const data = picture.data as NumericArray;
  // The single pass sums the kernel's nonzero taps (the engine's own list, null when all are); the
  // two passes a row and a column (about twice its height).
  let taps = 2 * reach;
  if (job) {
    const [, kh, kw] = job.kernelShape;
    taps = nonzeroTaps(job.kernel, kh, kw)?.weights.length ?? kh * kw;
  }
  const floats = b.output === 'float' && !(data instanceof Uint8Array || data instanceof Uint8ClampedArray);
  if (floats && tooThin(x, data.length * taps, data.length * (data.BYTES_PER_ELEMENT + BYTES[b.dtype]))) return null;
  /** The image with other samples: all of them, or `rows` of them (the image that many rows high). */
  // (Named fields, not a spread: an ImageData's fields are getters on its prototype.)
  const withData = (d: NumericArray, rows = height) =>
    'shape' in picture ? { data: d, shape: [rows, picture.shape[1]] } : { data: d, width: picture.width, height: rows, channels: rowSamples / picture.width };
  const { out: _out, ...rest } = options ?? {};
  const kernelArgs = args.slice(1, 1 + kernels);
  const size = height * rowSamples;
  const outType = b.output === 'uint8' ? 'Uint8ClampedArray' : b.output === 'int16' ? 'Int16Array' : b.dtype === 'float64' ? 'Float64Array' : 'Float32Array';
  const Out = globalThis[outType] as unknown as TypedCtor<PassResult>;
  /** The rows a band's call reads: its own and `reach` around them. */
  const around = ([r0, r1]: [number, number]): [number, number] => [Math.max(0, r0 - reach), Math.min(height, r1 + reach)];
  const task = (rows: [number, number], source: NumericArray, out: PassResult | null, sub: boolean): Task => {
    if (!sub) return { kind: 'filterRows', args: [withData(source), kernelArgs[0], { ...rest, out: out ?? undefined }], rows, outType, size };
    const [a, z] = around(rows);
    const piece = source.length === data.length ? source.subarray(a * rowSamples, z * rowSamples) : source;
    return { kind: 'imageRows', fn, args: [withData(piece, z - a), ...kernelArgs, rest], keep: [rows[0] - a, rows[1] - a], at: rows[0], rowSamples, out };
  };
  return {
    async run(dispatch) {
      const values = () => (b.output === 'float' ? allocUnset(b.dtype, size) : allocUnsetOf(Out as never, size) as PassResult);
      if (x.mode === 'shared') {
        const shared = sharedRows(x, data, height, rowSamples, [parts[1][0], parts[parts.length - 1][1]], reach);
        // A shared `out` is written by the workers themselves (bytes through a clamped view of it).
        const given = options?.out && isShared(options.out) ? options.out : null;
        const direct = given && (given instanceof Uint8Array ? new Uint8ClampedArray(given.buffer, given.byteOffset, given.length) : (given as PassResult));
        const out = direct || x.sharedOut(Out, size);
        const here = (i: number) => i === x.local;
        // The workers' tasks leave first: the result is allocated while they run.
        const theirs = parts.map((rows, i) => (here(i) ? null : dispatch({ task: task(rows, shared, out, !job) }, i).then(() => direct || copyBand(out, result, rows, rowSamples))));
        const result = direct || values();
        const own = parts.map((rows, i) => (here(i) ? dispatch({ task: task(rows, data, result, !job) }, i) : null));
        await Promise.all([...theirs, ...own]);
        return b.finish(result);
      }
      const result = values();
      await Promise.all(
        parts.map(async (rows, i) => {
          // Only the rows the band reads travel: a band of the image, or (single pass) a whole-sized array holding just those.
          const [a, z] = around(rows);
          const input = job ? bandInput(data, height, rowSamples, rows, reach) : data.slice(a * rowSamples, z * rowSamples);
          const { value } = await dispatch({ task: task(rows, input, null, !job), transfer: [bufferOf(input)] }, i);
          const part = value as PassResult;
          if (job) copyBand(part, result, rows, rowSamples);
          else result.set(part, rows[0] * rowSamples);
        }),
      );
      return b.finish(result);
    },
  };
}

/** Output channels per slice come in multiples of the layer kernel's channel block. */
const CHANNEL_BLOCK = 8;

/** A slice of a layer: its job (or the whole job and a band of its output rows) and where its output goes in the whole result. */
interface Slice {
  job: LayerJob;
  rows?: [number, number];
  place(result: FloatArray, part: FloatArray): void;
}

function layerPlan(args: unknown[], threads: number, x: Exchange): Plan | null {
  const [input, weight, options] = args as [TensorLike, TensorLike, Record<string, unknown> | undefined];
  const opts = (options ?? {}) as Record<string, unknown>;
  const xo = toOperand('input', input);
  const wo = toOperand('weight', weight);
  const bo = opts.bias === undefined ? null : toOperand('options.bias', opts.bias);
  const { job, shape } = lowerConv('conv2d', 2, xo, wo, bo, opts as never);
  const route = layerRoute(job);
  if (route === 'fft' || threads < 2) return null;
  const outputs = job.batch * job.outC * job.outH * job.outW;
  if (tooThin(x, outputs * (job.channels / job.groups) * job.kh * job.kw, (job.input.length + outputs) * BYTES[job.dtype])) return null;
  const slices = layerSlices(job, route, threads);
  if (!slices) return null;
  return {
    async run(dispatch) {
      // Shared mode: input and weights copied once into shared memory (none of them cloned per
      // task), each slice a view of them.
      const viewOf = (whole: NumericArray, shared: NumericArray, part: NumericArray) => {
        const from = (part.byteOffset - whole.byteOffset) / whole.BYTES_PER_ELEMENT;
        return shared.subarray(from, from + part.length);
      };
      // With a share on this thread and bands of rows, only the rows the workers read travel.
      const partly = x.mode === 'shared' && x.local >= 0 && slices[0].rows && !isShared(job.input);
      const input = partly ? x.sharedOut(ctor(job.input), job.input.length) : x.mode === 'shared' ? x.share(job.input) : job.input;
      if (partly) slices.forEach((s, i) => i !== x.local && copyInputRows(job, s.rows!, input));
      const weight = x.mode === 'shared' ? x.share(job.weight) : job.weight;
      const size = job.batch * job.outC * job.outH * job.outW;
      // Shared mode: workers place their rows in one shared result, copied out once here.
      const sharedOut = x.mode === 'shared' && slices[0].rows ? x.sharedOut((job.dtype === 'float64' ? Float64Array : Float32Array) as never, size) as FloatArray : null;
      const result = allocUnset(job.dtype, size);
      const here = (i: number) => x.mode === 'shared' && i === x.local;
      const sent = (s: Slice, r: LayerRoute, i: number): Sent => {
        if (here(i)) return { task: s.rows ? { kind: 'layerRows', job: s.job, rows: s.rows, route: r, out: result } : { kind: 'layer', job: s.job, route: r } };
        if (x.mode === 'shared') {
          const part = { ...s.job, input: viewOf(job.input, input, s.job.input), weight: viewOf(job.weight, weight, s.job.weight) };
          return { task: s.rows && sharedOut ? { kind: 'layerRows', job: part, rows: s.rows, route: r, out: sharedOut } : { kind: 'layer', job: part, route: r } };
        }
        // Transfer mode: a slice travels as copies of just the samples it reads, moved, not cloned
        // (a clone of a view carries its whole buffer).
        const band = s.rows ? compactRows(layerRows(s.job, s.rows)) : s.job;
        const moved: ArrayBuffer[] = [];
        const own = <T extends NumericArray>(a: T): T => {
          if (a === band.input && s.rows) return (moved.push(bufferOf(a)), a);
          if (a.byteLength === a.buffer.byteLength) return a;
          const copy = a.slice() as T;
          moved.push(bufferOf(copy));
          return copy;
        };
        return { task: { kind: 'layer', job: { ...band, input: own(band.input), weight: own(band.weight) }, route: r }, transfer: moved };
      };
      // Each slice's outputs move to the result as soon as its worker answers, while the others still compute.
      const run = (s: Slice, i: number, r: LayerRoute) =>
        dispatch(sent(s, r, i), i).then((reply) => {
          if (here(i) && s.rows) return reply;
          if (!sharedOut) s.place(result, reply.value as FloatArray);
          else if (s.rows) copyRows(job, s.rows, sharedOut, result);
          return reply;
        });
      const replies = await Promise.all(slices.map((s, i) => run(s, i, route)));
      // Winograd turns to the direct sum where a result is not finite: then the whole layer does.
      if (route === 'winograd' && replies.some((r) => r.route === 'direct') && replies.some((r) => r.route === 'winograd')) {
        await Promise.all(slices.map((s, i) => (replies[i].route === 'direct' ? null : run(s, i, 'direct'))));
      }
      return { data: result, shape } satisfies Tensor;
    },
  };
}

function layerSlices(job: LayerJob, route: LayerRoute, threads: number): Slice[] | null {
  const plane = job.outH * job.outW;
  const outItem = job.outC * plane;
  const inItem = job.channels * job.height * job.width;
  if (job.batch >= threads) {
    return bands(job.batch, threads).map(([n0, n1]) => ({
      job: { ...job, batch: n1 - n0, input: job.input.subarray(n0 * inItem, n1 * inItem) },
      place: (result, part) => result.set(part, n0 * outItem),
    }));
  }
  // Bands of output rows: each worker reads only its rows' inputs. Winograd's bands start on
  // its 2-row tiles.
  const step = route === 'winograd' ? 2 : 1;
  const units = Math.floor(job.outH / step);
  if (rowSplittable(job) && units >= 2 * threads) {
    return bands(units, threads).map(([u0, u1], i, all): Slice => {
      const rows: [number, number] = [u0 * step, i === all.length - 1 ? job.outH : u1 * step];
      return {
        job,
        rows,
        place(result, part) {
          const put = rowSink(job, rows, result);
          const item = part.length / job.batch;
          for (let n = 0; n < job.batch; n++) put(n, part.subarray(n * item, (n + 1) * item));
        },
      };
    });
  }
  const blocks = Math.floor(job.outC / CHANNEL_BLOCK);
  if (route !== 'depthwise' && job.groups === 1 && blocks >= 2) {
    const per = job.channels * job.kh * job.kw;
    return bands(blocks, Math.min(threads, blocks)).map(([b0, b1], i, all) => {
      const c0 = b0 * CHANNEL_BLOCK;
      const c1 = i === all.length - 1 ? job.outC : b1 * CHANNEL_BLOCK;
      const k = c1 - c0;
      return {
        job: { ...job, outC: k, weight: job.weight.subarray(c0 * per, c1 * per), bias: job.bias ? job.bias.subarray(c0, c1) : null },
        place(result, part) {
          for (let n = 0; n < job.batch; n++) {
            if (job.layout === 'NCHW') {
              result.set(part.subarray(n * k * plane, (n + 1) * k * plane), n * outItem + c0 * plane);
              continue;
            }
            for (let p = 0; p < plane; p++) result.set(part.subarray((n * plane + p) * k, (n * plane + p + 1) * k), n * outItem + p * job.outC + c0);
          }
        },
      };
    });
  }
  return null;
}
