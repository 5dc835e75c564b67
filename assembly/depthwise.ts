// Depthwise convolution (one kernel per channel, torch groups = channels) on channels-last
// data, for T = f32 (f32x4) and T = f64 (f64x2). Channels sit next to each other in memory,
// so a vector covers `lanes` channels of one position for input, weights and output alike: no
// broadcast, no de-interleaving copy per channel. The block shape follows the channel count so
// no lanes are spent on channels that do not exist: up to `lanes` channels, eight positions x one
// vector; up to 2 * `lanes`, four positions x two vectors; more, two positions x four channel
// vectors. Each tap's weight vectors serve every position of the block. Layers with nine taps
// (3x3) over whole vectors of channels instead hold one channel vector's nine weights in
// registers along a run of positions (nineTaps). Where a pixel is exactly one vector and the
// pixels lie side by side (RGBA float32, stride 1), eight positions of a row are addressed from
// one pointer (adjacentBlock). x64 V8 spends an instruction on every address that is a sum of
// two run-time values, so the loops keep to one pointer plus immediate or scaled offsets.
//
// Addresses, as in conv.ts: the tap table holds per (ky, kx) the byte offset of the tap's
// input sample from the window origin; position i = (row, col) has its origin at
// row * inRowStep + col * inColStep and its result at i * C elements (channels-last, dense).
// Weights are [tap][channel] and biases [channel]; the caller pads both with at least
// 4 * lanes - 1 zeros so a vector tail never reads past them.
//
// Exported as depthwiseF32 / depthwiseF64 (ABI: src/runtime/abi.ts DepthwiseKernel). The block
// variants below differ in how many registers they hold (8 x 1, 4 x 2 or 2 x 4 vectors) and are
// kept apart on purpose; the two exports differ only in T (AssemblyScript exports need concrete types).

import { VEC_BYTES, lanes, mac, storeLanes } from "./simd";

const VECS: i32 = 4;

/** Positions per run of nineTaps. */
const SEGMENT: i32 = 24;

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
  storeLanes<T>(o, sizeof<T>(), a0, n);
  if (n > L) storeLanes<T>(o + VEC_BYTES, sizeof<T>(), a1, n - L);
  if (n > 2 * L) storeLanes<T>(o + 2 * VEC_BYTES, sizeof<T>(), a2, n - 2 * L);
  if (n > 3 * L) storeLanes<T>(o + 3 * VEC_BYTES, sizeof<T>(), a3, n - 3 * L);
}

/**
 * Images with at most `lanes` channels (RGBA in float32: one vector per pixel): eight positions x
 * one vector per block, so no lane work is spent on channels that do not exist. Stores the first C
 * lanes of each position.
 */
@inline function narrowBlock<T>(
  i: i32, nPix: i32, ow: i32, inPtr: usize, inRowStep: usize, inColStep: usize,
  o0: usize, n: i32, C: i32, tapPtr: usize, tapEnd: usize, wPtr: usize, biasPtr: usize,
): void {
  const rowBytes = <usize>C * sizeof<T>();
  const b = v128.load(biasPtr);
  let a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
  // Past the last position the block repeats it and does not store it.
  const last = nPix - 1;
  const q0 = origin(i, ow, inPtr, inRowStep, inColStep);
  const q1 = origin(min(i + 1, last), ow, inPtr, inRowStep, inColStep);
  const q2 = origin(min(i + 2, last), ow, inPtr, inRowStep, inColStep);
  const q3 = origin(min(i + 3, last), ow, inPtr, inRowStep, inColStep);
  const q4 = origin(min(i + 4, last), ow, inPtr, inRowStep, inColStep);
  const q5 = origin(min(i + 5, last), ow, inPtr, inRowStep, inColStep);
  const q6 = origin(min(i + 6, last), ow, inPtr, inRowStep, inColStep);
  const q7 = origin(min(i + 7, last), ow, inPtr, inRowStep, inColStep);
  let wp = wPtr;
  let tp = tapPtr;
  do {
    const t = <usize>load<u32>(tp);
    const w = v128.load(wp);
    a0 = mac<T>(a0, w, v128.load(q0 + t)); a1 = mac<T>(a1, w, v128.load(q1 + t));
    a2 = mac<T>(a2, w, v128.load(q2 + t)); a3 = mac<T>(a3, w, v128.load(q3 + t));
    a4 = mac<T>(a4, w, v128.load(q4 + t)); a5 = mac<T>(a5, w, v128.load(q5 + t));
    a6 = mac<T>(a6, w, v128.load(q6 + t)); a7 = mac<T>(a7, w, v128.load(q7 + t));
    wp += rowBytes;
    tp += 4;
  } while (tp < tapEnd);
  storeLanes<T>(o0, sizeof<T>(), a0, C);
  if (n > 1) storeLanes<T>(o0 + rowBytes, sizeof<T>(), a1, C);
  if (n > 2) storeLanes<T>(o0 + 2 * rowBytes, sizeof<T>(), a2, C);
  if (n > 3) storeLanes<T>(o0 + 3 * rowBytes, sizeof<T>(), a3, C);
  if (n > 4) storeLanes<T>(o0 + 4 * rowBytes, sizeof<T>(), a4, C);
  if (n > 5) storeLanes<T>(o0 + 5 * rowBytes, sizeof<T>(), a5, C);
  if (n > 6) storeLanes<T>(o0 + 6 * rowBytes, sizeof<T>(), a6, C);
  if (n > 7) storeLanes<T>(o0 + 7 * rowBytes, sizeof<T>(), a7, C);
}

/** narrowBlock for eight whole-vector pixels side by side from q: their inputs at immediate offsets from q + tap. */
@inline function adjacentBlock<T>(q: usize, o: usize, tapPtr: usize, tapEnd: usize, wPtr: usize, biasPtr: usize): void {
  const b = v128.load(biasPtr);
  let a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
  let wp = wPtr;
  let tp = tapPtr;
  do {
    const p = q + <usize>load<u32>(tp);
    const w = v128.load(wp);
    a0 = mac<T>(a0, w, v128.load(p)); a1 = mac<T>(a1, w, v128.load(p, 16));
    a2 = mac<T>(a2, w, v128.load(p, 32)); a3 = mac<T>(a3, w, v128.load(p, 48));
    a4 = mac<T>(a4, w, v128.load(p, 64)); a5 = mac<T>(a5, w, v128.load(p, 80));
    a6 = mac<T>(a6, w, v128.load(p, 96)); a7 = mac<T>(a7, w, v128.load(p, 112));
    wp += VEC_BYTES;
    tp += 4;
  } while (tp < tapEnd);
  v128.store(o, a0); v128.store(o, a1, 16); v128.store(o, a2, 32); v128.store(o, a3, 48);
  v128.store(o, a4, 64); v128.store(o, a5, 80); v128.store(o, a6, 96); v128.store(o, a7, 112);
}

/**
 * Images with more than `lanes` but at most 2 * `lanes` channels (RGBA in float64): four
 * positions x two vectors per block.
 */
@inline function pairBlock<T>(
  i: i32, nPix: i32, ow: i32, inPtr: usize, inRowStep: usize, inColStep: usize,
  o0: usize, n: i32, C: i32, tapPtr: usize, tapEnd: usize, wPtr: usize, biasPtr: usize,
): void {
  const L = lanes<T>();
  const rowBytes = <usize>C * sizeof<T>();
  const b0 = v128.load(biasPtr), b1 = v128.load(biasPtr, VEC_BYTES);
  let a0 = b0, a1 = b1, c0 = b0, c1 = b1, d0 = b0, d1 = b1, e0 = b0, e1 = b1;
  const last = nPix - 1;
  const q0 = origin(i, ow, inPtr, inRowStep, inColStep);
  const q1 = origin(min(i + 1, last), ow, inPtr, inRowStep, inColStep);
  const q2 = origin(min(i + 2, last), ow, inPtr, inRowStep, inColStep);
  const q3 = origin(min(i + 3, last), ow, inPtr, inRowStep, inColStep);
  let wp = wPtr;
  let tp = tapPtr;
  do {
    const t = <usize>load<u32>(tp);
    const w0 = v128.load(wp), w1 = v128.load(wp, VEC_BYTES);
    let p = q0 + t;
    a0 = mac<T>(a0, w0, v128.load(p)); a1 = mac<T>(a1, w1, v128.load(p, VEC_BYTES));
    p = q1 + t;
    c0 = mac<T>(c0, w0, v128.load(p)); c1 = mac<T>(c1, w1, v128.load(p, VEC_BYTES));
    p = q2 + t;
    d0 = mac<T>(d0, w0, v128.load(p)); d1 = mac<T>(d1, w1, v128.load(p, VEC_BYTES));
    p = q3 + t;
    e0 = mac<T>(e0, w0, v128.load(p)); e1 = mac<T>(e1, w1, v128.load(p, VEC_BYTES));
    wp += rowBytes;
    tp += 4;
  } while (tp < tapEnd);
  storeLanes<T>(o0, sizeof<T>(), a0, L); storeLanes<T>(o0 + VEC_BYTES, sizeof<T>(), a1, C - L);
  if (n > 1) { storeLanes<T>(o0 + rowBytes, sizeof<T>(), c0, L); storeLanes<T>(o0 + rowBytes + VEC_BYTES, sizeof<T>(), c1, C - L); }
  if (n > 2) { storeLanes<T>(o0 + 2 * rowBytes, sizeof<T>(), d0, L); storeLanes<T>(o0 + 2 * rowBytes + VEC_BYTES, sizeof<T>(), d1, C - L); }
  if (n > 3) { storeLanes<T>(o0 + 3 * rowBytes, sizeof<T>(), e0, L); storeLanes<T>(o0 + 3 * rowBytes + VEC_BYTES, sizeof<T>(), e1, C - L); }
}

/**
 * Nine taps (3x3 kernels) over more than 2 * `lanes` channels in whole vectors (layers): one
 * run of output positions at a time, each channel vector's nine weight vectors and bias stay in
 * registers while it slides along the run; the run's inputs stay in L1 for the next channel
 * vector. The taps must be the grid ky * tapRow + kx * tapCol (any dilation): each input then
 * comes from one of three row pointers plus 0, 1 or 2 column steps, which x64 addresses with
 * one add at most, where nine separate tap offsets spill and cost two instructions a load.
 */
function nineTaps<T>(
  inPtr: usize, tapRow: usize, tapCol: usize, wPtr: usize, biasPtr: usize, C: i32,
  outPtr: usize, nPix: i32, ow: i32, inRowStep: usize, inColStep: usize,
): void {
  const E = <usize>sizeof<T>();
  const rowBytes = <usize>C * E;
  const tapCol2 = tapCol << 1;
  let row = 0, col = 0;
  for (let i0 = 0; i0 < nPix; ) {
    // A run of up to SEGMENT positions of one output row: its windows stay in L1 for every
    // channel vector.
    const n = min(min(SEGMENT, ow - col), nPix - i0);
    const runIn = inPtr + <usize>row * inRowStep + <usize>col * inColStep;
    const runOut = outPtr + <usize>i0 * rowBytes;
    for (let c = 0; c < C; c += lanes<T>()) {
      const cb = <usize>c * E;
      const w = wPtr + cb;
      const w0 = v128.load(w), w1 = v128.load(w + rowBytes), w2 = v128.load(w + 2 * rowBytes);
      const w3 = v128.load(w + 3 * rowBytes), w4 = v128.load(w + 4 * rowBytes), w5 = v128.load(w + 5 * rowBytes);
      const w6 = v128.load(w + 6 * rowBytes), w7 = v128.load(w + 7 * rowBytes), w8 = v128.load(w + 8 * rowBytes);
      const b = v128.load(biasPtr + cb);
      let q0 = runIn + cb;
      let o = runOut + cb;
      const end = o + <usize>n * rowBytes;
      do {
        const q1 = q0 + tapRow, q2 = q1 + tapRow;
        let a = mac<T>(b, w0, v128.load(q0));
        a = mac<T>(a, w1, v128.load(q0 + tapCol));
        a = mac<T>(a, w2, v128.load(q0 + tapCol2));
        a = mac<T>(a, w3, v128.load(q1));
        a = mac<T>(a, w4, v128.load(q1 + tapCol));
        a = mac<T>(a, w5, v128.load(q1 + tapCol2));
        a = mac<T>(a, w6, v128.load(q2));
        a = mac<T>(a, w7, v128.load(q2 + tapCol));
        a = mac<T>(a, w8, v128.load(q2 + tapCol2));
        v128.store(o, a);
        q0 += inColStep;
        o += rowBytes;
      } while (o < end);
    }
    i0 += n;
    col += n;
    if (col == ow) { col = 0; row++; }
  }
}

/** Whether the nine taps at tapPtr are the grid ky * tapRow + kx * tapCol, row-major. */
function isTapGrid(tapPtr: usize, tapRow: usize, tapCol: usize): bool {
  for (let k = 0; k < 9; k++) {
    if (<usize>load<u32>(tapPtr + (<usize>k << 2)) != <usize>(k / 3) * tapRow + <usize>(k % 3) * tapCol) return false;
  }
  return true;
}

/** Window origin of output position i (row-major over ow columns). */
@inline function origin(i: i32, ow: i32, inPtr: usize, inRowStep: usize, inColStep: usize): usize {
  const row = i / ow;
  return inPtr + <usize>row * inRowStep + <usize>(i - row * ow) * inColStep;
}

/**
 * out[i, c] = bias[c] + sum_t w[t, c] * in[origin(i) + tap[t] + c] for every position i
 * (row-major over ow columns) and channel c < C. Reads up to 4 * lanes - 1 elements past the
 * last channel of an input position (inside the next position, or the arena's slack).
 */
function depthwiseChannelsLast<T>(
  inPtr: usize, tapPtr: usize, nTaps: i32, wPtr: usize, biasPtr: usize, C: i32,
  outPtr: usize, nPix: i32, ow: i32, inRowStep: usize, inColStep: usize,
): void {
  const E = <usize>sizeof<T>();
  const tapEnd = tapPtr + (<usize>nTaps << 2);
  const step = VECS * lanes<T>();
  if (C <= lanes<T>()) {
    // A vector per pixel, pixels side by side (RGBA float32): runs of eight positions inside a
    // row address their inputs at immediate offsets from one pointer; the rest as narrowBlock.
    const adjacent = sizeof<T>() == 4 && C == lanes<T>() && inColStep == VEC_BYTES;
    let row = 0, col = 0;
    for (let i = 0; i < nPix; ) {
      const o = outPtr + <usize>i * <usize>C * E;
      if (adjacent && col + 8 <= ow) {
        adjacentBlock<T>(inPtr + <usize>row * inRowStep + <usize>col * VEC_BYTES, o, tapPtr, tapEnd, wPtr, biasPtr);
      } else {
        narrowBlock<T>(i, nPix, ow, inPtr, inRowStep, inColStep, o, min(8, nPix - i), C, tapPtr, tapEnd, wPtr, biasPtr);
      }
      i += 8;
      col += 8;
      // A block that wrapped past its row's end leaves the next one that many columns into the next row.
      while (col >= ow) { col -= ow; row++; }
    }
    return;
  }
  if (C <= 2 * lanes<T>()) {
    for (let i = 0; i < nPix; i += 4) {
      pairBlock<T>(i, nPix, ow, inPtr, inRowStep, inColStep, outPtr + <usize>i * <usize>C * E, min(4, nPix - i), C, tapPtr, tapEnd, wPtr, biasPtr);
    }
    return;
  }
  if (sizeof<T>() == 4 && nTaps == 9 && C % 4 == 0) {
    const tapRow = <usize>load<u32>(tapPtr, 12), tapCol = <usize>load<u32>(tapPtr, 4);
    if (isTapGrid(tapPtr, tapRow, tapCol)) {
      nineTaps<T>(inPtr, tapRow, tapCol, wPtr, biasPtr, C, outPtr, nPix, ow, inRowStep, inColStep);
      return;
    }
  }
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

export function depthwiseF32(
  inPtr: usize, tapPtr: usize, nTaps: i32, wPtr: usize, biasPtr: usize, C: i32,
  outPtr: usize, nPix: i32, ow: i32, inRowStep: usize, inColStep: usize,
): void {
  if (nPix <= 0 || C <= 0 || nTaps <= 0) return;
  depthwiseChannelsLast<f32>(inPtr, tapPtr, nTaps, wPtr, biasPtr, C, outPtr, nPix, ow, inRowStep, inColStep);
}

export function depthwiseF64(
  inPtr: usize, tapPtr: usize, nTaps: i32, wPtr: usize, biasPtr: usize, C: i32,
  outPtr: usize, nPix: i32, ow: i32, inRowStep: usize, inColStep: usize,
): void {
  if (nPix <= 0 || C <= 0 || nTaps <= 0) return;
  depthwiseChannelsLast<f64>(inPtr, tapPtr, nTaps, wPtr, biasPtr, C, outPtr, nPix, ow, inRowStep, inColStep);
}
