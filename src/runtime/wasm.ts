// Loads the Wasm module inlined in the bundle (build/wasm-binary.ts, made by scripts/embed-wasm.mjs).
import { WASM_BASE64 } from '../../build/wasm-binary';

/** What the AssemblyScript module exports (assembly/index.ts): `${kernel}F32` / `${kernel}F64` and where free memory starts. */
export interface WasmExports {
  heapBase(): number;
  [kernel: string]: (...args: number[]) => number | void;
}

export interface WasmModule {
  memory: WebAssembly.Memory;
  exports: WasmExports;
}

let bytes: Uint8Array<ArrayBuffer> | null = null;

function wasmBytes(): Uint8Array<ArrayBuffer> {
  if (bytes) return bytes;
  // atob exists in browsers and in Node >= 16, so one decoder serves both. A plain loop: V8's
  // Uint8Array.from with a mapping function takes three times as long (~10 ms at start-up).
  const text = atob(WASM_BASE64);
  bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * Validating our own module is the SIMD probe: a host without Wasm SIMD (or without Wasm)
 * rejects its v128 instructions, and no user-agent guess is involved.
 */
export function wasmSimdSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(wasmBytes());
}

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

export function relaxedSimdSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(new Uint8Array(RELAXED_SIMD_PROBE));
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

function newMemory(): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 1 });
}

/** Synchronous compile: fine in Node; browsers restrict it on the main thread, so they use the async path. */
export function instantiateSync(): WasmModule {
  const memory = newMemory();
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes()), imports(memory));
  return { memory, exports: instance.exports as unknown as WasmExports };
}

export async function instantiateAsync(): Promise<WasmModule> {
  const memory = newMemory();
  const module = await WebAssembly.compile(wasmBytes());
  const instance = await WebAssembly.instantiate(module, imports(memory));
  return { memory, exports: instance.exports as unknown as WasmExports };
}
