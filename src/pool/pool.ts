// createPool: the synchronous functions on worker threads (Node worker_threads, browser Web
// Workers), each worker with its own Wasm instance. A call is split into tasks (split.ts) whose
// outputs are computed exactly as the synchronous call computes them. Inputs and outputs reach
// the workers through SharedArrayBuffers where the host allows them ('shared' mode: Node, and
// cross-origin isolated pages), otherwise as transferred copies of each band and its halo
// ('transfer' mode). A blocking pool (Node) computes share 0 of each call on the calling thread
// itself and takes the workers' replies off their ports without the event loop.
import { SimdconvError, fail } from '../core/errors';
import type { NumericArray } from '../core/tensor';
import { getBackend, ready, setBackend } from '../runtime/backend';
import { sharedMemorySupported } from '../runtime/wasm';
import { planCall, type Exchange, type Sent } from './split';
import { POOL_FUNCTIONS, errorOf, runTask, type PoolFunction, type Reply, type Task } from './tasks';

export type PoolMode = 'shared' | 'transfer';

export interface PoolOptions {
  /** Worker threads. Default: the host's logical cores (navigator.hardwareConcurrency, os.availableParallelism()). */
  threads?: number;
  /** 'shared' (default where SharedArrayBuffer is available) or 'transfer' (always available). */
  mode?: PoolMode;
  /** Where the worker script is, for bundles that move it. Default: worker.js beside the package's index.js. */
  workerUrl?: string | URL;
  /**
   * Node: the calling thread computes a share of each call too (`threads` counts it, so
   * `threads: 2` starts one worker), and the workers stay awake between calls. A call then holds
   * the event loop until its result is ready, as the synchronous call does. Default false.
   */
  blocking?: boolean;
}

type Sync = typeof POOL_FUNCTIONS;
/** The pool's methods: the synchronous functions' names and arguments, returning promises of their results. */
export type PoolMethods = { [K in PoolFunction]: (...args: Parameters<Sync[K]>) => Promise<ReturnType<Sync[K]>> };

export interface Pool extends PoolMethods {
  readonly threads: number;
  /** How inputs and results reach the workers. */
  readonly mode: PoolMode;
  /** Whether the calling thread computes a share of each call (options.blocking). */
  readonly blocking: boolean;
  /** Ends the workers; calls still running reject. */
  close(): Promise<void>;
}

/** One worker, whichever kind. */
interface Lane {
  post(message: unknown, transfer?: ArrayBuffer[]): void;
  terminate(): Promise<unknown> | void;
  /** Node: whether the worker keeps the process alive (only while it has tasks). */
  hold(on: boolean): void;
  pending: Map<number, { resolve(r: Extract<Reply, { ok: true }>): void; reject(e: Error): void }>;
  /** Resolves once the worker has its Wasm and backend (start message answered). */
  started?: Promise<unknown>;
  /** Set once `started` resolves: tasks are then posted without waiting a tick. */
  ready?: boolean;
  /** A blocking pool's lane: takes a reply that has arrived, without the event loop. */
  receive?(): { id: number; reply: Reply } | undefined;
}

type NodeWorker = {
  postMessage(m: unknown, t?: unknown[]): void;
  on(e: 'message' | 'error' | 'exit', f: (v: unknown) => void): void;
  terminate(): Promise<number>;
  ref(): void;
  unref(): void;
};
type Builtins = { getBuiltinModule?: (id: string) => unknown };
const nodeBuiltin = <T>(id: string) => (globalThis as { process?: Builtins }).process?.getBuiltinModule?.(id) as T | undefined;

declare const __dirname: string | undefined;

/** Node: the worker script beside this bundle (ESM: import.meta.url; CommonJS: __dirname). */
function nodeWorkerUrl(): URL {
  if (typeof __dirname === 'string') {
    const url = nodeBuiltin<{ pathToFileURL(p: string): URL }>('node:url');
    if (url) return url.pathToFileURL(`${__dirname}/worker.js`);
  }
  // Not written new URL('./worker.js', import.meta.url): bundlers would copy the script for this
  // Node-only branch as well as bundle it for browserWorker's.
  const here = import.meta.url;
  return new URL('./worker.js', here);
}

/**
 * A browser's module worker: the script given, or worker.js beside this bundle, written in the
 * literal form that bundlers (Vite, webpack 5, Parcel) recognise and bundle as a worker.
 */
function browserWorker(url?: URL | string): Worker {
  return url ? new Worker(url, { type: 'module' }) : new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}

/** How long a blocking pool's worker polls for the next task after one, ms. */
const AWAKE_MS = 2;
/** How long a blocking pool's calling thread polls for the workers' replies after its own share, ms. */
const DRAIN_MS = 50;

type NodeThreads = {
  Worker: new (url: URL | string, options: { execArgv: string[] }) => NodeWorker;
  MessageChannel: new () => { port1: NodePort; port2: NodePort };
  receiveMessageOnPort(port: NodePort): { message: unknown } | undefined;
};
type NodePort = {
  postMessage(m: unknown, t?: ArrayBuffer[]): void;
  on(e: 'message', f: (v: unknown) => void): void;
  ref(): void;
  unref(): void;
};

function spawn(url: URL | string | undefined, blocking: boolean, onReply: (lane: Lane, id: number, reply: Reply) => void, onCrash: (lane: Lane, e: Error, gone: boolean) => void): Lane {
  const threads = nodeBuiltin<NodeThreads>('node:worker_threads');
  const pending: Lane['pending'] = new Map();
  if (threads) {
    // Not the process's own options (a -e script, --input-type): V8's flags hold for every thread anyway.
    const w = new threads.Worker(url ?? nodeWorkerUrl(), { execArgv: [] });
    let lane: Lane;
    w.on('error', (e) => onCrash(lane, e as Error, false));
    w.on('exit', (code) => onCrash(lane, new SimdconvError('BACKEND', `pool: expected the worker to finish its calls, got a worker that exited with code ${code}`), true));
    w.unref();
    if (blocking) {
      // A port of the worker's own: replies can then be taken from it without the event loop.
      const { port1, port2 } = new threads.MessageChannel();
      w.postMessage({ port: port2, awakeMs: AWAKE_MS }, [port2]);
      const take = (m: unknown) => m as { id: number; reply: Reply };
      port1.on('message', (m) => onReply(lane, take(m).id, take(m).reply));
      port1.unref();
      lane = {
        post: (m, t) => port1.postMessage(m, t),
        terminate: () => w.terminate(),
        hold: (on) => (on ? port1.ref() : port1.unref()),
        pending,
        receive: () => {
          const got = threads.receiveMessageOnPort(port1);
          return got ? take(got.message) : undefined;
        },
      };
      return lane;
    }
    lane = { post: (m, t) => w.postMessage(m, t), terminate: () => w.terminate(), hold: (on) => (on ? w.ref() : w.unref()), pending };
    w.on('message', (m) => onReply(lane, (m as { id: number }).id, (m as { reply: Reply }).reply));
    return lane;
  }
  const w = browserWorker(url);
  const lane: Lane = { post: (m, t) => w.postMessage(m, t ?? []), terminate: () => w.terminate(), hold: () => {}, pending };
  w.onmessage = (e) => onReply(lane, e.data.id, e.data.reply);
  w.onerror = (e) => onCrash(lane, new Error(`simdconv worker failed: ${e.message ?? 'could not load'}`), false);
  return lane;
}

/** Reusable shared buffers: a call takes what it needs and gives it back when it settles. */
class SharedStore {
  private free: SharedArrayBuffer[] = [];

  take(bytes: number): SharedArrayBuffer {
    const i = this.free.findIndex((b) => b.byteLength >= bytes);
    if (i >= 0) return this.free.splice(i, 1)[0];
    return new SharedArrayBuffer(Math.max(bytes, 64));
  }

  give(buffers: SharedArrayBuffer[]): void {
    this.free.push(...buffers);
    // The few largest are kept: a pool holds about what its biggest calls need.
    this.free.sort((a, b) => b.byteLength - a.byteLength).splice(8);
  }
}

function hostThreads(): number {
  const os = nodeBuiltin<{ availableParallelism?(): number; cpus(): unknown[] }>('node:os');
  if (os) return os.availableParallelism?.() ?? os.cpus().length;
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2;
}

/** The buffers a whole call's arguments can hand over: none, because the caller keeps its arrays. */
const NO_TRANSFER: ArrayBuffer[] = [];

/**
 * Starts `threads` workers on the backend the synchronous functions use now (so results are
 * identical) and resolves once every worker has compiled its Wasm.
 */
export async function createPool(options: PoolOptions = {}): Promise<Pool> {
  if (options === null || typeof options !== 'object') fail('OPTION', 'options', 'an object', options);
  const threads = options.threads ?? hostThreads();
  if (!Number.isSafeInteger(threads) || threads < 1 || threads > 256) fail('OPTION', 'options.threads', 'an integer from 1 to 256', threads);
  const canShare = sharedMemorySupported();
  const mode = options.mode ?? (canShare ? 'shared' : 'transfer');
  if (mode !== 'shared' && mode !== 'transfer') fail('OPTION', 'options.mode', "'shared' or 'transfer'", mode);
  if (mode === 'shared' && !canShare) {
    throw new SimdconvError('BACKEND', "options.mode: expected a host with SharedArrayBuffer for 'shared' (a browser page must be cross-origin isolated), got none");
  }
  const blocking = options.blocking ?? false;
  if (typeof blocking !== 'boolean') fail('OPTION', 'options.blocking', 'true or false', blocking);
  if (blocking && !nodeBuiltin('node:worker_threads')) {
    throw new SimdconvError('BACKEND', 'options.blocking: expected Node (worker_threads), got a host without it: a browser pool never blocks its page');
  }
  await ready();
  const backend = getBackend();
  let nextId = 0;
  let closed = false;
  const store = new SharedStore();

  const settle = (lane: Lane, id: number, reply: Reply) => {
    const p = lane.pending.get(id);
    if (!p) return;
    lane.pending.delete(id);
    if (lane.pending.size === 0) lane.hold(false);
    if (reply.ok) p.resolve(reply);
    else p.reject(errorOf(reply));
  };
  /**
   * A worker's error rejects the calls it had; a worker that is gone (it exited: out of memory,
   * say) is replaced by a fresh one, so the pool keeps its threads.
   */
  const crash = (lane: Lane, e: Error, gone: boolean) => {
    for (const p of lane.pending.values()) p.reject(e);
    lane.pending.clear();
    lane.hold(false);
    const at = lanes.indexOf(lane);
    if (!gone || closed || at < 0) return;
    const fresh = spawn(options.workerUrl, blocking, settle, crash);
    // Not awaited here: a call that waits for the new worker gets its start's rejection (a close, say).
    start(fresh).catch(() => {});
    lanes[at] = fresh;
  };
  const lanes: Lane[] = [];
  // A blocking pool's calling thread computes share 0 itself: one worker fewer.
  const workers = blocking ? threads - 1 : threads;
  for (let i = 0; i < workers; i++) lanes.push(spawn(options.workerUrl, blocking, settle, crash));

  const send = (lane: Lane, id: number, message: unknown, transfer?: ArrayBuffer[]) =>
    new Promise<Extract<Reply, { ok: true }>>((resolve, reject) => {
      if (closed) return reject(new SimdconvError('BACKEND', 'pool: expected an open pool, got one that was closed'));
      lane.pending.set(id, { resolve, reject });
      lane.hold(true);
      lane.post(message, transfer);
    });
  /** Hands a new worker the backend; once it answers, tasks are posted to it at once. */
  const start = (lane: Lane) => (lane.started = send(lane, -1, { start: backend }).then(() => (lane.ready = true)));
  await Promise.all(lanes.map(start));

  /**
   * Blocking pools: replies taken as they arrive, without the event loop, until none are due or
   * DRAIN_MS have passed (then the event loop delivers the rest, as in a non-blocking pool).
   */
  const drain = () => {
    const until = performance.now() + DRAIN_MS;
    for (let busy = true; busy && performance.now() < until; ) {
      busy = false;
      for (const lane of lanes) {
        if (lane.pending.size === 0) continue;
        busy = true;
        const got = lane.receive?.();
        if (got) settle(lane, got.id, got.reply);
      }
    }
  };
  /** Share 0 of a blocking pool, on this thread and its own Wasm, on the pool's backend. */
  const here = async (task: Task) => {
    // Every worker's task is posted before this one runs: the plans dispatch all shares at once.
    await null;
    const before = getBackend();
    try {
      if (before !== backend) setBackend(backend);
      return runTask(task);
    } finally {
      if (before !== backend) setBackend(before);
      drain();
    }
  };
  const dispatch = async (sent: Sent, share: number) => {
    if (blocking && share % threads === 0) return here(sent.task);
    const id = nextId++;
    const target = lanes[(share % threads) - (blocking ? 1 : 0)];
    // Posted at once when the worker is up, so that share 0 starts after every other is sent.
    if (!target.ready) await target.started;
    return send(target, id, { id, task: sent.task }, sent.transfer);
  };
  const leastBusy = () => (blocking ? 0 : lanes.reduce((best, l, i) => (l.pending.size < lanes[best].pending.size ? i : best), 0));

  async function call(fn: PoolFunction, args: unknown[]): Promise<unknown> {
    const taken: SharedArrayBuffer[] = [];
    const exchange: Exchange = {
      mode,
      local: blocking ? 0 : -1,
      share(a) {
        if (a.buffer instanceof SharedArrayBuffer) return a;
        const Type = a.constructor as new (b: SharedArrayBuffer, o: number, n: number) => typeof a;
        const buffer = store.take(a.byteLength);
        taken.push(buffer);
        const copy = new Type(buffer, 0, a.length);
        (copy as NumericArray).set(a);
        return copy;
      },
      sharedOut(Type, length) {
        const buffer = store.take(length * Type.BYTES_PER_ELEMENT);
        taken.push(buffer);
        return new Type(buffer, 0, length);
      },
    };
    try {
      const plan = planCall(fn, args, threads, exchange);
      if (plan) return await plan.run(dispatch);
      return await whole(fn, args);
    } finally {
      store.give(taken);
    }
  }

  /** A call on one worker; a caller's `out` is written here, from the worker's result. */
  async function whole(fn: PoolFunction, args: unknown[]): Promise<unknown> {
    const at = args.findIndex((a, i) => i > 0 && a !== null && typeof a === 'object' && !ArrayBuffer.isView(a) && !Array.isArray(a) && 'out' in a);
    const out = at >= 0 ? ((args[at] as { out?: NumericArray }).out ?? null) : null;
    const sentArgs = out ? args.map((a, i) => (i === at ? { ...(a as object), out: undefined } : a)) : args;
    const task: Task = { kind: 'call', fn, args: sentArgs };
    const { value } = await dispatch({ task, transfer: NO_TRANSFER }, leastBusy());
    if (!out) return value;
    const result = value as { data: NumericArray };
    out.set(result.data);
    return { ...result, data: out };
  }

  const methods = Object.fromEntries((Object.keys(POOL_FUNCTIONS) as PoolFunction[]).map((fn) => [fn, (...args: unknown[]) => call(fn, args)])) as unknown as PoolMethods;
  return {
    ...methods,
    threads,
    mode,
    blocking,
    async close() {
      if (closed) return;
      closed = true;
      const gone = new SimdconvError('BACKEND', 'pool: expected an open pool, got one closed while the call ran');
      for (const lane of lanes) crash(lane, gone, false);
      await Promise.all(lanes.map((lane) => lane.terminate()));
    },
  };
}
