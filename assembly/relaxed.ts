// Entry point of the relaxed SIMD module: the float32 kernels whose taps are multiply-adds,
// compiled with `f32x4.relaxed_madd` (one fused instruction where the hardware has FMA). It
// imports the same memory as the plain module (assembly/index.ts), which keeps every other kernel
// (the float64 ones too: they gained least, and leaving them out halves what this module adds to
// the bundle; and filter2d's tap lists, whose fused copy would cost 3.5 KB for a few per cent);
// neither has static data, so the two share the arena's layout.
export { correlateF32 } from "./correlate";
export { convF32 } from "./conv";
export { depthwiseF32 } from "./depthwise";

// Where free memory starts: the same address as the plain module's (neither has static data),
// which the runtime checks before sharing the arena between them.
export function heapBase(): usize {
  return __heap_base;
}
