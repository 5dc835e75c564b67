// The one owner of compute memory (Wasm linear memory, or a plain buffer for the fallback).
import { SimdconvError } from '../core/errors';
import { MAX_BYTES, type DType, type FloatArray } from '../core/tensor';

/** Regions start on cache-line boundaries so SIMD loads of a region never straddle two lines needlessly. */
const ALIGN = 64;
/** Kernels may read up to this many bytes past a region's end (vector tails); the arena keeps it mapped. */
const SLACK = 64;
const WASM_PAGE = 65536;

/** Where an arena's bytes live: Wasm linear memory for the SIMD backend, a plain ArrayBuffer for the fallback. */
export interface Store {
  buffer(): ArrayBuffer;
  /** Makes the store at least `bytes` long; returns false when the host refuses. */
  ensure(bytes: number): boolean;
}

export function wasmStore(memory: WebAssembly.Memory): Store {
  return {
    buffer: () => memory.buffer,
    ensure(bytes) {
      const have = memory.buffer.byteLength;
      if (bytes <= have) return true;
      try {
        memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
        return true;
      } catch {
        return false;
      }
    },
  };
}

export function arrayStore(): Store {
  let buf = new ArrayBuffer(0);
  return {
    buffer: () => buf,
    ensure(bytes) {
      if (bytes <= buf.byteLength) return true;
      try {
        buf = new ArrayBuffer(bytes);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/**
 * The one owner of compute memory. Each call lays out its regions from `base` again, so
 * nothing is held between calls, a failed call frees by construction, and the store only
 * grows when a larger shape than any before arrives. Nothing else keeps a view: views are
 * re-created whenever the buffer changed, because `memory.grow` detaches the old ArrayBuffer.
 *
 * A future worker pool shares one Wasm memory by giving each worker a band of the same
 * layout; it needs no second manager.
 */
export class Arena {
  private viewsOf: ArrayBuffer | null = null;
  private f32View = new Float32Array(0);
  private f64View = new Float64Array(0);
  private u32View = new Uint32Array(0);
  private u8View = new Uint8ClampedArray(0);
  private i16View = new Int16Array(0);
  private i32View = new Int32Array(0);

  constructor(
    private readonly store: Store,
    private readonly base: number,
  ) {}

  /**
   * Lays out named regions of the given byte sizes, in the order given, and returns their byte
   * offsets under the same names; throws TOO_LARGE (and allocates nothing) when they cannot fit.
   */
  reserve<K extends string>(sizes: Record<K, number>): Record<K, number> {
    const offsets = {} as Record<K, number>;
    let end = align(this.base);
    for (const name of Object.keys(sizes) as K[]) {
      offsets[name] = end;
      end = align(end + sizes[name] + SLACK);
    }
    if (end > MAX_BYTES || !this.store.ensure(end)) {
      throw new SimdconvError(
        'TOO_LARGE',
        `arrays: expected at most ${MAX_BYTES} bytes of working memory, got a request for ${end} bytes`,
      );
    }
    return offsets;
  }

  view(dtype: 'float32'): Float32Array;
  view(dtype: 'float64'): Float64Array;
  view(dtype: 'uint32'): Uint32Array;
  view(dtype: 'uint8'): Uint8ClampedArray;
  view(dtype: 'int16'): Int16Array;
  view(dtype: 'int32'): Int32Array;
  view(dtype: DType): FloatArray;
  view(dtype: DType | 'uint32' | 'uint8' | 'int16' | 'int32'): FloatArray | Uint32Array | Uint8ClampedArray | Int16Array | Int32Array {
    const buf = this.store.buffer();
    if (buf !== this.viewsOf) {
      this.viewsOf = buf;
      this.f32View = new Float32Array(buf);
      this.f64View = new Float64Array(buf);
      this.u32View = new Uint32Array(buf);
      this.u8View = new Uint8ClampedArray(buf);
      this.i16View = new Int16Array(buf);
      this.i32View = new Int32Array(buf);
    }
    if (dtype === 'uint32') return this.u32View;
    if (dtype === 'uint8') return this.u8View;
    if (dtype === 'int16') return this.i16View;
    if (dtype === 'int32') return this.i32View;
    return dtype === 'float64' ? this.f64View : this.f32View;
  }

  /** Bytes the store currently holds (what tests watch to prove memory stops growing). */
  get byteLength(): number {
    return this.store.buffer().byteLength;
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
