// Entry point of the Wasm module: re-exports every kernel. The module owns no memory
// layout of its own; the TypeScript memory manager (src/memory.ts) hands each kernel
// byte offsets into the imported linear memory.
export { heapBase } from "./layout";
export { correlateF32, correlateF64 } from "./correlate_entry";
export { convF32, convF64, depthwiseF32, depthwiseF64, channelsLastF32, channelsLastF64,
  widenBytesF32, widenBytesF64, narrowToBytesF32, narrowToBytesF64, nearTiesF32, nearTiesF64 } from "./conv_entry";
