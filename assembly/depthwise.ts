// Depthwise convolution (one kernel per channel, torch groups = channels) on channels-last
// data, for T = f32 (f32x4) and T = f64 (f64x2). Channels sit next to each other in memory,
// so a vector covers `lanes` channels of one position for input, weights and output alike: no
// broadcast, no de-interleaving copy per channel. A block is two output positions x four
// channel vectors; each tap's four weight vectors serve both positions.
//
// Addresses, as in conv.ts: the tap table holds per (ky, kx) the byte offset of the tap's
// input sample from the window origin; position i = (row, col) has its origin at
// row * inRowStep + col * inColStep and its result at i * C elements (channels-last, dense).
// Weights are [tap][channel] and biases [channel]; the caller pads both with at least
// 4 * lanes - 1 zeros so a vector tail never reads past them.

import { VEC_BYTES, lanes, mac } from "./simd";

const VECS: i32 = 4;

/** Stores the first n lanes of a at o (n < lanes: a channel tail). */
@inline function storeFirst<T>(o: usize, a: v128, n: i32): void {
  if (n >= lanes<T>()) {
    v128.store(o, a);
    return;
  }
  v128.store_lane<T>(o, a, 0);
  if (sizeof<T>() == 4) {
    if (n > 1) v128.store_lane<T>(o, a, 1, sizeof<T>());
    if (n > 2) v128.store_lane<T>(o, a, 2, 2 * sizeof<T>());
  }
}

/** Up to VECS vectors of channels starting at c for positions with origins q0 and q1 (q1 == q0: one position). */
@inline function channelBlock<T>(
  q0: usize, q1: usize, o0: usize, o1: usize, two: bool, c: i32, C: i32,
  tapPtr: usize, tapEnd: usize, wPtr: usize, biasPtr: usize,
): void {
  const E = <usize>sizeof<T>();
  const cb = <usize>c * E;
  const rowBytes = <usize>C * E;
  let a0 = v128.load(biasPtr + cb), a1 = v128.load(biasPtr + cb, VEC_BYTES);
  let a2 = v128.load(biasPtr + cb, 2 * VEC_BYTES), a3 = v128.load(biasPtr + cb, 3 * VEC_BYTES);
  let b0 = a0, b1 = a1, b2 = a2, b3 = a3;
  let wp = wPtr + cb;
  let tp = tapPtr;
  do {
    const t = <usize>load<u32>(tp) + cb;
    const w0 = v128.load(wp), w1 = v128.load(wp, VEC_BYTES);
    const w2 = v128.load(wp, 2 * VEC_BYTES), w3 = v128.load(wp, 3 * VEC_BYTES);
    let p = q0 + t;
    a0 = mac<T>(a0, w0, v128.load(p)); a1 = mac<T>(a1, w1, v128.load(p, VEC_BYTES));
    a2 = mac<T>(a2, w2, v128.load(p, 2 * VEC_BYTES)); a3 = mac<T>(a3, w3, v128.load(p, 3 * VEC_BYTES));
    p = q1 + t;
    b0 = mac<T>(b0, w0, v128.load(p)); b1 = mac<T>(b1, w1, v128.load(p, VEC_BYTES));
    b2 = mac<T>(b2, w2, v128.load(p, 2 * VEC_BYTES)); b3 = mac<T>(b3, w3, v128.load(p, 3 * VEC_BYTES));
    wp += rowBytes;
    tp += 4;
  } while (tp < tapEnd);
  const L = lanes<T>();
  const n = C - c;
  storeVecs<T>(o0 + cb, a0, a1, a2, a3, n, L);
  if (two) storeVecs<T>(o1 + cb, b0, b1, b2, b3, n, L);
}

@inline function storeVecs<T>(o: usize, a0: v128, a1: v128, a2: v128, a3: v128, n: i32, L: i32): void {
  storeFirst<T>(o, a0, n);
  if (n > L) storeFirst<T>(o + VEC_BYTES, a1, n - L);
  if (n > 2 * L) storeFirst<T>(o + 2 * VEC_BYTES, a2, n - 2 * L);
  if (n > 3 * L) storeFirst<T>(o + 3 * VEC_BYTES, a3, n - 3 * L);
}

/**
 * out[i, c] = bias[c] + sum_t w[t, c] * in[origin(i) + tap[t] + c] for every position i
 * (row-major over ow columns) and channel c < C. Reads up to 4 * lanes - 1 elements past the
 * last channel of an input position (inside the next position, or the arena's slack).
 */
export function depthwiseChannelsLast<T>(
  inPtr: usize, tapPtr: usize, nTaps: i32, wPtr: usize, biasPtr: usize, C: i32,
  outPtr: usize, nPix: i32, ow: i32, inRowStep: usize, inColStep: usize,
): void {
  const E = <usize>sizeof<T>();
  const tapEnd = tapPtr + (<usize>nTaps << 2);
  const step = VECS * lanes<T>();
  let row = 0, col = 0;
  for (let i = 0; i < nPix; i += 2) {
    const two = i + 1 < nPix;
    const q0 = inPtr + <usize>row * inRowStep + <usize>col * inColStep;
    if (++col == ow) { col = 0; row++; }
    let q1 = q0;
    if (two) {
      q1 = inPtr + <usize>row * inRowStep + <usize>col * inColStep;
      if (++col == ow) { col = 0; row++; }
    }
    const o0 = outPtr + <usize>i * <usize>C * E;
    const o1 = o0 + <usize>C * E;
    for (let c = 0; c < C; c += step) {
      channelBlock<T>(q0, q1, o0, o1, two, c, C, tapPtr, tapEnd, wPtr, biasPtr);
    }
  }
}
