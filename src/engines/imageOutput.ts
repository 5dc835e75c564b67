// What an image pass's results become on the way out of Wasm memory, shared by the plane and
// depthwise engines: floats copied as they are, or integers (uint8, int16) rounded half to even
// and saturated inside Wasm memory, with the samples near a .5 tie listed for image/opencvBytes.ts.
// Kernels: assembly/bytes.ts (Wasm SIMD), runtime/fallback.ts.
import { allocUnset, allocUnsetOf, type DType, type FloatArray } from '../core/tensor';
import type { Backend } from '../runtime/abi';

export type IntegerOutput = 'uint8' | 'int16';

/** A pass's result: floats, or the integers of an integer output. */
export type PassResult = FloatArray | Uint8ClampedArray | Int16Array;

/** Samples near ties: `item` (the first sample of the block scanned) + each of `indices`. */
export interface NearTies {
  item: number;
  indices: Uint32Array;
}

/** What a pass's results are, and for integers which samples to list. */
export interface ResultKind {
  dtype: DType;
  output: 'float' | IntegerOutput;
  /** With an integer output: list the samples within this distance of a .5 tie before rounding. */
  tieBound?: number;
}

/** Bytes per sample of each integer output. */
const INTEGER_BYTES: Record<IntegerOutput, number> = { uint8: 1, int16: 2 };

/** Indices found per nearTies call; the scan resumes after the last one. */
const TIE_BATCH = 4096;

export function allocPassResult(kind: ResultKind, size: number): PassResult {
  if (kind.output === 'float') return allocUnset(kind.dtype, size);
  // Uninitialised where the host allows: every sample is emitted (or, for kept alpha, copied).
  return kind.output === 'uint8' ? allocUnsetOf(Uint8ClampedArray, size) : allocUnsetOf(Int16Array, size);
}

/** Arena bytes to emit blocks of up to `size` samples (the integers and the near-tie list). */
export function emitBytes(kind: ResultKind, size: number): number {
  return kind.output === 'float' ? 0 : size * INTEGER_BYTES[kind.output] + (kind.tieBound === undefined ? 0 : 4 * TIE_BATCH + 3);
}

/**
 * Writes `size` floats at byte offset `from` into `result` at sample `at`: as they are, or
 * through the integers at byte offset `ints` (an emitBytes region), listing the samples near
 * ties into `nearTies` (indices relative to `at`).
 */
export function emitSamples(backend: Backend, kind: ResultKind, from: number, size: number, ints: number, result: PassResult, at: number, nearTies: NearTies[]): void {
  const { bytes, nearTies: scan, narrowToBytes, narrowToInt16 } = backend.kernels(kind.dtype);
  if (kind.output === 'float') {
    result.set(backend.arena.view(kind.dtype).subarray(from / bytes, from / bytes + size), at);
    return;
  }
  if (kind.tieBound !== undefined) {
    const listPtr = (ints + size * INTEGER_BYTES[kind.output] + 3) & ~3;
    for (let first = 0; first < size; ) {
      const found = scan(from, first, size, kind.tieBound, listPtr, TIE_BATCH);
      const list = backend.arena.view('uint32').slice(listPtr / 4, listPtr / 4 + found);
      if (found > 0) nearTies.push({ item: at, indices: list });
      first = found === TIE_BATCH ? list[found - 1] + 1 : size;
    }
  }
  if (kind.output === 'uint8') {
    narrowToBytes(from, size, ints);
    result.set(backend.arena.view('uint8').subarray(ints, ints + size), at);
    return;
  }
  narrowToInt16(from, size, ints);
  result.set(backend.arena.view('int16').subarray(ints / 2, ints / 2 + size), at);
}
