// f64 entry point: correlateF64. The kernels themselves live in correlate.ts, shared with
// the f32 build: f64x2 vectors, same loop order and register blocking (see the
// comment at the top of that file for why). This file only picks the path:
//   3x3 -> taps held in registers, 3 output rows per pass;
//   1 x kw -> one row at a time, 4 vectors, taps in pairs with a shuffle for the odd tap;
//   any other kh x kw -> 2 output rows x 4 vectors per block, runtime loops over kernel rows/taps.
import { Accumulate, Overwrite, correlate3x3, correlateGeneral, correlateRow } from "./correlate";

const ELEM_SHIFT: i32 = 3; // log2(sizeof<f64>()): strides arrive in elements, kernels take bytes

export function correlateF64(
  inPtr: usize, inStride: i32, kerPtr: usize, kh: i32, kw: i32,
  outPtr: usize, outStride: i32, oh: i32, ow: i32, accumulate: i32,
): void {
  if (oh <= 0 || ow <= 0 || kh <= 0 || kw <= 0) return;
  const sIn = <usize>inStride << ELEM_SHIFT;
  const sOut = <usize>outStride << ELEM_SHIFT;
  if (kh == 3 && kw == 3) {
    if (accumulate) correlate3x3<f64, Accumulate>(inPtr, sIn, kerPtr, outPtr, sOut, oh, ow);
    else correlate3x3<f64, Overwrite>(inPtr, sIn, kerPtr, outPtr, sOut, oh, ow);
    return;
  }
  if (kh == 1) {
    if (accumulate) correlateRow<f64, Accumulate>(inPtr, sIn, kerPtr, kw, outPtr, sOut, oh, ow);
    else correlateRow<f64, Overwrite>(inPtr, sIn, kerPtr, kw, outPtr, sOut, oh, ow);
    return;
  }
  if (accumulate) correlateGeneral<f64, Accumulate>(inPtr, sIn, kerPtr, kh, kw, outPtr, sOut, oh, ow);
  else correlateGeneral<f64, Overwrite>(inPtr, sIn, kerPtr, kh, kw, outPtr, sOut, oh, ow);
}
