// Winograd F(2x2, 3x3) transforms for 3x3 unit-stride layers (src/engines/winograd.ts), for
// T = f32 (f32x4) and T = f64 (f64x2). A 4x4 input tile d gives the 2x2 outputs
// Y = A^T [U . V] A with V = B^T d B and U = G g G^T (the weights, transformed by the engine):
// 16 products per 4 outputs where the direct sum takes 36, and the sum over input channels of
// U . V is a matrix product per transform index xi, which the engine runs on assembly/conv.ts.
//   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]     A^T = [1 1 1 0; 0 1 -1 -1]
// Both transforms only add and subtract, vectorised across channels.
// Layouts (byte pointers): the input is channels last (pixel step C elements, rows rowStep
// bytes apart); transform-domain arrays are [xi][tile][channel] for a run of `count` tiles
// (row-major over rows of tW tiles) starting at tile `first`, xiStep bytes from one xi to the next.
// Exported as winogradInputF32/F64 and winogradOutputF32/F64 (ABI: src/runtime/abi.ts).

import { lanes, storeLanes } from "./simd";

/** Row a + b (add) or a - b of d, times B, to four transform indices xiStep bytes apart from q. */
@inline function rowOfV<T>(a: usize, b: usize, pix: usize, add: bool, q: usize, xiStep: usize): void {
  let t0: v128, t1: v128, t2: v128, t3: v128;
  if (add) {
    t0 = v128.add<T>(v128.load(a), v128.load(b));
    t1 = v128.add<T>(v128.load(a + pix), v128.load(b + pix));
    t2 = v128.add<T>(v128.load(a + 2 * pix), v128.load(b + 2 * pix));
    t3 = v128.add<T>(v128.load(a + 3 * pix), v128.load(b + 3 * pix));
  } else {
    t0 = v128.sub<T>(v128.load(a), v128.load(b));
    t1 = v128.sub<T>(v128.load(a + pix), v128.load(b + pix));
    t2 = v128.sub<T>(v128.load(a + 2 * pix), v128.load(b + 2 * pix));
    t3 = v128.sub<T>(v128.load(a + 3 * pix), v128.load(b + 3 * pix));
  }
  v128.store(q, v128.sub<T>(t0, t2));
  v128.store(q + xiStep, v128.add<T>(t1, t2));
  v128.store(q + 2 * xiStep, v128.sub<T>(t2, t1));
  v128.store(q + 3 * xiStep, v128.sub<T>(t1, t3));
}

/**
 * V = B^T d B for tiles first .. first + count - 1 (row-major, tW per row) and every channel: d
 * is the 4x4 window at (2 ty, 2 tx); tile first + k goes to position k of dst, index xi at
 * dst + xi * xiStep.
 */
function inputTiles<T>(src: usize, C: i32, rowStep: usize, tW: i32, first: i32, count: i32, dst: usize, xiStep: usize): void {
  const E = <usize>sizeof<T>();
  const L = lanes<T>();
  const pix = <usize>C * E;
  for (let k = 0; k < count; k++) {
    {
      const ty = (first + k) / tW, tx = (first + k) % tW;
      const base = src + <usize>(2 * ty) * rowStep + <usize>(2 * tx) * pix;
      const out = dst + <usize>k * pix;
      let c = 0;
      for (; c + L <= C; c += L) {
        const p = base + <usize>c * E;
        const o = out + <usize>c * E;
        // Each row of t = B^T d comes from two rows of d; then that row times B.
        rowOfV<T>(p, p + 2 * rowStep, pix, false, o, xiStep);
        rowOfV<T>(p + rowStep, p + 2 * rowStep, pix, true, o + 4 * xiStep, xiStep);
        rowOfV<T>(p + 2 * rowStep, p + rowStep, pix, false, o + 8 * xiStep, xiStep);
        rowOfV<T>(p + rowStep, p + 3 * rowStep, pix, false, o + 12 * xiStep, xiStep);
      }
      for (; c < C; c++) {
        const p = base + <usize>c * E;
        const o = out + <usize>c * E;
        for (let r = 0; r < 4; r++) {
          const a = p + <usize>(r == 0 ? 0 : r == 2 ? 2 : 1) * rowStep;
          const b = p + <usize>(r == 0 ? 2 : r == 1 ? 2 : r == 2 ? 1 : 3) * rowStep;
          const s: T = r == 1 ? 1 : -1;
          const t0 = load<T>(a) + s * load<T>(b);
          const t1 = load<T>(a + pix) + s * load<T>(b + pix);
          const t2 = load<T>(a + 2 * pix) + s * load<T>(b + 2 * pix);
          const t3 = load<T>(a + 3 * pix) + s * load<T>(b + 3 * pix);
          const q = o + <usize>(4 * r) * xiStep;
          store<T>(q, t0 - t2);
          store<T>(q + xiStep, t1 + t2);
          store<T>(q + 2 * xiStep, t2 - t1);
          store<T>(q + 3 * xiStep, t1 - t3);
        }
      }
    }
  }
}

/**
 * Y = A^T m A + bias for tiles first .. first + count - 1 (position k of m holds tile first + k)
 * and every output channel, stored at
 * out + oc * chanStep + y * rowStep + x * colStep for y < outH and x < outW. Returns 1 if any
 * stored value is NaN or infinite (the transforms spread such a value beyond its windows), else 0.
 */
function outputTiles<T>(
  m: usize, OC: i32, tW: i32, first: i32, count: i32, xiStep: usize, bias: usize, out: usize,
  chanStep: usize, rowStep: usize, colStep: usize, outH: i32, outW: i32,
): i32 {
  const E = <usize>sizeof<T>();
  const L = lanes<T>();
  const pix = <usize>OC * E;
  let bad = v128.splat<i32>(0);
  let badScalar = false;
  for (let k = 0; k < count; k++) {
    const ty = (first + k) / tW, tx = (first + k) % tW;
    const rows = min(2, outH - 2 * ty);
    {
      const cols = min(2, outW - 2 * tx);
      const p = m + <usize>k * pix;
      const o = out + <usize>(2 * ty) * rowStep + <usize>(2 * tx) * colStep;
      let c = 0;
      for (; c + L <= OC; c += L) {
        const q = p + <usize>c * E;
        // s_i = row i of A^T m (xi = 4 * row + column), then y_ik = s_i A.
        let s00 = v128.load(q), s01 = v128.load(q + xiStep), s02 = v128.load(q + 2 * xiStep), s03 = v128.load(q + 3 * xiStep);
        const m10 = v128.load(q + 4 * xiStep), m11 = v128.load(q + 5 * xiStep), m12 = v128.load(q + 6 * xiStep), m13 = v128.load(q + 7 * xiStep);
        const m20 = v128.load(q + 8 * xiStep), m21 = v128.load(q + 9 * xiStep), m22 = v128.load(q + 10 * xiStep), m23 = v128.load(q + 11 * xiStep);
        let s10 = v128.sub<T>(m10, m20), s11 = v128.sub<T>(m11, m21), s12 = v128.sub<T>(m12, m22), s13 = v128.sub<T>(m13, m23);
        s00 = v128.add<T>(s00, v128.add<T>(m10, m20));
        s01 = v128.add<T>(s01, v128.add<T>(m11, m21));
        s02 = v128.add<T>(s02, v128.add<T>(m12, m22));
        s03 = v128.add<T>(s03, v128.add<T>(m13, m23));
        s10 = v128.sub<T>(s10, v128.load(q + 12 * xiStep));
        s11 = v128.sub<T>(s11, v128.load(q + 13 * xiStep));
        s12 = v128.sub<T>(s12, v128.load(q + 14 * xiStep));
        s13 = v128.sub<T>(s13, v128.load(q + 15 * xiStep));
        const b = v128.load(bias + <usize>c * E);
        const y00 = v128.add<T>(b, v128.add<T>(v128.add<T>(s00, s01), s02));
        const y01 = v128.add<T>(b, v128.sub<T>(v128.sub<T>(s01, s02), s03));
        const y10 = v128.add<T>(b, v128.add<T>(v128.add<T>(s10, s11), s12));
        const y11 = v128.add<T>(b, v128.sub<T>(v128.sub<T>(s11, s12), s13));
        bad = v128.or(bad, nonFinite<T>(y00));
        const oc = o + <usize>c * chanStep;
        storeLanes<T>(oc, chanStep, y00, L);
        if (cols > 1) {
          bad = v128.or(bad, nonFinite<T>(y01));
          storeLanes<T>(oc + colStep, chanStep, y01, L);
        }
        if (rows > 1) {
          bad = v128.or(bad, nonFinite<T>(y10));
          storeLanes<T>(oc + rowStep, chanStep, y10, L);
          if (cols > 1) {
            bad = v128.or(bad, nonFinite<T>(y11));
            storeLanes<T>(oc + rowStep + colStep, chanStep, y11, L);
          }
        }
      }
      for (; c < OC; c++) {
        const q = p + <usize>c * E;
        const b = load<T>(bias + <usize>c * E);
        const oc = o + <usize>c * chanStep;
        const y00 = b + (row0<T>(q, xiStep, 0) + row0<T>(q, xiStep, 1) + row0<T>(q, xiStep, 2));
        store<T>(oc, y00);
        badScalar = badScalar || !isFinite<T>(y00);
        if (cols > 1) {
          const y01 = b + (row0<T>(q, xiStep, 1) - row0<T>(q, xiStep, 2) - row0<T>(q, xiStep, 3));
          store<T>(oc + colStep, y01);
          badScalar = badScalar || !isFinite<T>(y01);
        }
        if (rows > 1) {
          const y10 = b + (row1<T>(q, xiStep, 0) + row1<T>(q, xiStep, 1) + row1<T>(q, xiStep, 2));
          store<T>(oc + rowStep, y10);
          badScalar = badScalar || !isFinite<T>(y10);
          if (cols > 1) {
            const y11 = b + (row1<T>(q, xiStep, 1) - row1<T>(q, xiStep, 2) - row1<T>(q, xiStep, 3));
            store<T>(oc + rowStep + colStep, y11);
            badScalar = badScalar || !isFinite<T>(y11);
          }
        }
      }
    }
  }
  return badScalar || v128.any_true(bad) ? 1 : 0;
}

/** All-ones lanes where x is NaN or infinite: x - x is 0 for a finite x and NaN otherwise. */
@inline function nonFinite<T>(x: v128): v128 {
  const d = v128.sub<T>(x, x);
  return v128.ne<T>(d, d);
}

/** Element xi of the transform-domain tile at q (one channel). */
@inline function at<T>(q: usize, xiStep: usize, xi: i32): T {
  return load<T>(q + <usize>xi * xiStep);
}

/** Column k of row 0 of A^T m, one channel. */
@inline function row0<T>(q: usize, xiStep: usize, k: i32): T {
  return at<T>(q, xiStep, k) + at<T>(q, xiStep, 4 + k) + at<T>(q, xiStep, 8 + k);
}

/** Column k of row 1 of A^T m, one channel. */
@inline function row1<T>(q: usize, xiStep: usize, k: i32): T {
  return at<T>(q, xiStep, 4 + k) - at<T>(q, xiStep, 8 + k) - at<T>(q, xiStep, 12 + k);
}

export function winogradInputF32(src: usize, C: i32, rowStep: usize, tW: i32, first: i32, count: i32, dst: usize, xiStep: usize): void {
  inputTiles<f32>(src, C, rowStep, tW, first, count, dst, xiStep);
}

export function winogradInputF64(src: usize, C: i32, rowStep: usize, tW: i32, first: i32, count: i32, dst: usize, xiStep: usize): void {
  inputTiles<f64>(src, C, rowStep, tW, first, count, dst, xiStep);
}

export function winogradOutputF32(
  m: usize, OC: i32, tW: i32, first: i32, count: i32, xiStep: usize, bias: usize, out: usize,
  chanStep: usize, rowStep: usize, colStep: usize, outH: i32, outW: i32,
): i32 {
  return outputTiles<f32>(m, OC, tW, first, count, xiStep, bias, out, chanStep, rowStep, colStep, outH, outW);
}

export function winogradOutputF64(
  m: usize, OC: i32, tW: i32, first: i32, count: i32, xiStep: usize, bias: usize, out: usize,
  chanStep: usize, rowStep: usize, colStep: usize, outH: i32, outW: i32,
): i32 {
  return outputTiles<f64>(m, OC, tW, first, count, xiStep, bias, out, chanStep, rowStep, colStep, outH, outW);
}
