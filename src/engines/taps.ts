// Tap lists for image passes: OpenCV's filter2D sums only a kernel's nonzero taps, so a NaN or an
// infinity under a zero tap never reaches the result (a dense sum would make it NaN). For finite
// samples both sums are the same bits, since adding the zero products changes nothing.
import type { DType, FloatArray } from '../core/tensor';
import { TAP_LIST_BYTES, TAP_LIST_SCRATCH, type Backend, type CorrelateKernel } from '../runtime/abi';

/** A kernel's nonzero taps in row-major order. */
export interface TapList {
  weights: number[];
  /** (row, column) of each tap. */
  positions: number[];
}

/**
 * The nonzero taps of a kh x kw kernel (rotated 180° first when `flip`), or null if none is zero.
 * A kernel of zeros keeps its first tap, weight 0, as OpenCV does (so a NaN or an infinity under
 * that tap still makes NaN).
 */
export function nonzeroTaps(kernel: ArrayLike<number>, kh: number, kw: number, flip = false): TapList | null {
  const n = kh * kw;
  const list: TapList = { weights: [], positions: [] };
  for (let i = 0; i < n; i++) {
    const w = kernel[flip ? n - 1 - i : i];
    if (w === 0) continue;
    list.weights.push(w);
    list.positions.push(Math.floor(i / kw), i % kw);
  }
  if (list.weights.length === 0) return { weights: [0], positions: [0, 0] };
  return list.weights.length === n ? null : list;
}

/**
 * The 3x3 patterns the Wasm kernel runs at the dense 3x3 path's rate per tap (assembly/correlate.ts
 * CROSS_BITS and the others: bit 3 * row + column): cross, no middle column, no middle row.
 */
const FAST_MASKS = [0b010111010, 0b101101101, 0b111000111];

/** The list's 3x3 mask, or -1 when it reaches outside a 3x3 window. */
function maskOf(list: TapList): number {
  let bits = 0;
  for (let t = 0; t < list.weights.length; t++) {
    const [u, v] = [list.positions[2 * t], list.positions[2 * t + 1]];
    if (u > 2 || v > 2) return -1;
    bits |= 1 << (3 * u + v);
  }
  return bits;
}

/**
 * Whether a pass over samples that are all finite (bytes) should run the list anyway: the sums
 * are the same bits, and the list is faster with few taps (a listed tap costs about 1.6x a dense
 * 3x3 one) or in one of the fast 3x3 patterns.
 */
export const worthListing = (list: TapList, n: number) => list.weights.length <= 0.6 * n || FAST_MASKS.includes(maskOf(list));

/** Arena bytes of a tap list (see CorrelateTapsKernel). */
export const tapListBytes = (list: TapList | null, bytes: number) => (list ? list.weights.length * (bytes + TAP_LIST_BYTES) + TAP_LIST_SCRATCH : 0);

/**
 * Writes the list at byte offset `at` and returns a correlate kernel that runs it (the kernel
 * pointer and shape it is called with are ignored): a drop-in for the dense kernel's calls.
 */
export function tapKernel(backend: Backend, dtype: DType, at: number, list: TapList): CorrelateKernel {
  const { bytes, correlateTaps } = backend.kernels(dtype);
  const n = list.weights.length;
  (backend.arena.view(dtype) as FloatArray).set(list.weights, at / bytes);
  backend.arena.view('int32').set(list.positions, (at + n * bytes) / 4);
  return (inPtr, inStride, _kerPtr, _kh, _kw, outPtr, outStride, oh, ow, accumulate, tapStep) => correlateTaps(inPtr, inStride, at, n, outPtr, outStride, oh, ow, accumulate, tapStep);
}
