// Entry points correlateF32 / correlateF64: one generic dispatcher picks the path, the
// kernels live in correlate.ts (see its header for loop order and register blocking):
//   3x3 -> taps held in registers, 3 output rows per pass;
//   1 x kw -> one row at a time, 4 vectors, taps in pairs with a shuffle for the odd tap;
//   any other kh x kw -> 2 output rows x 4 vectors per block, runtime loops over kernel rows/taps.
// Accumulate/Overwrite are type markers, not a flag, so each mode compiles to its own loops.
import { Accumulate, Overwrite, correlate3x3, correlateGeneral, correlateRow } from "./correlate";

@inline function dispatch<T>(
  inPtr: usize, inStride: i32, kerPtr: usize, kh: i32, kw: i32,
  outPtr: usize, outStride: i32, oh: i32, ow: i32, accumulate: i32,
): void {
  if (oh <= 0 || ow <= 0 || kh <= 0 || kw <= 0) return;
  // Strides arrive in elements; the kernels step in bytes.
  const sIn = <usize>inStride * sizeof<T>();
  const sOut = <usize>outStride * sizeof<T>();
  if (kh == 3 && kw == 3) {
    if (accumulate) correlate3x3<T, Accumulate>(inPtr, sIn, kerPtr, outPtr, sOut, oh, ow);
    else correlate3x3<T, Overwrite>(inPtr, sIn, kerPtr, outPtr, sOut, oh, ow);
  } else if (kh == 1) {
    if (accumulate) correlateRow<T, Accumulate>(inPtr, sIn, kerPtr, kw, outPtr, sOut, oh, ow);
    else correlateRow<T, Overwrite>(inPtr, sIn, kerPtr, kw, outPtr, sOut, oh, ow);
  } else if (accumulate) {
    correlateGeneral<T, Accumulate>(inPtr, sIn, kerPtr, kh, kw, outPtr, sOut, oh, ow);
  } else {
    correlateGeneral<T, Overwrite>(inPtr, sIn, kerPtr, kh, kw, outPtr, sOut, oh, ow);
  }
}

export function correlateF32(
  inPtr: usize, inStride: i32, kerPtr: usize, kh: i32, kw: i32,
  outPtr: usize, outStride: i32, oh: i32, ow: i32, accumulate: i32,
): void {
  dispatch<f32>(inPtr, inStride, kerPtr, kh, kw, outPtr, outStride, oh, ow, accumulate);
}

export function correlateF64(
  inPtr: usize, inStride: i32, kerPtr: usize, kh: i32, kw: i32,
  outPtr: usize, outStride: i32, oh: i32, ow: i32, accumulate: i32,
): void {
  dispatch<f64>(inPtr, inStride, kerPtr, kh, kw, outPtr, outStride, oh, ow, accumulate);
}
