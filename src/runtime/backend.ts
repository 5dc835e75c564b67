// Which backend compute calls run on: Wasm once its modules are instantiated (synchronously on
// first use in Node, after ready() in a browser) - relaxed SIMD where the host validates it,
// plain SIMD otherwise - else the TypeScript fallback; and what the host offers (features()).
import { SimdconvError, fail } from '../core/errors';
import { BYTES, type DType } from '../core/tensor';
import { KERNEL_NAMES, RELAXED_KERNEL_NAMES, withFloat32Only, type Backend, type BackendName, type KernelSet } from './abi';
import { Arena, arrayStore, wasmStore } from './arena';
import { jsKernels } from './fallback';
import { inflatesSync, instantiateAsync, instantiateSync, relaxedSimdSupported, sharedMemorySupported, wasmSimdSupported, type WasmModule } from './wasm';

const BACKEND_NAMES: readonly BackendName[] = ['wasm-relaxed-simd', 'wasm-simd', 'js'];

/** The Wasm backends: plain SIMD, and relaxed SIMD over the same memory and arena where it runs. */
interface WasmBackends {
  plain: Backend;
  relaxed: Backend | null;
}

let wasm: WasmBackends | null = null;
let js: Backend | null = null;
let pending: Promise<BackendName> | null = null;
/** null: the fastest backend available. */
let forced: BackendName | null = null;
let simd: boolean | null = null;
let relaxedSimd: boolean | null = null;
/** Why the Wasm module could not be instantiated (a strict Content-Security-Policy, say), once it failed. */
let wasmError: string | null = null;

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

function hasSimd(): boolean {
  simd ??= wasmSimdSupported();
  return simd;
}

function hasRelaxedSimd(): boolean {
  relaxedSimd ??= hasSimd() && relaxedSimdSupported();
  return relaxedSimd;
}

/** What the host offers, detected with tiny validated modules rather than guessed from a user agent. */
export interface Features {
  /** WebAssembly SIMD validates here. */
  simd: boolean;
  /** Relaxed SIMD (fused multiply-add) validates here. */
  relaxedSimd: boolean;
  /** Shared Wasm memory can be made here (threads over one memory). */
  threads: boolean;
  /** A browser page served cross-origin isolated (COOP + COEP); true in Node. */
  crossOriginIsolated: boolean;
  /**
   * How a pool (createPool) made now passes arrays to its workers by default: 'shared'
   * (SharedArrayBuffers, where threads is true) or 'transfer' (copies of each band).
   */
  poolMode: 'shared' | 'transfer';
  /**
   * Why compute runs on the TypeScript fallback although the host has Wasm SIMD, or null: e.g. a
   * Content-Security-Policy whose script-src lacks 'wasm-unsafe-eval' makes compiling the module fail.
   */
  wasmUnavailable: string | null;
}

export function features(): Features {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return {
    simd: hasSimd(),
    relaxedSimd: hasRelaxedSimd(),
    threads: sharedMemorySupported(),
    crossOriginIsolated: isNode || isolated === true,
    poolMode: sharedMemorySupported() ? 'shared' : 'transfer',
    wasmUnavailable: wasmError,
  };
}

/** Records why instantiation failed, with the fix where the browser's message names a CSP. */
function unavailable(e: unknown): null {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  wasmError = /content security policy/i.test(text)
    ? `${text} (the page's Content-Security-Policy blocks compiling WebAssembly: add 'wasm-unsafe-eval' to its script-src)`
    : text;
  return null;
}

/** A module's `${name}F32` / `${name}F64` exports for `names`, onto `set` (float64: FLOAT32_ONLY as stand-ins). */
function addKernels(set: Record<string, unknown>, mod: WasmModule, dtype: DType, names: readonly string[]): Record<string, unknown> {
  const suffix = dtype === 'float64' ? 'F64' : 'F32';
  for (const name of names) set[name] = mod.exports[name + suffix];
  return dtype === 'float64' ? withFloat32Only(set) : set;
}

/**
 * The plain module's backend, and the relaxed one: the plain kernel sets with the multiply-add
 * kernels taken from the relaxed module, over the same arena (the relaxed module imports the
 * plain module's memory, and neither has static data: their heaps start at the same address).
 */
function fromModules(plain: WasmModule, relaxed: WasmModule | null): WasmBackends {
  const arena = new Arena(wasmStore(plain.memory), plain.exports.heapBase());
  const sets = (extra: WasmModule | null) => {
    const of = (dtype: DType) => {
      const set = addKernels({ bytes: BYTES[dtype] }, plain, dtype, KERNEL_NAMES);
      if (extra && dtype === 'float32') addKernels(set, extra, dtype, RELAXED_KERNEL_NAMES);
      return set as unknown as KernelSet;
    };
    const both = { float32: of('float32'), float64: of('float64') };
    return (dtype: DType) => both[dtype];
  };
  const usable = relaxed !== null && relaxed.exports.heapBase() === plain.exports.heapBase();
  return {
    plain: { name: 'wasm-simd', arena, kernels: sets(null) },
    relaxed: usable ? { name: 'wasm-relaxed-simd', arena, kernels: sets(relaxed) } : null,
  };
}

function jsBackend(): Backend {
  if (!js) {
    const arena = new Arena(arrayStore(), 0);
    const sets = { float32: jsKernels(arena, 'float32'), float64: jsKernels(arena, 'float64') };
    js = { name: 'js', arena, kernels: (dtype) => sets[dtype] };
  }
  return js;
}

/** The relaxed module is a bonus: if it fails where the plain one works, plain SIMD serves. */
function attempt<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/** Node may compile synchronously on first use (Node >= 20.16: zlib inflates the modules); browsers must wait for ready(). */
function wasmBackends(): WasmBackends | null {
  if (!wasm && !wasmError && isNode && hasSimd() && inflatesSync()) {
    try {
      const plain = instantiateSync('plain');
      wasm = fromModules(plain, hasRelaxedSimd() ? attempt(() => instantiateSync('relaxed', plain.memory)) : null);
    } catch (e) {
      unavailable(e);
    }
  }
  return wasm;
}

/**
 * Compiles and instantiates the Wasm modules once (concurrent calls share one promise) and
 * resolves to the backend compute calls will use from now on: 'js' where the host has no Wasm
 * SIMD or refuses to compile it (features().wasmUnavailable says why).
 */
export function ready(): Promise<BackendName> {
  pending ??= (async () => {
    if (!wasm && !wasmError && hasSimd()) {
      try {
        const plain = await instantiateAsync('plain');
        wasm = fromModules(plain, hasRelaxedSimd() ? await instantiateAsync('relaxed', plain.memory).catch(() => null) : null);
      } catch (e) {
        unavailable(e);
      }
    }
    return getBackend();
  })();
  return pending;
}

/**
 * Drops the Wasm instances with their memory (Wasm memory cannot shrink: it goes with them) and
 * the fallback's buffer; the next call instantiates afresh (in a browser: the fallback until
 * ready() is awaited again). A forced backend stays forced.
 */
export function dropBackends(): void {
  wasm = null;
  js = null;
  pending = null;
}

/** The backend the next compute call runs on. */
export function getBackend(): BackendName {
  return current().name;
}

/**
 * Forces a backend, for comparisons: 'js' always works; 'wasm-simd' (the plain build) throws a
 * BACKEND error where the host has no Wasm SIMD or could not compile the module, and
 * 'wasm-relaxed-simd' also where the host has no relaxed SIMD. In a browser before ready() the
 * choice takes effect once ready() resolves.
 */
export function setBackend(name: BackendName): void {
  if (!BACKEND_NAMES.includes(name)) fail('OPTION', 'backend', BACKEND_NAMES.map((n) => `'${n}'`).join(', '), name);
  if (name !== 'js' && !hasSimd()) {
    throw new SimdconvError('BACKEND', `backend: expected a host with WebAssembly SIMD for '${name}', got none`);
  }
  if (name !== 'js' && wasmError) {
    throw new SimdconvError('BACKEND', `backend: expected a WebAssembly module that compiles here for '${name}', got ${wasmError}`);
  }
  if (name === 'wasm-relaxed-simd' && !hasRelaxedSimd()) {
    throw new SimdconvError('BACKEND', "backend: expected a host with relaxed SIMD for 'wasm-relaxed-simd' (Node 20 needs --experimental-wasm-relaxed-simd), got none");
  }
  forced = name;
}

/** The backend compute functions run on. */
export function current(): Backend {
  if (forced === 'js') return jsBackend();
  const w = wasmBackends();
  if (!w) return jsBackend();
  return (forced === 'wasm-simd' ? null : w.relaxed) ?? w.plain;
}
