import type { Arena } from './memory';

/**
 * The compute ABI shared by the Wasm module (assembly/) and the TypeScript fallback:
 * valid-mode 2-D cross-correlation over an input the caller already padded,
 *   out[i*outStride + j] = (accumulate ? out[...] : 0) + sum_{u<kh, v<kw} ker[u*kw + v] * inp[(i+u)*inStride + j + v]
 * Pointers are byte offsets into the arena, strides and sizes are in elements.
 */
export type CorrelateKernel = (
  inPtr: number,
  inStride: number,
  kerPtr: number,
  kh: number,
  kw: number,
  outPtr: number,
  outStride: number,
  oh: number,
  ow: number,
  accumulate: number,
) => void;

export type BackendName = 'wasm-simd' | 'js';

/** A backend is an arena plus the kernels that compute inside it. */
export interface Backend {
  name: BackendName;
  arena: Arena;
  correlateF32: CorrelateKernel;
  correlateF64: CorrelateKernel;
}
