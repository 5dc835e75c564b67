// Which backend compute calls run on: Wasm SIMD once its module is instantiated (synchronously on
// first use in Node, after ready() in a browser), else the TypeScript fallback, and what the host
// offers (features()).
import { SimdconvError, fail } from '../core/errors';
import { BYTES, type DType } from '../core/tensor';
import { KERNEL_NAMES, type Backend, type BackendName, type KernelSet } from './abi';
import { Arena, arrayStore, wasmStore } from './arena';
import { jsKernels } from './fallback';
import { instantiateAsync, instantiateSync, relaxedSimdSupported, sharedMemorySupported, wasmSimdSupported, type WasmModule } from './wasm';

let wasm: Backend | null = null;
let js: Backend | null = null;
let pending: Promise<BackendName> | null = null;
/** null: use Wasm SIMD whenever it is available. */
let forced: BackendName | null = null;
let simd: boolean | null = null;
/** Why the Wasm module could not be instantiated (a strict Content-Security-Policy, say), once it failed. */
let wasmError: string | null = null;

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

function hasSimd(): boolean {
  simd ??= wasmSimdSupported();
  return simd;
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
   * Why compute runs on the TypeScript fallback although the host has Wasm SIMD, or null: e.g. a
   * Content-Security-Policy whose script-src lacks 'wasm-unsafe-eval' makes compiling the module fail.
   */
  wasmUnavailable: string | null;
}

export function features(): Features {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return {
    simd: hasSimd(),
    relaxedSimd: relaxedSimdSupported(),
    threads: sharedMemorySupported(),
    crossOriginIsolated: isNode || isolated === true,
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

/** The module's `${name}F32` / `${name}F64` exports as the kernel set of one dtype. */
function wasmKernels(mod: WasmModule, dtype: DType): KernelSet {
  const suffix = dtype === 'float64' ? 'F64' : 'F32';
  const set: Record<string, unknown> = { bytes: BYTES[dtype] };
  for (const name of KERNEL_NAMES) set[name] = mod.exports[name + suffix];
  return set as unknown as KernelSet;
}

function fromModule(mod: WasmModule): Backend {
  const sets = { float32: wasmKernels(mod, 'float32'), float64: wasmKernels(mod, 'float64') };
  return { name: 'wasm-simd', arena: new Arena(wasmStore(mod.memory), mod.exports.heapBase()), kernels: (dtype) => sets[dtype] };
}

function jsBackend(): Backend {
  if (!js) {
    const arena = new Arena(arrayStore(), 0);
    const sets = { float32: jsKernels(arena, 'float32'), float64: jsKernels(arena, 'float64') };
    js = { name: 'js', arena, kernels: (dtype) => sets[dtype] };
  }
  return js;
}

/** Node may compile synchronously on first use; browsers must wait for ready(). */
function wasmBackend(): Backend | null {
  if (!wasm && !wasmError && isNode && hasSimd()) {
    try {
      wasm = fromModule(instantiateSync());
    } catch (e) {
      unavailable(e);
    }
  }
  return wasm;
}

/**
 * Compiles and instantiates the Wasm module once (concurrent calls share one promise) and
 * resolves to the backend compute calls will use from now on: 'js' where the host has no Wasm
 * SIMD or refuses to compile it (features().wasmUnavailable says why).
 */
export function ready(): Promise<BackendName> {
  pending ??= (async () => {
    if (!wasm && !wasmError && hasSimd()) wasm = await instantiateAsync().then(fromModule, unavailable);
    return getBackend();
  })();
  return pending;
}

/** The backend the next compute call runs on. */
export function getBackend(): BackendName {
  return current().name;
}

/**
 * Forces a backend. 'js' always works; 'wasm-simd' throws a BACKEND error where the host has no
 * Wasm SIMD or could not compile the module, and in a browser before ready() it takes effect
 * once ready() resolves.
 */
export function setBackend(name: BackendName): void {
  if (name !== 'js' && name !== 'wasm-simd') fail('OPTION', 'backend', "'wasm-simd' or 'js'", name);
  if (name === 'wasm-simd' && !hasSimd()) {
    throw new SimdconvError('BACKEND', "backend: expected a host with WebAssembly SIMD for 'wasm-simd', got none");
  }
  if (name === 'wasm-simd' && wasmError) {
    throw new SimdconvError('BACKEND', `backend: expected a WebAssembly module that compiles here for 'wasm-simd', got ${wasmError}`);
  }
  forced = name === 'js' ? 'js' : null;
}

/** The backend compute functions run on. */
export function current(): Backend {
  if (forced === 'js') return jsBackend();
  return wasmBackend() ?? jsBackend();
}
