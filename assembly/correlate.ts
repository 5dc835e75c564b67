// Valid-mode 2-D cross-correlation kernels, written once for T = f32 (f32x4) and T = f64 (f64x2),
// exported as correlateF32 / correlateF64 (ABI: src/runtime/abi.ts CorrelateKernel). A kernel
// row's taps are tapStep elements apart (1 for a plane; C for an image of C interleaved channels,
// whose outputs are still contiguous). One dispatcher picks the path:
//   3x3 -> taps held in registers, 3 output rows per pass;
//   1 x kw, adjacent taps -> one row at a time, 4 vectors, taps in pairs with a shuffle for the odd tap;
//   any other kh x kw -> 2 output rows x 4 vectors per block, runtime loops over kernel rows/taps.
// correlateTapsF32 / correlateTapsF64 take a list of taps instead of a dense kernel (filter2d's
// nonzero ones; ABI: CorrelateTapsKernel).
// The two exports differ only in T: AssemblyScript exports need concrete types.
//
// Why the loops look the way they do (measured with V8 11.3 / Node 20 on x64, which has no FMA
// in Wasm SIMD, so every tap costs a mul and an add):
//  * Loads per multiply-add decide the speed. On the target machine vector loads (a tap's
//    load32_splat included) go at about one per cycle, mul+add pairs at up to two per cycle, so
//    every path reuses each loaded vector and each broadcast tap several times.
//  * TurboFan emits a basic block's loads in program order ahead of the arithmetic that uses them
//    and then emits one accumulator chain after another. A large unrolled body therefore keeps
//    most of its loads live at once and spills. Inner loops stay small runtime loops (one tap,
//    or two, per iteration); TurboFan unrolls them itself and the exit test between the copies
//    caps each block at a few loads.
//  * x64 V8 allocates 15 xmm registers (xmm15 is its scratch): that sets every block size below.
//
// Paths:
//  * General (any kh >= 2): 2 output rows x 4 output vectors in 8 accumulators. Input row r of
//    the block feeds output row 0 with kernel row r and output row 1 with kernel row r-1, so each
//    input vector serves two accumulators and each broadcast tap four: 6 loads per 8
//    multiply-adds. 8 accumulators + 4 inputs + 2 taps + 1 product = 15 registers; 3x3 or 2x5
//    blocks need 16-17 and spill. The inner loop walks whichever kernel dimension is longer, so
//    tall narrow kernels (31x1) don't pay a loop set-up per tap.
//  * kh = 1: nothing to share between output rows, so instead taps go in pairs: the input
//    vector for tap v is carried from the previous iteration, the one for v+2 is loaded and the
//    one for v+1 is a shuffle of the two (the shuffle uses an FP port, not a load port).
//  * 3x3: the 9 taps stay in registers for the whole call and each pass makes 3 output rows
//    from 5 input rows (15 input loads per 27 multiply-adds, no tap loads). TurboFan still
//    reloads the last kernel row's taps once per chain, but that beats the alternatives tried
//    (2 rows; 1 row with a tree sum; shuffles for the shifted inputs), which all measured the
//    same or slower.
//  * Columns that don't fill a vector are computed as one more full vector whose first rem lanes
//    are stored, so a tail costs one vector of work per row instead of a scalar loop per element.
//    That reads at most LANES-1 elements (12 bytes) past the last valid input column, inside the
//    64-byte read slack, and never writes outside the ow owned columns.
//  * accumulate is a compile-time type parameter (Accumulate / Overwrite), so each mode gets its
//    own loops with no test inside. A bool argument to an @inline function is not folded:
//    Binaryen merges the two inlined copies back into one loop that tests the flag.
//  * The block functions (R2C4, R2C1, R1C4, R1C1, RowC4) repeat each other's tap loops with a
//    different number of accumulators on purpose: each is one register-allocated unit, and a
//    shared loop with a runtime block size would keep its accumulators in memory.

import { Accumulate, Overwrite, VEC_BYTES, elemShift, isAccumulate, lanes, loadLanes, mac, storeLanes, tap, zero } from "./simd";

// Output block of the general path.
const BLOCK_ROWS: i32 = 2;
const BLOCK_VECS: i32 = 4;

/**
 * Stores one result vector. rem = lanes<T>() stores the whole vector; rem < lanes<T>() stores only
 * the first rem lanes (and, when accumulating, reads only those lanes of the output).
 */
@inline function storeVec<T, M>(o: usize, a: v128, rem: i32): void {
  if (isAccumulate<M>()) a = v128.add<T>(a, loadLanes<T>(o, rem));
  storeLanes<T>(o, sizeof<T>(), a, rem);
}

// ------------------------------------------------------------------------------------------------
// General path

/** 2 output rows x 4 full vectors starting at input p / output o. */
@inline function blockR2C4<T, M>(
  p: usize, sIn: usize, kerPtr: usize, kwBytes: usize, kerEnd: usize, o: usize, sOut: usize,
  lastRowOff: usize, columnMajor: bool, tb: usize,
): void {
  const E = sizeof<T>();
  const pLast = p + lastRowOff;
  let a0 = zero<T>(), a1 = zero<T>(), a2 = zero<T>(), a3 = zero<T>();
  let b0 = zero<T>(), b1 = zero<T>(), b2 = zero<T>(), b3 = zero<T>();
  let k = kerPtr;
  // Input row 0 feeds only output row 0 (kernel row 0).
  let x = p;
  let kRowEnd = k + kwBytes;
  do {
    const w = tap<T>(k);
    a0 = mac<T>(a0, w, v128.load(x));
    a1 = mac<T>(a1, w, v128.load(x, VEC_BYTES));
    a2 = mac<T>(a2, w, v128.load(x, 2 * VEC_BYTES));
    a3 = mac<T>(a3, w, v128.load(x, 3 * VEC_BYTES));
    x += tb; k += E;
  } while (k < kRowEnd);
  p += sIn;
  // Input rows 1..kh-1 feed output row 0 (kernel row r, k) and output row 1 (kernel row r-1, kb).
  // The inner loop runs along whichever kernel dimension is longer: a tall narrow kernel (e.g.
  // 31x1) walking its rows one tap at a time would pay the loop set-up for every single tap.
  if (columnMajor) {
    const kColEnd = k + kwBytes;
    do {
      x = p;
      let kc = k, kb = k - kwBytes;
      do {
        const w = tap<T>(kc), wb = tap<T>(kb);
        let v = v128.load(x);            a0 = mac<T>(a0, w, v); b0 = mac<T>(b0, wb, v);
        v = v128.load(x, VEC_BYTES);     a1 = mac<T>(a1, w, v); b1 = mac<T>(b1, wb, v);
        v = v128.load(x, 2 * VEC_BYTES); a2 = mac<T>(a2, w, v); b2 = mac<T>(b2, wb, v);
        v = v128.load(x, 3 * VEC_BYTES); a3 = mac<T>(a3, w, v); b3 = mac<T>(b3, wb, v);
        x += sIn; kc += kwBytes; kb += kwBytes;
      } while (kc < kerEnd);
      p += tb; k += E;
    } while (k < kColEnd);
  } else {
    while (k < kerEnd) {
      x = p;
      kRowEnd = k + kwBytes;
      let kb = k - kwBytes;
      do {
        const w = tap<T>(k), wb = tap<T>(kb);
        let v = v128.load(x);            a0 = mac<T>(a0, w, v); b0 = mac<T>(b0, wb, v);
        v = v128.load(x, VEC_BYTES);     a1 = mac<T>(a1, w, v); b1 = mac<T>(b1, wb, v);
        v = v128.load(x, 2 * VEC_BYTES); a2 = mac<T>(a2, w, v); b2 = mac<T>(b2, wb, v);
        v = v128.load(x, 3 * VEC_BYTES); a3 = mac<T>(a3, w, v); b3 = mac<T>(b3, wb, v);
        x += tb; k += E; kb += E;
      } while (k < kRowEnd);
      p += sIn;
    }
  }
  storeVec<T, M>(o, a0, lanes<T>());
  storeVec<T, M>(o + VEC_BYTES, a1, lanes<T>());
  storeVec<T, M>(o + 2 * VEC_BYTES, a2, lanes<T>());
  storeVec<T, M>(o + 3 * VEC_BYTES, a3, lanes<T>());
  // Input row kh feeds only output row 1 (kernel row kh-1).
  k = kerEnd - kwBytes;
  x = pLast;
  do {
    const w = tap<T>(k);
    b0 = mac<T>(b0, w, v128.load(x));
    b1 = mac<T>(b1, w, v128.load(x, VEC_BYTES));
    b2 = mac<T>(b2, w, v128.load(x, 2 * VEC_BYTES));
    b3 = mac<T>(b3, w, v128.load(x, 3 * VEC_BYTES));
    x += tb; k += E;
  } while (k < kerEnd);
  o += sOut;
  storeVec<T, M>(o, b0, lanes<T>());
  storeVec<T, M>(o + VEC_BYTES, b1, lanes<T>());
  storeVec<T, M>(o + 2 * VEC_BYTES, b2, lanes<T>());
  storeVec<T, M>(o + 3 * VEC_BYTES, b3, lanes<T>());
}

/** 2 output rows x 1 vector (rem lanes stored); same row sharing as blockR2C4. */
@inline function blockR2C1<T, M>(
  p: usize, sIn: usize, kerPtr: usize, kwBytes: usize, kerEnd: usize, o: usize, sOut: usize, rem: i32, tb: usize,
): void {
  const E = sizeof<T>();
  let a = zero<T>(), b = zero<T>();
  let k = kerPtr;
  let x = p;
  let kRowEnd = k + kwBytes;
  do {
    a = mac<T>(a, tap<T>(k), v128.load(x));
    x += tb; k += E;
  } while (k < kRowEnd);
  p += sIn;
  while (k < kerEnd) {
    x = p;
    kRowEnd = k + kwBytes;
    let kb = k - kwBytes;
    do {
      const v = v128.load(x);
      a = mac<T>(a, tap<T>(k), v);
      b = mac<T>(b, tap<T>(kb), v);
      x += tb; k += E; kb += E;
    } while (k < kRowEnd);
    p += sIn;
  }
  k = kerEnd - kwBytes;
  x = p;
  do {
    b = mac<T>(b, tap<T>(k), v128.load(x));
    x += tb; k += E;
  } while (k < kerEnd);
  storeVec<T, M>(o, a, rem);
  storeVec<T, M>(o + sOut, b, rem);
}

/** 1 output row x 4 full vectors (last row of an odd oh). */
@inline function blockR1C4<T, M>(
  p: usize, sIn: usize, kerPtr: usize, kwBytes: usize, kerEnd: usize, o: usize, tb: usize,
): void {
  const E = sizeof<T>();
  let a0 = zero<T>(), a1 = zero<T>(), a2 = zero<T>(), a3 = zero<T>();
  let k = kerPtr;
  do {
    const kRowEnd = k + kwBytes;
    let x = p;
    do {
      const w = tap<T>(k);
      a0 = mac<T>(a0, w, v128.load(x));
      a1 = mac<T>(a1, w, v128.load(x, VEC_BYTES));
      a2 = mac<T>(a2, w, v128.load(x, 2 * VEC_BYTES));
      a3 = mac<T>(a3, w, v128.load(x, 3 * VEC_BYTES));
      x += tb; k += E;
    } while (k < kRowEnd);
    p += sIn;
  } while (k < kerEnd);
  storeVec<T, M>(o, a0, lanes<T>());
  storeVec<T, M>(o + VEC_BYTES, a1, lanes<T>());
  storeVec<T, M>(o + 2 * VEC_BYTES, a2, lanes<T>());
  storeVec<T, M>(o + 3 * VEC_BYTES, a3, lanes<T>());
}

/** 1 output row x 1 vector (rem lanes stored). */
@inline function blockR1C1<T, M>(
  p: usize, sIn: usize, kerPtr: usize, kwBytes: usize, kerEnd: usize, o: usize, rem: i32, tb: usize,
): void {
  const E = sizeof<T>();
  let a = zero<T>();
  let k = kerPtr;
  do {
    const kRowEnd = k + kwBytes;
    let x = p;
    do {
      a = mac<T>(a, tap<T>(k), v128.load(x));
      x += tb; k += E;
    } while (k < kRowEnd);
    p += sIn;
  } while (k < kerEnd);
  storeVec<T, M>(o, a, rem);
}

/**
 * Any kh x kw, taps tb bytes apart along a row: row pairs of 4-vector blocks (kh >= 2), single
 * vectors, the partial vector; single rows for a 1-row kernel or the last row of an odd oh.
 */
function correlateGeneral<T, M>(
  inPtr: usize, sIn: usize, kerPtr: usize, kh: i32, kw: i32,
  outPtr: usize, sOut: usize, oh: i32, ow: i32, tb: usize,
): void {
  const L = lanes<T>();
  const kwBytes = <usize>kw << elemShift<T>();
  const kerEnd = kerPtr + <usize>kh * kwBytes;
  const blockBytes = <usize>(ow & ~(BLOCK_VECS * L - 1)) << elemShift<T>();
  const vecBytes = <usize>(ow & ~(L - 1)) << elemShift<T>();
  const rem = ow & (L - 1);
  const blockStep = <usize>BLOCK_VECS * VEC_BYTES;
  const lastRowOff = <usize>kh * sIn;
  const columnMajor = kh - 1 > kw;
  let i = 0;
  for (; kh >= 2 && i + BLOCK_ROWS <= oh; i += BLOCK_ROWS) {
    const rowIn = inPtr + <usize>i * sIn;
    const rowOut = outPtr + <usize>i * sOut;
    let j: usize = 0;
    for (; j < blockBytes; j += blockStep) {
      blockR2C4<T, M>(rowIn + j, sIn, kerPtr, kwBytes, kerEnd, rowOut + j, sOut, lastRowOff, columnMajor, tb);
    }
    for (; j < vecBytes; j += VEC_BYTES) {
      blockR2C1<T, M>(rowIn + j, sIn, kerPtr, kwBytes, kerEnd, rowOut + j, sOut, L, tb);
    }
    if (rem) blockR2C1<T, M>(rowIn + j, sIn, kerPtr, kwBytes, kerEnd, rowOut + j, sOut, rem, tb);
  }
  for (; i < oh; i++) {
    const rowIn = inPtr + <usize>i * sIn;
    const rowOut = outPtr + <usize>i * sOut;
    let j: usize = 0;
    for (; j < blockBytes; j += blockStep) {
      blockR1C4<T, M>(rowIn + j, sIn, kerPtr, kwBytes, kerEnd, rowOut + j, tb);
    }
    for (; j < vecBytes; j += VEC_BYTES) {
      blockR1C1<T, M>(rowIn + j, sIn, kerPtr, kwBytes, kerEnd, rowOut + j, L, tb);
    }
    if (rem) blockR1C1<T, M>(rowIn + j, sIn, kerPtr, kwBytes, kerEnd, rowOut + j, rem, tb);
  }
}

// ------------------------------------------------------------------------------------------------
// Single-row kernels (kh = 1): taps in pairs, the odd tap's input vector made by a shuffle.
// 4 accumulators + 4 carried + 4 loaded inputs + tap + product = 14 registers.

/** Input vector for tap v+1 from those of taps v and v+2 (lanes 1..L of their concatenation). */
@inline function between<T>(x0: v128, x2: v128): v128 {
  if (sizeof<T>() == 4) return i32x4.shuffle(x0, x2, 1, 2, 5, 6);
  return i64x2.shuffle(x0, x2, 1, 2);
}

/** 1 output row x 4 full vectors for a 1 x kw kernel. Reads one element past the block's input. */
@inline function blockRowC4<T, M>(x: usize, kerPtr: usize, kw: i32, o: usize): void {
  const E = sizeof<T>();
  const kPairsEnd = kerPtr + (<usize>(kw & ~1) << elemShift<T>());
  let a0 = zero<T>(), a1 = zero<T>(), a2 = zero<T>(), a3 = zero<T>();
  let c0 = v128.load(x), c1 = v128.load(x, VEC_BYTES);
  let c2 = v128.load(x, 2 * VEC_BYTES), c3 = v128.load(x, 3 * VEC_BYTES);
  let k = kerPtr;
  while (k < kPairsEnd) {
    let n0: v128, n1: v128, n2: v128, n3: v128;
    if (sizeof<T>() == 8) {
      // With 2 lanes, tap v+2's vectors are the current ones shifted by one vector.
      n0 = c1; n1 = c2; n2 = c3; n3 = v128.load(x, 4 * VEC_BYTES);
    } else {
      n0 = v128.load(x, 2 * E); n1 = v128.load(x, VEC_BYTES + 2 * E);
      n2 = v128.load(x, 2 * VEC_BYTES + 2 * E); n3 = v128.load(x, 3 * VEC_BYTES + 2 * E);
    }
    let w = tap<T>(k);
    a0 = mac<T>(a0, w, c0); a1 = mac<T>(a1, w, c1); a2 = mac<T>(a2, w, c2); a3 = mac<T>(a3, w, c3);
    w = v128.load_splat<T>(k, E);
    a0 = mac<T>(a0, w, between<T>(c0, n0)); a1 = mac<T>(a1, w, between<T>(c1, n1));
    a2 = mac<T>(a2, w, between<T>(c2, n2)); a3 = mac<T>(a3, w, between<T>(c3, n3));
    c0 = n0; c1 = n1; c2 = n2; c3 = n3;
    x += 2 * E; k += 2 * E;
  }
  if (kw & 1) {
    const w = tap<T>(k);
    a0 = mac<T>(a0, w, c0); a1 = mac<T>(a1, w, c1); a2 = mac<T>(a2, w, c2); a3 = mac<T>(a3, w, c3);
  }
  storeVec<T, M>(o, a0, lanes<T>());
  storeVec<T, M>(o + VEC_BYTES, a1, lanes<T>());
  storeVec<T, M>(o + 2 * VEC_BYTES, a2, lanes<T>());
  storeVec<T, M>(o + 3 * VEC_BYTES, a3, lanes<T>());
}

/** 1 x kw kernels: row by row, 4-vector blocks, then single vectors, then the partial vector. */
function correlateRow<T, M>(
  inPtr: usize, sIn: usize, kerPtr: usize, kw: i32, outPtr: usize, sOut: usize, oh: i32, ow: i32,
): void {
  const L = lanes<T>();
  const kwBytes = <usize>kw << elemShift<T>();
  const kerEnd = kerPtr + kwBytes;
  const blockBytes = <usize>(ow & ~(BLOCK_VECS * L - 1)) << elemShift<T>();
  const vecBytes = <usize>(ow & ~(L - 1)) << elemShift<T>();
  const rem = ow & (L - 1);
  const blockStep = <usize>BLOCK_VECS * VEC_BYTES;
  for (let i = 0; i < oh; i++) {
    const rowIn = inPtr + <usize>i * sIn;
    const rowOut = outPtr + <usize>i * sOut;
    let j: usize = 0;
    for (; j < blockBytes; j += blockStep) blockRowC4<T, M>(rowIn + j, kerPtr, kw, rowOut + j);
    for (; j < vecBytes; j += VEC_BYTES) {
      blockR1C1<T, M>(rowIn + j, sIn, kerPtr, kwBytes, kerEnd, rowOut + j, L, sizeof<T>());
    }
    if (rem) blockR1C1<T, M>(rowIn + j, sIn, kerPtr, kwBytes, kerEnd, rowOut + j, rem, sizeof<T>());
  }
}

// ------------------------------------------------------------------------------------------------
// 3x3 path: taps in registers, 3 output rows x 1 vector per pass.

const ROWS_3X3: i32 = 3;

/** Compile-time tap spacing of the 3x3 path: adjacent elements, or one vector apart (the channels of interleaved RGBA f32). */
class Adjacent {}
class VectorApart {}

/** Input vector for tap j (0, 1, 2) of a kernel row at q, at immediate offsets. */
@inline function tapIn<T, S>(q: usize, j: i32, d: usize): v128 {
  if (j == 0) return v128.load(q);
  if (idof<S>() == idof<Adjacent>()) return j == 1 ? v128.load(q, sizeof<T>()) : v128.load(q, 2 * sizeof<T>());
  return j == 1 ? v128.load(q, VEC_BYTES) : v128.load(q, 2 * VEC_BYTES);
}

/** Sum of one kernel row's three taps against input row q. */
@inline function row3<T, S>(acc: v128, w0: v128, w1: v128, w2: v128, q: usize, d: usize): v128 {
  acc = mac<T>(acc, w0, tapIn<T, S>(q, 0, d));
  acc = mac<T>(acc, w1, tapIn<T, S>(q, 1, d));
  return mac<T>(acc, w2, tapIn<T, S>(q, 2, d));
}

/**
 * row3 starting from its first product, as every sum of the 3x3 passes does: an add of zero
 * costs an FP op, and the register holding zero costs the pass a reload and register moves
 * (TurboFan is already short of registers for the nine taps).
 */
@inline function firstRow3<T, S>(w0: v128, w1: v128, w2: v128, q: usize, d: usize): v128 {
  const acc = v128.mul<T>(w0, tapIn<T, S>(q, 0, d));
  return mac<T>(mac<T>(acc, w1, tapIn<T, S>(q, 1, d)), w2, tapIn<T, S>(q, 2, d));
}

@inline function pass3x3R3<T, M, S>(
  q: usize, sIn: usize, o: usize, sOut: usize, rem: i32, d: usize,
  t00: v128, t01: v128, t02: v128, t10: v128, t11: v128, t12: v128, t20: v128, t21: v128, t22: v128,
): void {
  // Input row 0: output row 0 only.
  let a0 = firstRow3<T, S>(t00, t01, t02, q, d);
  q += sIn;
  // Input row 1: output rows 0 and 1. Source order uses each input vector for every accumulator
  // before the next load (14 live registers); TurboFan still emits the chains one after another.
  let x = tapIn<T, S>(q, 0, d); a0 = mac<T>(a0, t10, x); let a1 = v128.mul<T>(t00, x);
  x = tapIn<T, S>(q, 1, d);     a0 = mac<T>(a0, t11, x); a1 = mac<T>(a1, t01, x);
  x = tapIn<T, S>(q, 2, d);     a0 = mac<T>(a0, t12, x); a1 = mac<T>(a1, t02, x);
  q += sIn;
  // Input row 2: output rows 0, 1 and 2.
  x = tapIn<T, S>(q, 0, d);     a0 = mac<T>(a0, t20, x); a1 = mac<T>(a1, t10, x); let a2 = v128.mul<T>(t00, x);
  x = tapIn<T, S>(q, 1, d);     a0 = mac<T>(a0, t21, x); a1 = mac<T>(a1, t11, x); a2 = mac<T>(a2, t01, x);
  x = tapIn<T, S>(q, 2, d);     a0 = mac<T>(a0, t22, x); a1 = mac<T>(a1, t12, x); a2 = mac<T>(a2, t02, x);
  // Storing row 0 here (not at the end) makes TurboFan finish a0 before the next loads.
  storeVec<T, M>(o, a0, rem);
  q += sIn;
  // Input row 3: output rows 1 and 2.
  x = tapIn<T, S>(q, 0, d);     a1 = mac<T>(a1, t20, x); a2 = mac<T>(a2, t10, x);
  x = tapIn<T, S>(q, 1, d);     a1 = mac<T>(a1, t21, x); a2 = mac<T>(a2, t11, x);
  x = tapIn<T, S>(q, 2, d);     a1 = mac<T>(a1, t22, x); a2 = mac<T>(a2, t12, x);
  storeVec<T, M>(o + sOut, a1, rem);
  q += sIn;
  // Input row 4: output row 2 only.
  a2 = row3<T, S>(a2, t20, t21, t22, q, d);
  storeVec<T, M>(o + 2 * sOut, a2, rem);
}

@inline function pass3x3R1<T, M, S>(
  q: usize, sIn: usize, o: usize, rem: i32, d: usize,
  t00: v128, t01: v128, t02: v128, t10: v128, t11: v128, t12: v128, t20: v128, t21: v128, t22: v128,
): void {
  let a = firstRow3<T, S>(t00, t01, t02, q, d);
  a = row3<T, S>(a, t10, t11, t12, q + sIn, d);
  a = row3<T, S>(a, t20, t21, t22, q + 2 * sIn, d);
  storeVec<T, M>(o, a, rem);
}

function correlate3x3<T, M, S>(
  inPtr: usize, sIn: usize, kerPtr: usize, outPtr: usize, sOut: usize, oh: i32, ow: i32, d: usize,
): void {
  const E = sizeof<T>();
  // Taps are loaded with load_splat: a v128.splat of a scalar gets re-materialised inside the
  // loop by V8, a splat load is hoisted once and stays in a register.
  const t00 = v128.load_splat<T>(kerPtr, 0), t01 = v128.load_splat<T>(kerPtr, E), t02 = v128.load_splat<T>(kerPtr, 2 * E);
  const t10 = v128.load_splat<T>(kerPtr, 3 * E), t11 = v128.load_splat<T>(kerPtr, 4 * E), t12 = v128.load_splat<T>(kerPtr, 5 * E);
  const t20 = v128.load_splat<T>(kerPtr, 6 * E), t21 = v128.load_splat<T>(kerPtr, 7 * E), t22 = v128.load_splat<T>(kerPtr, 8 * E);
  const L = lanes<T>();
  const vecBytes = <usize>(ow & ~(L - 1)) << elemShift<T>();
  const rem = ow & (L - 1);
  let i = 0;
  for (; i + ROWS_3X3 <= oh; i += ROWS_3X3) {
    let q = inPtr + <usize>i * sIn;
    let o = outPtr + <usize>i * sOut;
    const qEnd = q + vecBytes;
    while (q < qEnd) {
      pass3x3R3<T, M, S>(q, sIn, o, sOut, L, d, t00, t01, t02, t10, t11, t12, t20, t21, t22);
      q += VEC_BYTES; o += VEC_BYTES;
    }
    if (rem) pass3x3R3<T, M, S>(q, sIn, o, sOut, rem, d, t00, t01, t02, t10, t11, t12, t20, t21, t22);
  }
  for (; i < oh; i++) {
    let q = inPtr + <usize>i * sIn;
    let o = outPtr + <usize>i * sOut;
    const qEnd = q + vecBytes;
    while (q < qEnd) {
      pass3x3R1<T, M, S>(q, sIn, o, L, d, t00, t01, t02, t10, t11, t12, t20, t21, t22);
      q += VEC_BYTES; o += VEC_BYTES;
    }
    if (rem) pass3x3R1<T, M, S>(q, sIn, o, rem, d, t00, t01, t02, t10, t11, t12, t20, t21, t22);
  }
}

/**
 * The 3x3 path where its spacing compiles to immediate offsets: adjacent taps, or (f32) one
 * vector apart, the channels of an RGBA image. False where the general path should run instead
 * (other channel counts, which only images have, and images are float32).
 */
@inline function correlate3x3Spaced<T, M>(inPtr: usize, sIn: usize, kerPtr: usize, outPtr: usize, sOut: usize, oh: i32, ow: i32, d: usize): bool {
  if (d == sizeof<T>()) correlate3x3<T, M, Adjacent>(inPtr, sIn, kerPtr, outPtr, sOut, oh, ow, d);
  else if (sizeof<T>() == 4 && d == VEC_BYTES) correlate3x3<T, M, VectorApart>(inPtr, sIn, kerPtr, outPtr, sOut, oh, ow, d);
  else return false;
  return true;
}

// ------------------------------------------------------------------------------------------------
// Tap-list path: only the listed taps (filter2d's nonzero ones: OpenCV's filter2D never reads
// the sample under a zero tap, so a NaN or an infinity there stays out of the sum). Rows share
// nothing, so each block is one output row x 4 vectors and the tap loop reloads its broadcast and
// offset per tap: 6 loads per 4 multiply-adds. A tap costs about 1.6x what it does in the dense
// 3x3 path, so 5 of 9 taps take 0.9x its time and 8 of 9 1.4x; 8 vectors per block, 2 rows per
// block, or 5 taps held in registers measured no faster. The commonest sparse 3x3 patterns get
// the 3x3 path's passes instead (below); a mask tested at run time inside them was slower than
// the dense sum.

/** Stores a tap-list result vector (rem lanes), onto the output when accumulating. */
@inline function storeTapsVec<T>(o: usize, a: v128, rem: i32, accumulate: bool): void {
  if (accumulate) a = v128.add<T>(a, loadLanes<T>(o, rem));
  storeLanes<T>(o, sizeof<T>(), a, rem);
}

/** 1 output row x 4 full vectors over the tap list (weights at wPtr, byte offsets offPtr..offEnd). */
@inline function tapsC4<T>(q: usize, wPtr: usize, offPtr: usize, offEnd: usize, o: usize, accumulate: bool): void {
  let a0 = zero<T>(), a1 = zero<T>(), a2 = zero<T>(), a3 = zero<T>();
  let op = offPtr, wp = wPtr;
  do {
    const w = tap<T>(wp);
    const x = q + <usize>load<u32>(op);
    a0 = mac<T>(a0, w, v128.load(x));
    a1 = mac<T>(a1, w, v128.load(x, VEC_BYTES));
    a2 = mac<T>(a2, w, v128.load(x, 2 * VEC_BYTES));
    a3 = mac<T>(a3, w, v128.load(x, 3 * VEC_BYTES));
    op += 4; wp += sizeof<T>();
  } while (op < offEnd);
  storeTapsVec<T>(o, a0, lanes<T>(), accumulate);
  storeTapsVec<T>(o + VEC_BYTES, a1, lanes<T>(), accumulate);
  storeTapsVec<T>(o + 2 * VEC_BYTES, a2, lanes<T>(), accumulate);
  storeTapsVec<T>(o + 3 * VEC_BYTES, a3, lanes<T>(), accumulate);
}

/** 1 output row x 1 vector over the tap list (rem lanes stored). */
@inline function tapsC1<T>(q: usize, wPtr: usize, offPtr: usize, offEnd: usize, o: usize, rem: i32, accumulate: bool): void {
  let a = zero<T>();
  let op = offPtr, wp = wPtr;
  do {
    a = mac<T>(a, tap<T>(wp), v128.load(q + <usize>load<u32>(op)));
    op += 4; wp += sizeof<T>();
  } while (op < offEnd);
  storeTapsVec<T>(o, a, rem, accumulate);
}

/** Rows [0, oh) x the first ow outputs over the tap list, one row at a time. */
function tapRows<T>(inPtr: usize, sIn: usize, tapPtr: usize, n: i32, offPtr: usize, offEnd: usize, outPtr: usize, sOut: usize, oh: i32, ow: i32, accumulate: bool): void {
  const L = lanes<T>();
  const blockBytes = <usize>(ow & ~(BLOCK_VECS * L - 1)) << elemShift<T>();
  const vecBytes = <usize>(ow & ~(L - 1)) << elemShift<T>();
  const rem = ow & (L - 1);
  const blockStep = <usize>BLOCK_VECS * VEC_BYTES;
  for (let i = 0; i < oh; i++) {
    const q = inPtr + <usize>i * sIn;
    const o = outPtr + <usize>i * sOut;
    let j: usize = 0;
    for (; j < blockBytes; j += blockStep) tapsC4<T>(q + j, tapPtr, offPtr, offEnd, o + j, accumulate);
    for (; j < vecBytes; j += VEC_BYTES) tapsC1<T>(q + j, tapPtr, offPtr, offEnd, o + j, L, accumulate);
    if (rem) tapsC1<T>(q + j, tapPtr, offPtr, offEnd, o + j, rem, accumulate);
  }
}

// The commonest sparse 3x3 kernels, as compile-time masks of their nonzero taps (bit 3 * row +
// column): the 3x3 path's passes with the zero taps left out run at its rate per tap, 1.6x the
// list's (5 taps: 8.5-8.9 us a band against 13.8 us, RGBA float32). Each pass sums every output
// in the list's order (row-major over the nonzero taps, from zero), so the rows and columns the
// passes leave to the list come out as the whole list would give them.
/** Sharpen, the 4-neighbour Laplacian: the corners are zero. */
class CrossTaps {}
/** Sobel, Scharr, Prewitt in x: the middle column is zero. */
class NoMiddleColumn {}
/** ... and in y: the middle row is zero. */
class NoMiddleRow {}
const CROSS_BITS: i32 = 0b010111010;
const NO_MIDDLE_COLUMN_BITS: i32 = 0b101101101;
const NO_MIDDLE_ROW_BITS: i32 = 0b111000111;

@inline function has<K>(bits: i32): bool {
  if (idof<K>() == idof<CrossTaps>()) return (CROSS_BITS & bits) != 0;
  if (idof<K>() == idof<NoMiddleColumn>()) return (NO_MIDDLE_COLUMN_BITS & bits) != 0;
  return (NO_MIDDLE_ROW_BITS & bits) != 0;
}

/**
 * acc + w * x where K has the tap `bit`, else acc (and nothing loaded); w * x alone for the sum's
 * first tap. Every sum of a pass meets its taps in bit order, so the first is the one with no
 * lower bit of K set.
 */
@inline function maskedMac<T, K>(bit: i32, acc: v128, w: v128, x: v128): v128 {
  if (!has<K>(bit)) return acc;
  return has<K>(bit - 1) ? mac<T>(acc, w, x) : v128.mul<T>(w, x);
}

/** pass3x3R3 over K's taps only: 3 output rows x 1 full vector. */
@inline function maskedPassR3<T, S, K>(
  q: usize, sIn: usize, o: usize, sOut: usize, d: usize, accumulate: bool,
  t00: v128, t01: v128, t02: v128, t10: v128, t11: v128, t12: v128, t20: v128, t21: v128, t22: v128,
): void {
  // Whether column j of the kernel has a tap in any row (then its input vectors are loaded).
  const c0 = has<K>(0x49), c1 = has<K>(0x92), c2 = has<K>(0x124);
  let a0 = zero<T>(), a1 = zero<T>(), a2 = zero<T>();
  let x: v128;
  if (has<K>(1)) a0 = maskedMac<T, K>(1, a0, t00, tapIn<T, S>(q, 0, d));
  if (has<K>(2)) a0 = maskedMac<T, K>(2, a0, t01, tapIn<T, S>(q, 1, d));
  if (has<K>(4)) a0 = maskedMac<T, K>(4, a0, t02, tapIn<T, S>(q, 2, d));
  q += sIn;
  if (c0) { x = tapIn<T, S>(q, 0, d); a0 = maskedMac<T, K>(8, a0, t10, x); a1 = maskedMac<T, K>(1, a1, t00, x); }
  if (c1) { x = tapIn<T, S>(q, 1, d); a0 = maskedMac<T, K>(16, a0, t11, x); a1 = maskedMac<T, K>(2, a1, t01, x); }
  if (c2) { x = tapIn<T, S>(q, 2, d); a0 = maskedMac<T, K>(32, a0, t12, x); a1 = maskedMac<T, K>(4, a1, t02, x); }
  q += sIn;
  if (c0) { x = tapIn<T, S>(q, 0, d); a0 = maskedMac<T, K>(64, a0, t20, x); a1 = maskedMac<T, K>(8, a1, t10, x); a2 = maskedMac<T, K>(1, a2, t00, x); }
  if (c1) { x = tapIn<T, S>(q, 1, d); a0 = maskedMac<T, K>(128, a0, t21, x); a1 = maskedMac<T, K>(16, a1, t11, x); a2 = maskedMac<T, K>(2, a2, t01, x); }
  if (c2) { x = tapIn<T, S>(q, 2, d); a0 = maskedMac<T, K>(256, a0, t22, x); a1 = maskedMac<T, K>(32, a1, t12, x); a2 = maskedMac<T, K>(4, a2, t02, x); }
  storeTapsVec<T>(o, a0, lanes<T>(), accumulate);
  q += sIn;
  if (c0) { x = tapIn<T, S>(q, 0, d); a1 = maskedMac<T, K>(64, a1, t20, x); a2 = maskedMac<T, K>(8, a2, t10, x); }
  if (c1) { x = tapIn<T, S>(q, 1, d); a1 = maskedMac<T, K>(128, a1, t21, x); a2 = maskedMac<T, K>(16, a2, t11, x); }
  if (c2) { x = tapIn<T, S>(q, 2, d); a1 = maskedMac<T, K>(256, a1, t22, x); a2 = maskedMac<T, K>(32, a2, t12, x); }
  storeTapsVec<T>(o + sOut, a1, lanes<T>(), accumulate);
  q += sIn;
  if (has<K>(64)) a2 = maskedMac<T, K>(64, a2, t20, tapIn<T, S>(q, 0, d));
  if (has<K>(128)) a2 = maskedMac<T, K>(128, a2, t21, tapIn<T, S>(q, 1, d));
  if (has<K>(256)) a2 = maskedMac<T, K>(256, a2, t22, tapIn<T, S>(q, 2, d));
  storeTapsVec<T>(o + 2 * sOut, a2, lanes<T>(), accumulate);
}

/** Rows in threes x full vectors of K's 3x3 taps, the weights at w9 (nine, zeros where K has none). */
function maskedRows<S, K>(inPtr: usize, sIn: usize, w9: usize, outPtr: usize, sOut: usize, oh: i32, vecBytes: usize, d: usize, accumulate: bool): void {
  const t00 = v128.load_splat<f32>(w9, 0), t01 = v128.load_splat<f32>(w9, 4), t02 = v128.load_splat<f32>(w9, 8);
  const t10 = v128.load_splat<f32>(w9, 12), t11 = v128.load_splat<f32>(w9, 16), t12 = v128.load_splat<f32>(w9, 20);
  const t20 = v128.load_splat<f32>(w9, 24), t21 = v128.load_splat<f32>(w9, 28), t22 = v128.load_splat<f32>(w9, 32);
  for (let i = 0; i + ROWS_3X3 <= oh; i += ROWS_3X3) {
    let q = inPtr + <usize>i * sIn;
    let o = outPtr + <usize>i * sOut;
    const qEnd = q + vecBytes;
    while (q < qEnd) {
      maskedPassR3<f32, S, K>(q, sIn, o, sOut, d, accumulate, t00, t01, t02, t10, t11, t12, t20, t21, t22);
      q += VEC_BYTES; o += VEC_BYTES;
    }
  }
}

@inline function maskedSpaced<K>(inPtr: usize, sIn: usize, w9: usize, outPtr: usize, sOut: usize, oh: i32, vecBytes: usize, d: usize, accumulate: bool): void {
  if (d == 4) maskedRows<Adjacent, K>(inPtr, sIn, w9, outPtr, sOut, oh, vecBytes, d, accumulate);
  else maskedRows<VectorApart, K>(inPtr, sIn, w9, outPtr, sOut, oh, vecBytes, d, accumulate);
}

/**
 * The tap list at tapPtr (n weights, n (row, column) i32 pairs, then n u32 and 36 bytes this
 * call overwrites: the taps' byte offsets for these strides, the nine weights of a mask) over
 * oh x ow outputs. Accumulating is a runtime
 * test here, once per stored vector: one copy of the loops keeps the module small, and the test
 * costs nothing measurable next to a block's taps. A float32 list that is one of the masks above,
 * with taps adjacent or one vector apart, runs its masked passes where they fit.
 */
function correlateTaps<T>(inPtr: usize, sIn: usize, tapPtr: usize, n: i32, outPtr: usize, sOut: usize, oh: i32, ow: i32, d: usize, accumulate: bool): void {
  const posPtr = tapPtr + (<usize>n << elemShift<T>());
  const offPtr = posPtr + (<usize>n << 3);
  const offEnd = offPtr + (<usize>n << 2);
  let bits = 0;
  for (let t: usize = 0; t < <usize>n; t++) {
    const u = load<i32>(posPtr + (t << 3)), v = load<i32>(posPtr + (t << 3), 4);
    store<u32>(offPtr + (t << 2), <u32>(<usize>u * sIn + <usize>v * d));
    bits |= u < 3 && v < 3 ? 1 << (3 * u + v) : 1 << 9;
  }
  const masked = sizeof<T>() == 4 && (d == 4 || d == VEC_BYTES) && oh >= ROWS_3X3 && (bits == CROSS_BITS || bits == NO_MIDDLE_COLUMN_BITS || bits == NO_MIDDLE_ROW_BITS);
  if (!masked) {
    tapRows<T>(inPtr, sIn, tapPtr, n, offPtr, offEnd, outPtr, sOut, oh, ow, accumulate);
    return;
  }
  // The nine weights in order (zeros where the mask has no tap), in the list's last 36 bytes.
  const w9 = offEnd;
  memory.fill(w9, 0, 36);
  for (let t: usize = 0; t < <usize>n; t++) {
    store<f32>(w9 + (<usize>(3 * load<i32>(posPtr + (t << 3)) + load<i32>(posPtr + (t << 3), 4)) << 2), load<f32>(tapPtr + (t << 2)));
  }
  const L = lanes<T>();
  const rows = oh - oh % ROWS_3X3;
  const vecBytes = <usize>(ow & ~(L - 1)) << elemShift<T>();
  if (bits == CROSS_BITS) maskedSpaced<CrossTaps>(inPtr, sIn, w9, outPtr, sOut, rows, vecBytes, d, accumulate);
  else if (bits == NO_MIDDLE_COLUMN_BITS) maskedSpaced<NoMiddleColumn>(inPtr, sIn, w9, outPtr, sOut, rows, vecBytes, d, accumulate);
  else maskedSpaced<NoMiddleRow>(inPtr, sIn, w9, outPtr, sOut, rows, vecBytes, d, accumulate);
  // The partial vector of those rows, and the last rows.
  if (ow & (L - 1)) tapRows<T>(inPtr + vecBytes, sIn, tapPtr, n, offPtr, offEnd, outPtr + vecBytes, sOut, rows, ow & (L - 1), accumulate);
  if (rows < oh) tapRows<T>(inPtr + <usize>rows * sIn, sIn, tapPtr, n, offPtr, offEnd, outPtr + <usize>rows * sOut, sOut, oh - rows, ow, accumulate);
}

// ------------------------------------------------------------------------------------------------
// Entry points

@inline function dispatch<T>(
  inPtr: usize, inStride: i32, kerPtr: usize, kh: i32, kw: i32,
  outPtr: usize, outStride: i32, oh: i32, ow: i32, accumulate: i32, tapStep: i32,
): void {
  if (oh <= 0 || ow <= 0 || kh <= 0 || kw <= 0 || tapStep <= 0) return;
  // Strides arrive in elements; the kernels step in bytes.
  const sIn = <usize>inStride * sizeof<T>();
  const sOut = <usize>outStride * sizeof<T>();
  const d = <usize>tapStep * sizeof<T>();
  if (kh == 3 && kw == 3 && (accumulate ? correlate3x3Spaced<T, Accumulate>(inPtr, sIn, kerPtr, outPtr, sOut, oh, ow, d) : correlate3x3Spaced<T, Overwrite>(inPtr, sIn, kerPtr, outPtr, sOut, oh, ow, d))) {
    return;
  } else if (kh == 1 && tapStep == 1) {
    if (accumulate) correlateRow<T, Accumulate>(inPtr, sIn, kerPtr, kw, outPtr, sOut, oh, ow);
    else correlateRow<T, Overwrite>(inPtr, sIn, kerPtr, kw, outPtr, sOut, oh, ow);
  } else if (accumulate) {
    correlateGeneral<T, Accumulate>(inPtr, sIn, kerPtr, kh, kw, outPtr, sOut, oh, ow, d);
  } else {
    correlateGeneral<T, Overwrite>(inPtr, sIn, kerPtr, kh, kw, outPtr, sOut, oh, ow, d);
  }
}

export function correlateF32(
  inPtr: usize, inStride: i32, kerPtr: usize, kh: i32, kw: i32,
  outPtr: usize, outStride: i32, oh: i32, ow: i32, accumulate: i32, tapStep: i32,
): void {
  dispatch<f32>(inPtr, inStride, kerPtr, kh, kw, outPtr, outStride, oh, ow, accumulate, tapStep);
}

export function correlateF64(
  inPtr: usize, inStride: i32, kerPtr: usize, kh: i32, kw: i32,
  outPtr: usize, outStride: i32, oh: i32, ow: i32, accumulate: i32, tapStep: i32,
): void {
  dispatch<f64>(inPtr, inStride, kerPtr, kh, kw, outPtr, outStride, oh, ow, accumulate, tapStep);
}

@inline function dispatchTaps<T>(
  inPtr: usize, inStride: i32, tapPtr: usize, nTaps: i32,
  outPtr: usize, outStride: i32, oh: i32, ow: i32, accumulate: i32, tapStep: i32,
): void {
  // nTaps >= 1: a list keeps a kernel of zeros' first tap (engines/taps.ts nonzeroTaps).
  if (oh <= 0 || ow <= 0 || nTaps <= 0 || tapStep <= 0) return;
  const sIn = <usize>inStride * sizeof<T>();
  const sOut = <usize>outStride * sizeof<T>();
  const d = <usize>tapStep * sizeof<T>();
  correlateTaps<T>(inPtr, sIn, tapPtr, nTaps, outPtr, sOut, oh, ow, d, accumulate != 0);
}

export function correlateTapsF32(
  inPtr: usize, inStride: i32, tapPtr: usize, nTaps: i32,
  outPtr: usize, outStride: i32, oh: i32, ow: i32, accumulate: i32, tapStep: i32,
): void {
  dispatchTaps<f32>(inPtr, inStride, tapPtr, nTaps, outPtr, outStride, oh, ow, accumulate, tapStep);
}

export function correlateTapsF64(
  inPtr: usize, inStride: i32, tapPtr: usize, nTaps: i32,
  outPtr: usize, outStride: i32, oh: i32, ow: i32, accumulate: i32, tapStep: i32,
): void {
  dispatchTaps<f64>(inPtr, inStride, tapPtr, nTaps, outPtr, outStride, oh, ow, accumulate, tapStep);
}
