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
