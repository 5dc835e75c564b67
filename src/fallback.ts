import type { Arena } from './memory';
import type { FloatArray } from './tensor';
import type { CorrelateKernel } from './kernels';

/**
 * The pure-TypeScript kernels: the same ABI as assembly/correlate.ts over the same arena
 * layout, so the JS backend differs from the Wasm one only in who runs the loop.
 * Accumulation is in float64 (a JS number) and rounds once on store, which stays inside
 * the float32 tolerance of the SIMD path.
 */
function correlateOn(heap: () => FloatArray, shift: number): CorrelateKernel {
  return (inPtr, inStride, kerPtr, kh, kw, outPtr, outStride, oh, ow, accumulate) => {
    const h = heap();
    const inp = inPtr >> shift;
    const ker = kerPtr >> shift;
    const out = outPtr >> shift;
    for (let i = 0; i < oh; i++) {
      const orow = out + i * outStride;
      for (let j = 0; j < ow; j++) {
        let s = accumulate ? h[orow + j] : 0;
        for (let u = 0; u < kh; u++) {
          const irow = inp + (i + u) * inStride + j;
          const krow = ker + u * kw;
          for (let v = 0; v < kw; v++) s += h[krow + v] * h[irow + v];
        }
        h[orow + j] = s;
      }
    }
  };
}

export function jsKernels(arena: Arena): { correlateF32: CorrelateKernel; correlateF64: CorrelateKernel } {
  return {
    correlateF32: correlateOn(() => arena.view('float32'), 2),
    correlateF64: correlateOn(() => arena.view('float64'), 3),
  };
}
