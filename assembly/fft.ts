// FFT convolution kernels, for T = f32 (f32x4) and T = f64 (f64x2): mixed-radix (2, 3, 4, 5)
// complex FFTs along the middle axis of [A][n][C] planes, vectorised across C, plus the pieces
// of overlap-save convolution around them (src/engines/fft.ts plans and drives them).
//
// Why this shape:
//  * Data are split planes (re, im) of tiles interleaved in the contiguous axis: element
//    (a, j, c) of a plane is at ((a * n) + j) * C + c. An FFT along the middle axis then treats
//    every c alike, so a vector holds `lanes` independent transforms and no butterfly needs a
//    shuffle; C is always a multiple of 4 (the engine interleaves at least 4 tiles).
//  * The forward transform is decimation in frequency, in place, and leaves the spectrum in
//    digit-reversed order; the inverse is decimation in time from that order back to natural
//    order. A convolution only multiplies spectra point by point, so the order never matters and
//    no permutation pass is spent.
//  * Stage s (block length L, radix r, m = L / r) combines the r elements j + q*m of each block
//    and multiplies output p by the twiddle w_L^(p*j); the engine passes one table of
//    (cos, -sin) pairs per stage, [j][p - 1], computed once per size and cached.
//  * Two real tiles ride in one complex tile (re and im): the kernel is real, so the product of
//    the spectra keeps them apart, and the inverse returns tile A in re and tile B in im.
//  * The inverse is not scaled: the engine folds 1/N into the kernel before its transform.
//  * Each stage runs its j = 0 butterflies apart (twiddles all 1, no multiplies): that is every
//    butterfly of a last stage, where m = 1. The two loops are chosen at compile time by marker
//    types (Plain, Twiddled), as correlate.ts does for accumulation.

import { VEC_BYTES, lanes, loadLanes, storeLanes, storeTransposed4x4 } from "./simd";

/** Compile-time markers: butterflies with twiddles, or the j = 0 ones whose twiddles are all 1. */
class Twiddled {}
class Plain {}
@inline function plain<W>(): bool {
  return idof<W>() == idof<Plain>();
}

// Radix-3 and radix-5 constants: cos and sin of 2*pi/3, 2*pi/5 and 4*pi/5.
const S3: f64 = 0.8660254037844386467637231707529361834714;
const C51: f64 = 0.3090169943749474241022934171828190588602;
const C52: f64 = -0.8090169943749474241022934171828190588602;
const S51: f64 = 0.9510565162951535721164393333793821434057;
const S52: f64 = 0.5877852522924731291687059546390727685977;

/** x * w, or x itself for the twiddle-free butterflies. */
@inline function twRe<T, W>(xr: v128, xi: v128, wr: v128, wi: v128): v128 {
  return plain<W>() ? xr : cmulRe<T>(xr, xi, wr, wi);
}
@inline function twIm<T, W>(xr: v128, xi: v128, wr: v128, wi: v128): v128 {
  return plain<W>() ? xi : cmulIm<T>(xr, xi, wr, wi);
}
/** x * conj(w), or x itself. */
@inline function untwRe<T, W>(xr: v128, xi: v128, wr: v128, wi: v128): v128 {
  return plain<W>() ? xr : untwiddledRe<T>(xr, xi, wr, wi);
}
@inline function untwIm<T, W>(xr: v128, xi: v128, wr: v128, wi: v128): v128 {
  return plain<W>() ? xi : untwiddledIm<T>(xr, xi, wr, wi);
}

/** (re, im) <- (re, im) * (wr, wi), on vectors. */
@inline function cmulRe<T>(xr: v128, xi: v128, wr: v128, wi: v128): v128 {
  return v128.sub<T>(v128.mul<T>(xr, wr), v128.mul<T>(xi, wi));
}
@inline function cmulIm<T>(xr: v128, xi: v128, wr: v128, wi: v128): v128 {
  return v128.add<T>(v128.mul<T>(xr, wi), v128.mul<T>(xi, wr));
}

// ------------------------------------------------------------------------------------------------
// Forward stages (decimation in frequency). `tw` holds (cos, -sin) of w_L^(p*j) for p = 1..r-1.

function stage2F<T, W>(re: usize, im: usize, blocks: i32, m: i32, C: i32, tw: usize, j0: i32, j1: i32): void {
  const E = <usize>sizeof<T>();
  const L = 2 * m;
  const cb = <usize>C * E;
  for (let j = j0; j < j1; j++) {
    const w1r = v128.load_splat<T>(tw + <usize>(2 * j) * E), w1i = v128.load_splat<T>(tw + <usize>(2 * j + 1) * E);
    for (let b = 0; b < blocks; b++) {
      const o0 = <usize>(b * L + j) * cb;
      const o1 = o0 + <usize>m * cb;
      for (let c: usize = 0; c < cb; c += VEC_BYTES) {
        const x0r = v128.load(re + o0 + c), x0i = v128.load(im + o0 + c);
        const x1r = v128.load(re + o1 + c), x1i = v128.load(im + o1 + c);
        v128.store(re + o0 + c, v128.add<T>(x0r, x1r));
        v128.store(im + o0 + c, v128.add<T>(x0i, x1i));
        const dr = v128.sub<T>(x0r, x1r), di = v128.sub<T>(x0i, x1i);
        v128.store(re + o1 + c, twRe<T, W>(dr, di, w1r, w1i));
        v128.store(im + o1 + c, twIm<T, W>(dr, di, w1r, w1i));
      }
    }
  }
}

function stage4F<T, W>(re: usize, im: usize, blocks: i32, m: i32, C: i32, tw: usize, j0: i32, j1: i32): void {
  const E = <usize>sizeof<T>();
  const L = 4 * m;
  const cb = <usize>C * E;
  const mb = <usize>m * cb;
  for (let j = j0; j < j1; j++) {
    const t = tw + <usize>(6 * j) * E;
    const w1r = v128.load_splat<T>(t), w1i = v128.load_splat<T>(t + E);
    const w2r = v128.load_splat<T>(t + 2 * E), w2i = v128.load_splat<T>(t + 3 * E);
    const w3r = v128.load_splat<T>(t + 4 * E), w3i = v128.load_splat<T>(t + 5 * E);
    for (let b = 0; b < blocks; b++) {
      const o0 = <usize>(b * L + j) * cb;
      for (let c: usize = 0; c < cb; c += VEC_BYTES) {
        const p0 = o0 + c, p1 = p0 + mb, p2 = p1 + mb, p3 = p2 + mb;
        const x0r = v128.load(re + p0), x0i = v128.load(im + p0);
        const x1r = v128.load(re + p1), x1i = v128.load(im + p1);
        const x2r = v128.load(re + p2), x2i = v128.load(im + p2);
        const x3r = v128.load(re + p3), x3i = v128.load(im + p3);
        const t0r = v128.add<T>(x0r, x2r), t0i = v128.add<T>(x0i, x2i);
        const t1r = v128.sub<T>(x0r, x2r), t1i = v128.sub<T>(x0i, x2i);
        const t2r = v128.add<T>(x1r, x3r), t2i = v128.add<T>(x1i, x3i);
        // (x1 - x3) * -i
        const t3r = v128.sub<T>(x1i, x3i), t3i = v128.sub<T>(x3r, x1r);
        v128.store(re + p0, v128.add<T>(t0r, t2r));
        v128.store(im + p0, v128.add<T>(t0i, t2i));
        const y1r = v128.add<T>(t1r, t3r), y1i = v128.add<T>(t1i, t3i);
        const y2r = v128.sub<T>(t0r, t2r), y2i = v128.sub<T>(t0i, t2i);
        const y3r = v128.sub<T>(t1r, t3r), y3i = v128.sub<T>(t1i, t3i);
        v128.store(re + p1, twRe<T, W>(y1r, y1i, w1r, w1i));
        v128.store(im + p1, twIm<T, W>(y1r, y1i, w1r, w1i));
        v128.store(re + p2, twRe<T, W>(y2r, y2i, w2r, w2i));
        v128.store(im + p2, twIm<T, W>(y2r, y2i, w2r, w2i));
        v128.store(re + p3, twRe<T, W>(y3r, y3i, w3r, w3i));
        v128.store(im + p3, twIm<T, W>(y3r, y3i, w3r, w3i));
      }
    }
  }
}

function stage3F<T, W>(re: usize, im: usize, blocks: i32, m: i32, C: i32, tw: usize, j0: i32, j1: i32): void {
  const E = <usize>sizeof<T>();
  const L = 3 * m;
  const cb = <usize>C * E;
  const mb = <usize>m * cb;
  const half = v128.splat<T>(<T>0.5), s = v128.splat<T>(<T>S3);
  for (let j = j0; j < j1; j++) {
    const t = tw + <usize>(4 * j) * E;
    const w1r = v128.load_splat<T>(t), w1i = v128.load_splat<T>(t + E);
    const w2r = v128.load_splat<T>(t + 2 * E), w2i = v128.load_splat<T>(t + 3 * E);
    for (let b = 0; b < blocks; b++) {
      const o0 = <usize>(b * L + j) * cb;
      for (let c: usize = 0; c < cb; c += VEC_BYTES) {
        const p0 = o0 + c, p1 = p0 + mb, p2 = p1 + mb;
        const x0r = v128.load(re + p0), x0i = v128.load(im + p0);
        const x1r = v128.load(re + p1), x1i = v128.load(im + p1);
        const x2r = v128.load(re + p2), x2i = v128.load(im + p2);
        const tr = v128.add<T>(x1r, x2r), ti = v128.add<T>(x1i, x2i);
        const ur = v128.mul<T>(s, v128.sub<T>(x1r, x2r)), ui = v128.mul<T>(s, v128.sub<T>(x1i, x2i));
        const mr = v128.sub<T>(x0r, v128.mul<T>(half, tr)), mi = v128.sub<T>(x0i, v128.mul<T>(half, ti));
        v128.store(re + p0, v128.add<T>(x0r, tr));
        v128.store(im + p0, v128.add<T>(x0i, ti));
        // y1 = m - i*s*u, y2 = m + i*s*u
        const y1r = v128.add<T>(mr, ui), y1i = v128.sub<T>(mi, ur);
        const y2r = v128.sub<T>(mr, ui), y2i = v128.add<T>(mi, ur);
        v128.store(re + p1, twRe<T, W>(y1r, y1i, w1r, w1i));
        v128.store(im + p1, twIm<T, W>(y1r, y1i, w1r, w1i));
        v128.store(re + p2, twRe<T, W>(y2r, y2i, w2r, w2i));
        v128.store(im + p2, twIm<T, W>(y2r, y2i, w2r, w2i));
      }
    }
  }
}

function stage5F<T, W>(re: usize, im: usize, blocks: i32, m: i32, C: i32, tw: usize, j0: i32, j1: i32): void {
  const E = <usize>sizeof<T>();
  const L = 5 * m;
  const cb = <usize>C * E;
  const mb = <usize>m * cb;
  const c1 = v128.splat<T>(<T>C51), c2 = v128.splat<T>(<T>C52), s1 = v128.splat<T>(<T>S51), s2 = v128.splat<T>(<T>S52);
  for (let j = j0; j < j1; j++) {
    const t = tw + <usize>(8 * j) * E;
    for (let b = 0; b < blocks; b++) {
      const o0 = <usize>(b * L + j) * cb;
      for (let c: usize = 0; c < cb; c += VEC_BYTES) {
        const p0 = o0 + c, p1 = p0 + mb, p2 = p1 + mb, p3 = p2 + mb, p4 = p3 + mb;
        const x0r = v128.load(re + p0), x0i = v128.load(im + p0);
        const x1r = v128.load(re + p1), x1i = v128.load(im + p1);
        const x2r = v128.load(re + p2), x2i = v128.load(im + p2);
        const x3r = v128.load(re + p3), x3i = v128.load(im + p3);
        const x4r = v128.load(re + p4), x4i = v128.load(im + p4);
        const t1r = v128.add<T>(x1r, x4r), t1i = v128.add<T>(x1i, x4i);
        const t2r = v128.add<T>(x2r, x3r), t2i = v128.add<T>(x2i, x3i);
        const u1r = v128.sub<T>(x1r, x4r), u1i = v128.sub<T>(x1i, x4i);
        const u2r = v128.sub<T>(x2r, x3r), u2i = v128.sub<T>(x2i, x3i);
        v128.store(re + p0, v128.add<T>(x0r, v128.add<T>(t1r, t2r)));
        v128.store(im + p0, v128.add<T>(x0i, v128.add<T>(t1i, t2i)));
        const a1r = v128.add<T>(x0r, v128.add<T>(v128.mul<T>(c1, t1r), v128.mul<T>(c2, t2r)));
        const a1i = v128.add<T>(x0i, v128.add<T>(v128.mul<T>(c1, t1i), v128.mul<T>(c2, t2i)));
        const a2r = v128.add<T>(x0r, v128.add<T>(v128.mul<T>(c2, t1r), v128.mul<T>(c1, t2r)));
        const a2i = v128.add<T>(x0i, v128.add<T>(v128.mul<T>(c2, t1i), v128.mul<T>(c1, t2i)));
        const b1r = v128.add<T>(v128.mul<T>(s1, u1r), v128.mul<T>(s2, u2r));
        const b1i = v128.add<T>(v128.mul<T>(s1, u1i), v128.mul<T>(s2, u2i));
        const b2r = v128.sub<T>(v128.mul<T>(s2, u1r), v128.mul<T>(s1, u2r));
        const b2i = v128.sub<T>(v128.mul<T>(s2, u1i), v128.mul<T>(s1, u2i));
        // y1 = a1 - i b1, y4 = a1 + i b1, y2 = a2 - i b2, y3 = a2 + i b2
        twiddled<T, W>(re + p1, im + p1, v128.add<T>(a1r, b1i), v128.sub<T>(a1i, b1r), t, 0);
        twiddled<T, W>(re + p2, im + p2, v128.add<T>(a2r, b2i), v128.sub<T>(a2i, b2r), t, 1);
        twiddled<T, W>(re + p3, im + p3, v128.sub<T>(a2r, b2i), v128.add<T>(a2i, b2r), t, 2);
        twiddled<T, W>(re + p4, im + p4, v128.sub<T>(a1r, b1i), v128.add<T>(a1i, b1r), t, 3);
      }
    }
  }
}

/** Stores y * tw[k] (forward twiddle k of this j) at (pr, pi). */
@inline function twiddled<T, W>(pr: usize, pi: usize, yr: v128, yi: v128, t: usize, k: i32): void {
  const E = <usize>sizeof<T>();
  const wr = v128.load_splat<T>(t + <usize>(2 * k) * E), wi = v128.load_splat<T>(t + <usize>(2 * k + 1) * E);
  v128.store(pr, twRe<T, W>(yr, yi, wr, wi));
  v128.store(pi, twIm<T, W>(yr, yi, wr, wi));
}

// ------------------------------------------------------------------------------------------------
// Inverse stages (decimation in time): conj(twiddle) first, then the inverse r-point DFT.

/** Loads x * conj(tw[k]) of this j from (pr, pi). */
@inline function untwiddledRe<T>(xr: v128, xi: v128, wr: v128, wi: v128): v128 {
  return v128.add<T>(v128.mul<T>(xr, wr), v128.mul<T>(xi, wi));
}
@inline function untwiddledIm<T>(xr: v128, xi: v128, wr: v128, wi: v128): v128 {
  return v128.sub<T>(v128.mul<T>(xi, wr), v128.mul<T>(xr, wi));
}

function stage2I<T, W>(re: usize, im: usize, blocks: i32, m: i32, C: i32, tw: usize, j0: i32, j1: i32): void {
  const E = <usize>sizeof<T>();
  const L = 2 * m;
  const cb = <usize>C * E;
  for (let j = j0; j < j1; j++) {
    const w1r = v128.load_splat<T>(tw + <usize>(2 * j) * E), w1i = v128.load_splat<T>(tw + <usize>(2 * j + 1) * E);
    for (let b = 0; b < blocks; b++) {
      const o0 = <usize>(b * L + j) * cb;
      const o1 = o0 + <usize>m * cb;
      for (let c: usize = 0; c < cb; c += VEC_BYTES) {
        const x0r = v128.load(re + o0 + c), x0i = v128.load(im + o0 + c);
        const yr = v128.load(re + o1 + c), yi = v128.load(im + o1 + c);
        const x1r = untwRe<T, W>(yr, yi, w1r, w1i), x1i = untwIm<T, W>(yr, yi, w1r, w1i);
        v128.store(re + o0 + c, v128.add<T>(x0r, x1r));
        v128.store(im + o0 + c, v128.add<T>(x0i, x1i));
        v128.store(re + o1 + c, v128.sub<T>(x0r, x1r));
        v128.store(im + o1 + c, v128.sub<T>(x0i, x1i));
      }
    }
  }
}

function stage4I<T, W>(re: usize, im: usize, blocks: i32, m: i32, C: i32, tw: usize, j0: i32, j1: i32): void {
  const E = <usize>sizeof<T>();
  const L = 4 * m;
  const cb = <usize>C * E;
  const mb = <usize>m * cb;
  for (let j = j0; j < j1; j++) {
    const t = tw + <usize>(6 * j) * E;
    const w1r = v128.load_splat<T>(t), w1i = v128.load_splat<T>(t + E);
    const w2r = v128.load_splat<T>(t + 2 * E), w2i = v128.load_splat<T>(t + 3 * E);
    const w3r = v128.load_splat<T>(t + 4 * E), w3i = v128.load_splat<T>(t + 5 * E);
    for (let b = 0; b < blocks; b++) {
      const o0 = <usize>(b * L + j) * cb;
      for (let c: usize = 0; c < cb; c += VEC_BYTES) {
        const p0 = o0 + c, p1 = p0 + mb, p2 = p1 + mb, p3 = p2 + mb;
        const x0r = v128.load(re + p0), x0i = v128.load(im + p0);
        let yr = v128.load(re + p1), yi = v128.load(im + p1);
        const x1r = untwRe<T, W>(yr, yi, w1r, w1i), x1i = untwIm<T, W>(yr, yi, w1r, w1i);
        yr = v128.load(re + p2); yi = v128.load(im + p2);
        const x2r = untwRe<T, W>(yr, yi, w2r, w2i), x2i = untwIm<T, W>(yr, yi, w2r, w2i);
        yr = v128.load(re + p3); yi = v128.load(im + p3);
        const x3r = untwRe<T, W>(yr, yi, w3r, w3i), x3i = untwIm<T, W>(yr, yi, w3r, w3i);
        const t0r = v128.add<T>(x0r, x2r), t0i = v128.add<T>(x0i, x2i);
        const t1r = v128.sub<T>(x0r, x2r), t1i = v128.sub<T>(x0i, x2i);
        const t2r = v128.add<T>(x1r, x3r), t2i = v128.add<T>(x1i, x3i);
        // (x1 - x3) * +i
        const t3r = v128.sub<T>(x3i, x1i), t3i = v128.sub<T>(x1r, x3r);
        v128.store(re + p0, v128.add<T>(t0r, t2r));
        v128.store(im + p0, v128.add<T>(t0i, t2i));
        v128.store(re + p1, v128.add<T>(t1r, t3r));
        v128.store(im + p1, v128.add<T>(t1i, t3i));
        v128.store(re + p2, v128.sub<T>(t0r, t2r));
        v128.store(im + p2, v128.sub<T>(t0i, t2i));
        v128.store(re + p3, v128.sub<T>(t1r, t3r));
        v128.store(im + p3, v128.sub<T>(t1i, t3i));
      }
    }
  }
}

function stage3I<T, W>(re: usize, im: usize, blocks: i32, m: i32, C: i32, tw: usize, j0: i32, j1: i32): void {
  const E = <usize>sizeof<T>();
  const L = 3 * m;
  const cb = <usize>C * E;
  const mb = <usize>m * cb;
  const half = v128.splat<T>(<T>0.5), s = v128.splat<T>(<T>S3);
  for (let j = j0; j < j1; j++) {
    const t = tw + <usize>(4 * j) * E;
    const w1r = v128.load_splat<T>(t), w1i = v128.load_splat<T>(t + E);
    const w2r = v128.load_splat<T>(t + 2 * E), w2i = v128.load_splat<T>(t + 3 * E);
    for (let b = 0; b < blocks; b++) {
      const o0 = <usize>(b * L + j) * cb;
      for (let c: usize = 0; c < cb; c += VEC_BYTES) {
        const p0 = o0 + c, p1 = p0 + mb, p2 = p1 + mb;
        const x0r = v128.load(re + p0), x0i = v128.load(im + p0);
        let yr = v128.load(re + p1), yi = v128.load(im + p1);
        const x1r = untwRe<T, W>(yr, yi, w1r, w1i), x1i = untwIm<T, W>(yr, yi, w1r, w1i);
        yr = v128.load(re + p2); yi = v128.load(im + p2);
        const x2r = untwRe<T, W>(yr, yi, w2r, w2i), x2i = untwIm<T, W>(yr, yi, w2r, w2i);
        const tr = v128.add<T>(x1r, x2r), ti = v128.add<T>(x1i, x2i);
        const ur = v128.mul<T>(s, v128.sub<T>(x1r, x2r)), ui = v128.mul<T>(s, v128.sub<T>(x1i, x2i));
        const mr = v128.sub<T>(x0r, v128.mul<T>(half, tr)), mi = v128.sub<T>(x0i, v128.mul<T>(half, ti));
        v128.store(re + p0, v128.add<T>(x0r, tr));
        v128.store(im + p0, v128.add<T>(x0i, ti));
        // y1 = m + i*s*u, y2 = m - i*s*u
        v128.store(re + p1, v128.sub<T>(mr, ui));
        v128.store(im + p1, v128.add<T>(mi, ur));
        v128.store(re + p2, v128.add<T>(mr, ui));
        v128.store(im + p2, v128.sub<T>(mi, ur));
      }
    }
  }
}

function stage5I<T, W>(re: usize, im: usize, blocks: i32, m: i32, C: i32, tw: usize, j0: i32, j1: i32): void {
  const E = <usize>sizeof<T>();
  const L = 5 * m;
  const cb = <usize>C * E;
  const mb = <usize>m * cb;
  const c1 = v128.splat<T>(<T>C51), c2 = v128.splat<T>(<T>C52), s1 = v128.splat<T>(<T>S51), s2 = v128.splat<T>(<T>S52);
  for (let j = j0; j < j1; j++) {
    const t = tw + <usize>(8 * j) * E;
    const w1r = v128.load_splat<T>(t), w1i = v128.load_splat<T>(t + E);
    const w2r = v128.load_splat<T>(t + 2 * E), w2i = v128.load_splat<T>(t + 3 * E);
    const w3r = v128.load_splat<T>(t + 4 * E), w3i = v128.load_splat<T>(t + 5 * E);
    const w4r = v128.load_splat<T>(t + 6 * E), w4i = v128.load_splat<T>(t + 7 * E);
    for (let b = 0; b < blocks; b++) {
      const o0 = <usize>(b * L + j) * cb;
      for (let c: usize = 0; c < cb; c += VEC_BYTES) {
        const p0 = o0 + c, p1 = p0 + mb, p2 = p1 + mb, p3 = p2 + mb, p4 = p3 + mb;
        const x0r = v128.load(re + p0), x0i = v128.load(im + p0);
        let yr = v128.load(re + p1), yi = v128.load(im + p1);
        const x1r = untwRe<T, W>(yr, yi, w1r, w1i), x1i = untwIm<T, W>(yr, yi, w1r, w1i);
        yr = v128.load(re + p2); yi = v128.load(im + p2);
        const x2r = untwRe<T, W>(yr, yi, w2r, w2i), x2i = untwIm<T, W>(yr, yi, w2r, w2i);
        yr = v128.load(re + p3); yi = v128.load(im + p3);
        const x3r = untwRe<T, W>(yr, yi, w3r, w3i), x3i = untwIm<T, W>(yr, yi, w3r, w3i);
        yr = v128.load(re + p4); yi = v128.load(im + p4);
        const x4r = untwRe<T, W>(yr, yi, w4r, w4i), x4i = untwIm<T, W>(yr, yi, w4r, w4i);
        const t1r = v128.add<T>(x1r, x4r), t1i = v128.add<T>(x1i, x4i);
        const t2r = v128.add<T>(x2r, x3r), t2i = v128.add<T>(x2i, x3i);
        const u1r = v128.sub<T>(x1r, x4r), u1i = v128.sub<T>(x1i, x4i);
        const u2r = v128.sub<T>(x2r, x3r), u2i = v128.sub<T>(x2i, x3i);
        v128.store(re + p0, v128.add<T>(x0r, v128.add<T>(t1r, t2r)));
        v128.store(im + p0, v128.add<T>(x0i, v128.add<T>(t1i, t2i)));
        const a1r = v128.add<T>(x0r, v128.add<T>(v128.mul<T>(c1, t1r), v128.mul<T>(c2, t2r)));
        const a1i = v128.add<T>(x0i, v128.add<T>(v128.mul<T>(c1, t1i), v128.mul<T>(c2, t2i)));
        const a2r = v128.add<T>(x0r, v128.add<T>(v128.mul<T>(c2, t1r), v128.mul<T>(c1, t2r)));
        const a2i = v128.add<T>(x0i, v128.add<T>(v128.mul<T>(c2, t1i), v128.mul<T>(c1, t2i)));
        const b1r = v128.add<T>(v128.mul<T>(s1, u1r), v128.mul<T>(s2, u2r));
        const b1i = v128.add<T>(v128.mul<T>(s1, u1i), v128.mul<T>(s2, u2i));
        const b2r = v128.sub<T>(v128.mul<T>(s2, u1r), v128.mul<T>(s1, u2r));
        const b2i = v128.sub<T>(v128.mul<T>(s2, u1i), v128.mul<T>(s1, u2i));
        // y1 = a1 + i b1, y4 = a1 - i b1, y2 = a2 + i b2, y3 = a2 - i b2
        v128.store(re + p1, v128.sub<T>(a1r, b1i));
        v128.store(im + p1, v128.add<T>(a1i, b1r));
        v128.store(re + p2, v128.sub<T>(a2r, b2i));
        v128.store(im + p2, v128.add<T>(a2i, b2r));
        v128.store(re + p3, v128.add<T>(a2r, b2i));
        v128.store(im + p3, v128.sub<T>(a2i, b2r));
        v128.store(re + p4, v128.add<T>(a1r, b1i));
        v128.store(im + p4, v128.sub<T>(a1i, b1r));
      }
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Whole transforms along the middle axis of [A][n][C]. The stage table holds (radix, L) per
// stage in forward order, i32 each; twiddles follow each other in the same order.

@inline function stageTwiddles<T>(r: i32, L: i32): usize {
  return <usize>(L / r) * <usize>(r - 1) * 2 * sizeof<T>();
}

function fft<T>(forward: bool, re: usize, im: usize, A: i32, n: i32, C: i32, stages: usize, nStages: i32, tw: usize): void {
  const plane = <usize>n * <usize>C * sizeof<T>();
  for (let a = 0; a < A; a++) {
    const pr = re + <usize>a * plane, pi = im + <usize>a * plane;
    if (forward) {
      let t = tw;
      for (let s = 0; s < nStages; s++) {
        const r = load<i32>(stages + (<usize>s << 3)), L = load<i32>(stages + (<usize>s << 3) + 4);
        runStage<T>(true, r, pr, pi, n / L, L / r, C, t);
        t += stageTwiddles<T>(r, L);
      }
    } else {
      // Twiddle start of the last stage, then walk back.
      let t = tw;
      for (let s = 0; s < nStages - 1; s++) t += stageTwiddles<T>(load<i32>(stages + (<usize>s << 3)), load<i32>(stages + (<usize>s << 3) + 4));
      for (let s = nStages - 1; s >= 0; s--) {
        const r = load<i32>(stages + (<usize>s << 3)), L = load<i32>(stages + (<usize>s << 3) + 4);
        runStage<T>(false, r, pr, pi, n / L, L / r, C, t);
        if (s > 0) t -= stageTwiddles<T>(load<i32>(stages + (<usize>(s - 1) << 3)), load<i32>(stages + (<usize>(s - 1) << 3) + 4));
      }
    }
  }
}

/** One stage: the butterflies of j = 0 without twiddles (all of them when m = 1), then the rest. */
function runStage<T>(forward: bool, r: i32, re: usize, im: usize, blocks: i32, m: i32, C: i32, tw: usize): void {
  if (forward) {
    if (r == 4) { stage4F<T, Plain>(re, im, blocks, m, C, tw, 0, 1); stage4F<T, Twiddled>(re, im, blocks, m, C, tw, 1, m); }
    else if (r == 2) { stage2F<T, Plain>(re, im, blocks, m, C, tw, 0, 1); stage2F<T, Twiddled>(re, im, blocks, m, C, tw, 1, m); }
    else if (r == 3) { stage3F<T, Plain>(re, im, blocks, m, C, tw, 0, 1); stage3F<T, Twiddled>(re, im, blocks, m, C, tw, 1, m); }
    else { stage5F<T, Plain>(re, im, blocks, m, C, tw, 0, 1); stage5F<T, Twiddled>(re, im, blocks, m, C, tw, 1, m); }
  } else {
    if (r == 4) { stage4I<T, Plain>(re, im, blocks, m, C, tw, 0, 1); stage4I<T, Twiddled>(re, im, blocks, m, C, tw, 1, m); }
    else if (r == 2) { stage2I<T, Plain>(re, im, blocks, m, C, tw, 0, 1); stage2I<T, Twiddled>(re, im, blocks, m, C, tw, 1, m); }
    else if (r == 3) { stage3I<T, Plain>(re, im, blocks, m, C, tw, 0, 1); stage3I<T, Twiddled>(re, im, blocks, m, C, tw, 1, m); }
    else { stage5I<T, Plain>(re, im, blocks, m, C, tw, 0, 1); stage5I<T, Twiddled>(re, im, blocks, m, C, tw, 1, m); }
  }
}

/**
 * (re, im)[p][lane] *= (kre, kim)[p] for n positions of T lanes: the kernel's spectrum is stored
 * once per position and broadcast, which keeps it a T-th of a plane (and in cache).
 */
function spectrumMul<T>(re: usize, im: usize, kre: usize, kim: usize, n: i32, lanesPerPosition: i32): void {
  const E = <usize>sizeof<T>();
  const posBytes = <usize>lanesPerPosition * E;
  let o: usize = 0;
  for (let p = 0; p < n; p++) {
    const wr = v128.load_splat<T>(kre + <usize>p * E), wi = v128.load_splat<T>(kim + <usize>p * E);
    const end = o + posBytes;
    for (; o < end; o += VEC_BYTES) {
      const xr = v128.load(re + o), xi = v128.load(im + o);
      v128.store(re + o, cmulRe<T>(xr, xi, wr, wi));
      v128.store(im + o, cmulIm<T>(xr, xi, wr, wi));
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Overlap-save tiles. The geometry table (i32) describes the grid of tiles over a padded 3-D
// input (lower ranks have leading axes of size 1):
//   F0 F1 F2   tile (FFT) size per axis (F2 a multiple of 4)
//   V0 V1 V2   valid outputs per tile and axis: F - K + 1, the tiles' stride over the input
//   N0 N1 N2   tiles per axis (tile t = (t0 * N1 + t1) * N2 + t2)
//   S0 S1      element strides of the padded input for axes 0 and 1 (axis 2 is contiguous)
//   O0 O1      element strides of the output for axes 0 and 1
//   H0 H1 H2   K - 1 per axis: where a tile's valid outputs start
//   T          lanes per plane position (a multiple of 4): tile pairs side by side
//   U0 U1 U2   the output's size per axis: a tile's outputs past it are not stored
//   I0 I1 I2   the source's size per axis, and
//   B0 B1 B2   where it starts in the padded coordinates the tiles use: samples outside the
//              source read as 0 (zero padding needs no padded copy; a padded copy has B = 0)
// Lane k of the re plane holds tile first + 2k, lane k of the im plane tile first + 2k + 1;
// lanes past the last tile repeat it (their results are never stored).

const G_F: usize = 0;
const G_V: usize = 12;
const G_N: usize = 24;
const G_S: usize = 36;
const G_O: usize = 44;
const G_H: usize = 52;
const G_T: usize = 64;
const G_U: usize = 68;
const G_I: usize = 80;
const G_B: usize = 92;

@inline function geo(g: usize, at: usize, axis: i32): i32 {
  return load<i32>(g + at + (<usize>axis << 2));
}

/** Element offset of tile t's first output in the output grid. */
@inline function tileOutput(g: usize, t: i32): usize {
  const N1 = geo(g, G_N, 1), N2 = geo(g, G_N, 2);
  const t2 = t % N2, t01 = t / N2;
  const t1 = t01 % N1, t0 = t01 / N1;
  return <usize>(t0 * geo(g, G_V, 0)) * <usize>geo(g, G_O, 0) + <usize>(t1 * geo(g, G_V, 1)) * <usize>geo(g, G_O, 1) + <usize>(t2 * geo(g, G_V, 2));
}

/** Tile t's index along `axis`. */
@inline function tileIndex(g: usize, t: i32, axis: i32): i32 {
  const N1 = geo(g, G_N, 1), N2 = geo(g, G_N, 2);
  return axis == 2 ? t % N2 : axis == 1 ? (t / N2) % N1 : t / (N1 * N2);
}

/**
 * The F2 samples of row (f0, f1) of tile t: a pointer into the source when the row lies inside
 * it, else the row assembled in `scratch` (zeros outside the source), or the zero row `zeros`.
 */
@inline function tileRow<T>(g: usize, src: usize, t: i32, f0: i32, f1: i32, scratch: usize, zeros: usize): usize {
  const E = <usize>sizeof<T>();
  const y0 = tileIndex(g, t, 0) * geo(g, G_V, 0) + f0 - geo(g, G_B, 0);
  const y1 = tileIndex(g, t, 1) * geo(g, G_V, 1) + f1 - geo(g, G_B, 1);
  if (y0 < 0 || y0 >= geo(g, G_I, 0) || y1 < 0 || y1 >= geo(g, G_I, 1)) return zeros;
  const F2 = geo(g, G_F, 2);
  const x = tileIndex(g, t, 2) * geo(g, G_V, 2) - geo(g, G_B, 2);
  const n2 = geo(g, G_I, 2);
  const row = src + (<usize>y0 * <usize>geo(g, G_S, 0) + <usize>y1 * <usize>geo(g, G_S, 1)) * E;
  if (x >= 0 && x + F2 <= n2) return row + <usize>x * E;
  const from = max(0, -x), to = min(F2, n2 - x);
  memory.fill(scratch, 0, <usize>F2 * E);
  if (to > from) memory.copy(scratch + <usize>from * E, row + <usize>(x + from) * E, <usize>(to - from) * E);
  return scratch;
}

/**
 * Copies tiles first .. first + count - 1 (F0 x F1 x F2 windows of the source in the tiles'
 * padded coordinates, zeros outside it) into the re and im planes. float32 moves 4 tiles x 4
 * samples at a time through one 4x4 transpose, float64 2 x 2. `scratch` holds lanes + 1 rows of
 * F2 samples (the last one zeros) for rows that cross the source's edge.
 */
function gatherTiles<T>(g: usize, src: usize, first: i32, count: i32, re: usize, im: usize, scratch: usize): void {
  const E = <usize>sizeof<T>();
  const F0 = geo(g, G_F, 0), F1 = geo(g, G_F, 1), F2 = geo(g, G_F, 2);
  const T = geo(g, G_T, 0);
  const posBytes = <usize>T * E;
  const rowBytes = <usize>F2 * E;
  const last = first + count - 1;
  const L = lanes<T>();
  const zeros = scratch + <usize>L * rowBytes;
  memory.fill(zeros, 0, rowBytes);
  for (let half = 0; half < 2; half++) {
    const plane = half == 0 ? re : im;
    for (let k = 0; k < T; k += L) {
      const t0 = min(first + 2 * k + half, last), t1 = min(first + 2 * (k + 1) + half, last);
      const t2 = L == 4 ? min(first + 2 * (k + 2) + half, last) : t0, t3 = L == 4 ? min(first + 2 * (k + 3) + half, last) : t0;
      for (let f0 = 0; f0 < F0; f0++) {
        for (let f1 = 0; f1 < F1; f1++) {
          const a0 = tileRow<T>(g, src, t0, f0, f1, scratch, zeros);
          const a1 = tileRow<T>(g, src, t1, f0, f1, scratch + rowBytes, zeros);
          let a2 = a0, a3 = a0;
          if (L == 4) {
            a2 = tileRow<T>(g, src, t2, f0, f1, scratch + 2 * rowBytes, zeros);
            a3 = tileRow<T>(g, src, t3, f0, f1, scratch + 3 * rowBytes, zeros);
          }
          let o = plane + (<usize>(f0 * F1 + f1) * <usize>F2) * posBytes + <usize>k * E;
          for (let off: usize = 0; off < rowBytes; off += VEC_BYTES) {
            if (L == 4) {
              storeTransposed4x4(o, posBytes, v128.load(a0 + off), v128.load(a1 + off), v128.load(a2 + off), v128.load(a3 + off));
            } else {
              const x = v128.load(a0 + off), y = v128.load(a1 + off);
              v128.store(o, i64x2.shuffle(x, y, 0, 2));
              v128.store(o + posBytes, i64x2.shuffle(x, y, 1, 3));
            }
            o += <usize>L * posBytes;
          }
        }
      }
    }
  }
}

/** How many of tile t's outputs along `axis` lie inside the output (at most V). */
@inline function tileLimit(g: usize, t: i32, axis: i32): i32 {
  return min(geo(g, G_V, axis), geo(g, G_U, axis) - tileIndex(g, t, axis) * geo(g, G_V, axis));
}

/**
 * The valid outputs of tiles first .. first + count - 1 from the planes (at offsets H0, H1, H2)
 * into the output, clipped to its size: the inverse of gatherTiles's transpose, with partial
 * stores for the last columns of a row. Reads up to 3 plane positions past a row (the engine
 * keeps slack after the planes).
 */
/** Stores the first n lanes of v at o and adds their x - x to the running sum `bad` (lanes past n, which may read past the plane, do not count). */
@inline function storeChecked<T>(o: usize, v: v128, n: i32, bad: v128): v128 {
  storeLanes<T>(o, <usize>sizeof<T>(), v, n);
  const w = n >= lanes<T>() ? v : loadLanes<T>(o, n);
  return v128.add<T>(bad, v128.sub<T>(w, w));
}

function scatterTiles<T>(g: usize, re: usize, im: usize, first: i32, count: i32, out: usize): i32 {
  const E = <usize>sizeof<T>();
  // Every stored vector's x - x joins a running sum, NaN from the first non-finite result on.
  let bad = v128.splat<T>(0);
  const F1 = geo(g, G_F, 1), F2 = geo(g, G_F, 2);
  const V0 = geo(g, G_V, 0), V1 = geo(g, G_V, 1), V2 = geo(g, G_V, 2);
  const O0 = <usize>geo(g, G_O, 0) * E, O1 = <usize>geo(g, G_O, 1) * E;
  const H0 = geo(g, G_H, 0), H1 = geo(g, G_H, 1), H2 = geo(g, G_H, 2);
  const T = geo(g, G_T, 0);
  const posBytes = <usize>T * E;
  const L = lanes<T>();
  for (let half = 0; half < 2; half++) {
    const plane = half == 0 ? re : im;
    for (let k = 0; k < T; k += L) {
      const tile = first + 2 * k + half;
      if (tile - first >= count) break;
      // The lanes that hold real tiles, where each one's outputs go and how far they reach.
      let n = 0;
      for (let i = 0; i < L; i++) if (tile + 2 * i - first < count) n++;
      const t1 = n > 1 ? tile + 2 : tile, t2 = n > 2 ? tile + 4 : tile, t3 = n > 3 ? tile + 6 : tile;
      const b0 = out + tileOutput(g, tile) * E, b1 = out + tileOutput(g, t1) * E;
      const b2 = out + tileOutput(g, t2) * E, b3 = out + tileOutput(g, t3) * E;
      const r0 = tileLimit(g, tile, 0), r1 = n > 1 ? tileLimit(g, t1, 0) : 0, r2 = n > 2 ? tileLimit(g, t2, 0) : 0, r3 = n > 3 ? tileLimit(g, t3, 0) : 0;
      const q0 = tileLimit(g, tile, 1), q1 = tileLimit(g, t1, 1), q2 = tileLimit(g, t2, 1), q3 = tileLimit(g, t3, 1);
      const c0 = tileLimit(g, tile, 2), c1 = tileLimit(g, t1, 2), c2 = tileLimit(g, t2, 2), c3 = tileLimit(g, t3, 2);
      if (L == 4 && n == 4 && min(min(r0, r1), min(r2, r3)) == V0 && min(min(q0, q1), min(q2, q3)) == V1 && min(min(c0, c1), min(c2, c3)) == V2) {
        // Four whole tiles: full vector stores, a partial one at the end of each row.
        const whole = V2 & ~3;
        for (let i0 = 0; i0 < V0; i0++) {
          for (let i1 = 0; i1 < V1; i1++) {
            const rowOut = <usize>i0 * O0 + <usize>i1 * O1;
            const rowPlane = plane + (<usize>((i0 + H0) * F1 + i1 + H1) * <usize>F2 + <usize>H2) * posBytes + <usize>k * E;
            for (let i2 = 0; i2 < V2; i2 += 4) {
              const p = rowPlane + <usize>i2 * posBytes;
              const off = rowOut + <usize>i2 * E;
              const x0 = v128.load(p), x1 = v128.load(p + posBytes), x2 = v128.load(p + 2 * posBytes), x3 = v128.load(p + 3 * posBytes);
              const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5), u1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
              const u2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7), u3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
              const y0 = v128.shuffle<f32>(t0, u1, 0, 1, 4, 5), y1 = v128.shuffle<f32>(t0, u1, 2, 3, 6, 7);
              const y2 = v128.shuffle<f32>(u2, u3, 0, 1, 4, 5), y3 = v128.shuffle<f32>(u2, u3, 2, 3, 6, 7);
              if (i2 < whole) {
                v128.store(b0 + off, y0);
                v128.store(b1 + off, y1);
                v128.store(b2 + off, y2);
                v128.store(b3 + off, y3);
                bad = v128.add<T>(bad, v128.add<T>(v128.add<T>(v128.sub<T>(y0, y0), v128.sub<T>(y1, y1)), v128.add<T>(v128.sub<T>(y2, y2), v128.sub<T>(y3, y3))));
              } else {
                bad = storeChecked<T>(b0 + off, y0, V2 - i2, bad);
                bad = storeChecked<T>(b1 + off, y1, V2 - i2, bad);
                bad = storeChecked<T>(b2 + off, y2, V2 - i2, bad);
                bad = storeChecked<T>(b3 + off, y3, V2 - i2, bad);
              }
            }
          }
        }
        continue;
      }
      for (let i0 = 0; i0 < V0; i0++) {
        for (let i1 = 0; i1 < V1; i1++) {
          const s0 = i0 < r0 && i1 < q0, s1 = i0 < r1 && i1 < q1, s2 = i0 < r2 && i1 < q2, s3 = i0 < r3 && i1 < q3;
          if (!(s0 || s1 || s2 || s3)) continue;
          const rowOut = <usize>i0 * O0 + <usize>i1 * O1;
          const rowPlane = plane + (<usize>((i0 + H0) * F1 + i1 + H1) * <usize>F2 + <usize>H2) * posBytes + <usize>k * E;
          for (let i2 = 0; i2 < V2; i2 += L) {
            const p = rowPlane + <usize>i2 * posBytes;
            const off = rowOut + <usize>i2 * E;
            if (L == 4) {
              const x0 = v128.load(p), x1 = v128.load(p + posBytes), x2 = v128.load(p + 2 * posBytes), x3 = v128.load(p + 3 * posBytes);
              const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5), u1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
              const u2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7), u3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
              if (s0 && i2 < c0) bad = storeChecked<T>(b0 + off, v128.shuffle<f32>(t0, u1, 0, 1, 4, 5), c0 - i2, bad);
              if (s1 && i2 < c1) bad = storeChecked<T>(b1 + off, v128.shuffle<f32>(t0, u1, 2, 3, 6, 7), c1 - i2, bad);
              if (s2 && i2 < c2) bad = storeChecked<T>(b2 + off, v128.shuffle<f32>(u2, u3, 0, 1, 4, 5), c2 - i2, bad);
              if (s3 && i2 < c3) bad = storeChecked<T>(b3 + off, v128.shuffle<f32>(u2, u3, 2, 3, 6, 7), c3 - i2, bad);
            } else {
              const x = v128.load(p), y = v128.load(p + posBytes);
              if (s0 && i2 < c0) bad = storeChecked<T>(b0 + off, i64x2.shuffle(x, y, 0, 2), c0 - i2, bad);
              if (s1 && i2 < c1) bad = storeChecked<T>(b1 + off, i64x2.shuffle(x, y, 1, 3), c1 - i2, bad);
            }
          }
        }
      }
    }
  }
  return v128.any_true(v128.ne<T>(bad, bad)) ? 1 : 0;
}

// ------------------------------------------------------------------------------------------------
// Entry points (ABI: src/runtime/abi.ts FftKernel, SpectrumKernel, TilesKernel). The f32 and f64
// exports differ only in T: AssemblyScript exports need concrete types.

export function fftForwardF32(re: usize, im: usize, A: i32, n: i32, C: i32, stages: usize, nStages: i32, tw: usize): void {
  fft<f32>(true, re, im, A, n, C, stages, nStages, tw);
}
export function fftForwardF64(re: usize, im: usize, A: i32, n: i32, C: i32, stages: usize, nStages: i32, tw: usize): void {
  fft<f64>(true, re, im, A, n, C, stages, nStages, tw);
}
export function fftInverseF32(re: usize, im: usize, A: i32, n: i32, C: i32, stages: usize, nStages: i32, tw: usize): void {
  fft<f32>(false, re, im, A, n, C, stages, nStages, tw);
}
export function fftInverseF64(re: usize, im: usize, A: i32, n: i32, C: i32, stages: usize, nStages: i32, tw: usize): void {
  fft<f64>(false, re, im, A, n, C, stages, nStages, tw);
}
export function spectrumMulF32(re: usize, im: usize, kre: usize, kim: usize, n: i32, lanesPerPosition: i32): void {
  spectrumMul<f32>(re, im, kre, kim, n, lanesPerPosition);
}
export function spectrumMulF64(re: usize, im: usize, kre: usize, kim: usize, n: i32, lanesPerPosition: i32): void {
  spectrumMul<f64>(re, im, kre, kim, n, lanesPerPosition);
}
export function gatherTilesF32(g: usize, src: usize, first: i32, count: i32, re: usize, im: usize, scratch: usize): void {
  gatherTiles<f32>(g, src, first, count, re, im, scratch);
}
export function gatherTilesF64(g: usize, src: usize, first: i32, count: i32, re: usize, im: usize, scratch: usize): void {
  gatherTiles<f64>(g, src, first, count, re, im, scratch);
}
export function scatterTilesF32(g: usize, re: usize, im: usize, first: i32, count: i32, out: usize): i32 {
  return scatterTiles<f32>(g, re, im, first, count, out);
}
export function scatterTilesF64(g: usize, re: usize, im: usize, first: i32, count: i32, out: usize): i32 {
  return scatterTiles<f64>(g, re, im, first, count, out);
}
