// What a pool worker is asked to do, and how it does it: one message per task, run on the
// worker's own Wasm instance with the synchronous code, so a share of a call is computed exactly
// as the whole call would compute it.
import { SimdconvError, type ErrorCode } from '../core/errors';
import { allocFloat, type FloatArray } from '../core/tensor';
import type { LayerJob } from '../engines/layerJob';
import { runLayerBy, runLayerInto, type LayerRoute } from '../engines/layer';
import { layerRows, rowSink } from './layerRows';
import { runCorrelation, type CorrelationJob } from '../engines/plane';
import { runFftCorrelation, type FftJob } from '../engines/fft';
import type { Filter2dOptions } from '../image/picture';
import type { PassResult } from '../engines/imageOutput';
import { conv1d, conv2d } from '../nn/conv';
import { convTranspose2d } from '../nn/convTranspose2d';
import { conv2dBackward } from '../nn/backward';
import { avgPool2d, maxPool2d } from '../nn/pool';
import { convolve, convolve2d, correlate, correlate2d } from '../signal/convolve';
import { fftconvolve, oaconvolve } from '../signal/fftconvolve';
import { filter2d, filter2dRows, sepFilter2d } from '../image/filter';

/** The synchronous functions a pool offers, by name. */
export const POOL_FUNCTIONS = {
  convolve2d,
  correlate2d,
  convolve,
  correlate,
  fftconvolve,
  oaconvolve,
  conv2d,
  conv1d,
  convTranspose2d,
  conv2dBackward,
  maxPool2d,
  avgPool2d,
  filter2d,
  sepFilter2d,
} as const;

export type PoolFunction = keyof typeof POOL_FUNCTIONS;

export type Task =
  /** A whole call. */
  | { kind: 'call'; fn: PoolFunction; args: unknown[] }
  /** Output rows [rows[0], rows[1]) of a correlation job, into `out` (the whole result's size). */
  | { kind: 'rows'; job: CorrelationJob; rows: [number, number]; out: FloatArray | null; size: number }
  /**
   * Tiles job.tiles of an FFT correlation into `out` (shared, the whole result's size), or into
   * the worker's own array of `size` samples sent back; false where they are not finite.
   */
  | { kind: 'fftTiles'; job: FftJob; out: FloatArray | null; size: number }
  /** Rows of a filter2d call, into options.out (the whole result's size). */
  | { kind: 'filterRows'; args: [unknown, unknown, Filter2dOptions]; rows: [number, number]; outType: 'Uint8ClampedArray' | 'Int16Array' | 'Float32Array' | 'Float64Array'; size: number }
  /**
   * An image call on a band of rows and the rows around it; rows `keep` of its result go to row
   * `at` of `out` (shared), or back.
   */
  | { kind: 'imageRows'; fn: 'filter2d' | 'sepFilter2d'; args: unknown[]; keep: [number, number]; at: number; rowSamples: number; out: PassResult | null }
  /** A layer job (a slice of a layer's channels or items) by the whole layer's route. */
  | { kind: 'layer'; job: LayerJob; route: LayerRoute }
  /** Output rows of a layer (see layerRows), by the whole layer's route, into the shared result `out`. */
  | { kind: 'layerRows'; job: LayerJob; rows: [number, number]; route: LayerRoute; out: FloatArray };

export type Reply = { ok: true; value: unknown; route?: LayerRoute } | { ok: false; name: string; code?: ErrorCode; message: string };

const OUT_TYPES = { Uint8ClampedArray, Int16Array, Float32Array, Float64Array };

/** Runs one task; the value's arrays are the worker's own (or the shared `out` it was given). */
export function runTask(task: Task): { value: unknown; route?: LayerRoute } {
  switch (task.kind) {
    case 'call':
      return { value: (POOL_FUNCTIONS[task.fn] as (...a: unknown[]) => unknown)(...task.args) };
    case 'rows': {
      const out = task.out ?? allocFloat(task.job.dtype, task.size);
      runCorrelation({ ...task.job, rows: task.rows }, out);
      // A shared `out` is the pool's already; only a worker's own array goes back.
      return { value: task.out ? null : out };
    }
    case 'fftTiles': {
      const out = task.out ?? allocFloat(task.job.dtype, task.size);
      const finite = (runFftCorrelation as (job: FftJob, out: FloatArray) => FloatArray | null)(task.job, out) !== null;
      return { value: !finite ? false : task.out ? true : out };
    }
    case 'filterRows': {
      const [image, kernel, options] = task.args;
      const out = (options.out as Uint8ClampedArray | undefined) ?? new OUT_TYPES[task.outType](task.size);
      filter2dRows(image as never, kernel as never, { ...options, out }, task.rows);
      return { value: options.out ? null : out };
    }
    case 'imageRows': {
      const { data } = (POOL_FUNCTIONS[task.fn] as (...a: unknown[]) => { data: PassResult })(...task.args);
      const kept = data.subarray(task.keep[0] * task.rowSamples, task.keep[1] * task.rowSamples);
      if (!task.out) return { value: kept.slice() };
      task.out.set(kept, task.at * task.rowSamples);
      return { value: null };
    }
    case 'layer': {
      const { result, route } = runLayerBy(task.job, task.route);
      return { value: result, route };
    }
    case 'layerRows': {
      // Straight into the pool's shared result: this worker places its own rows.
      const route = runLayerInto(layerRows(task.job, task.rows), task.route, rowSink(task.job, task.rows, task.out));
      return { value: null, route };
    }
  }
}

/** An error as a message can carry it, and back: a SimdconvError keeps its class and code. */
export function errorReply(e: unknown): Reply {
  if (e instanceof SimdconvError) return { ok: false, name: e.name, code: e.code, message: e.message };
  const err = e instanceof Error ? e : new Error(String(e));
  return { ok: false, name: err.name, message: err.message };
}

export function errorOf(reply: Extract<Reply, { ok: false }>): Error {
  if (reply.code) return new SimdconvError(reply.code, reply.message);
  const err = new Error(reply.message);
  err.name = reply.name;
  return err;
}

/** The buffers of a value's typed arrays that can move (not shared, not views into something larger). */
export function transferables(value: unknown, into: ArrayBuffer[] = []): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    const b = value.buffer;
    if (b instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === b.byteLength && !into.includes(b)) into.push(b);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) transferables(v, into);
  }
  return into;
}
