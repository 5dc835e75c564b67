// Loads the Wasm modules inlined in the bundle (build/wasm-binary.ts, made by
// scripts/embed-wasm.mjs: raw DEFLATE, base64) and probes what the host offers with tiny modules
// of its own rather than guessing from a user agent. The plain module (assembly/index.ts) has
// every kernel; the relaxed one (assembly/relaxed.ts) the multiply-add kernels again, fused, and
// is instantiated over the plain module's memory where the host validates relaxed SIMD.
import { MODULES_DEFLATED, RELAXED_WASM_BYTES, WASM_BYTES } from '../../build/wasm-binary';

/** What an AssemblyScript module exports: `${kernel}F32` / `${kernel}F64` and where free memory starts. */
export interface WasmExports {
  heapBase(): number;
  [kernel: string]: (...args: number[]) => number | void;
}

export interface WasmModule {
  memory: WebAssembly.Memory;
  exports: WasmExports;
}

export type ModuleName = 'plain' | 'relaxed';

function deflated(): Uint8Array<ArrayBuffer> {
  // atob exists in browsers and in Node >= 16. A plain loop: V8's Uint8Array.from with a mapping
  // function takes three times as long.
  const text = atob(MODULES_DEFLATED);
  const packed = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) packed[i] = text.charCodeAt(i);
  return packed;
}

type Zlib = { inflateRawSync(data: Uint8Array): Uint8Array };
/** Node's zlib without importing a Node built-in (Node >= 20.16 has process.getBuiltinModule). */
const zlib = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:zlib') as Zlib | undefined;

/** Both modules' bytes, the plain one first, once inflated. */
let inflated: Uint8Array<ArrayBuffer> | null = null;

function slice(name: ModuleName, both: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  return name === 'plain' ? both.subarray(0, WASM_BYTES) : both.subarray(WASM_BYTES, WASM_BYTES + RELAXED_WASM_BYTES);
}

/** The modules can be inflated synchronously here: Node's zlib (Node >= 20.16), or already inflated. */
export function inflatesSync(): boolean {
  return inflated !== null || zlib !== undefined;
}

/** A module's bytes, synchronously (Node's first use; see inflatesSync). */
function wasmBytes(name: ModuleName): Uint8Array<ArrayBuffer> {
  inflated ??= new Uint8Array((zlib as Zlib).inflateRawSync(deflated()));
  return slice(name, inflated);
}

/**
 * A module's bytes, asynchronously: zlib, or the browser's own DecompressionStream, or (a
 * browser without 'deflate-raw', older than 2023) our inflater, loaded only then.
 */
async function wasmBytesAsync(name: ModuleName): Promise<Uint8Array<ArrayBuffer>> {
  if (inflatesSync()) return wasmBytes(name);
  try {
    const stream = new Blob([deflated()]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    inflated = new Uint8Array(await new Response(stream).arrayBuffer());
  } catch {
    const { inflate } = await import('./inflate');
    inflated = inflate(deflated(), WASM_BYTES + RELAXED_WASM_BYTES);
  }
  return slice(name, inflated);
}

/** The smallest module using final Wasm SIMD: v128.const then i8x16.popcnt. */
const SIMD_PROBE = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
  0x03, 0x02, 0x01, 0x00, // one function of that type
  0x0a, 0x18, 0x01, 0x16, 0x00, 0xfd, 0x0c, ...new Array(16).fill(0), 0xfd, 0x62, 0x0b, // v128.const 0, i8x16.popcnt
];

/**
 * The smallest module using relaxed SIMD: one function returning f32x4.relaxed_madd of its three
 * v128 parameters. It validates exactly where the host has relaxed SIMD.
 */
const RELAXED_SIMD_PROBE = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, // type: (v128, v128, v128) -> v128
  0x03, 0x02, 0x01, 0x00, // one function of that type
  0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02, 0x0b, // local.get 0..2, f32x4.relaxed_madd
];

const validates = (probe: number[]) => typeof WebAssembly === 'object' && WebAssembly.validate(new Uint8Array(probe));

/** The host runs Wasm SIMD (the final instruction set). */
export function wasmSimdSupported(): boolean {
  return validates(SIMD_PROBE);
}

export function relaxedSimdSupported(): boolean {
  return validates(RELAXED_SIMD_PROBE);
}

/** Shared Wasm memory (threads) can be made here: a browser allows it only on cross-origin isolated pages. */
export function sharedMemorySupported(): boolean {
  try {
    return typeof SharedArrayBuffer === 'function' && new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

function imports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return { env: { memory } };
}

/**
 * Synchronous compile: fine in Node; browsers restrict it on the main thread, so they use the
 * async path. Without `memory` the module gets a memory of its own.
 */
export function instantiateSync(name: ModuleName, memory = new WebAssembly.Memory({ initial: 1 })): WasmModule {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes(name)), imports(memory));
  return { memory, exports: instance.exports as unknown as WasmExports };
}

export async function instantiateAsync(name: ModuleName, memory = new WebAssembly.Memory({ initial: 1 })): Promise<WasmModule> {
  const module = await WebAssembly.compile(await wasmBytesAsync(name));
  const instance = await WebAssembly.instantiate(module, imports(memory));
  return { memory, exports: instance.exports as unknown as WasmExports };
}
