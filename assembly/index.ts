// Entry point of the Wasm module: every kernel's exports (`${kernel}F32` / `${kernel}F64`, the ABI
// in src/runtime/abi.ts) and where free memory starts. The module owns no memory layout of its
// own: the arena (src/runtime/arena.ts) hands each kernel byte offsets into the imported memory.
export { correlateF32, correlateF64, correlateTapsF32, correlateTapsF64 } from "./correlate";
export { convF32, convF64 } from "./conv";
export { depthwiseF32, depthwiseF64 } from "./depthwise";
export { channelsLastF32, channelsLastF64 } from "./transpose";
export { spreadRowsF32, spreadRowsF64 } from "./pad";
export { addScalarF32, addScalarF64 } from "./offset";
export { winogradInputF32, winogradInputF64, winogradOutputF32, winogradOutputF64 } from "./winograd";
export { fftForwardF32, fftForwardF64, fftInverseF32, fftInverseF64, spectrumMulF32, spectrumMulF64, gatherTilesF32, gatherTilesF64, scatterTilesF32, scatterTilesF64 } from "./fft";
export { widenBytesF32, widenBytesF64, narrowToBytesF32, narrowToInt16F32, nearTiesF32, keepAlphaF32 } from "./bytes";

// First byte past the module's static data: the arena places its regions here. Kernels must not
// allocate: the stub runtime's heap starts at the same address.
export function heapBase(): usize {
  return __heap_base;
}
