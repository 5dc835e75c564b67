// uint8 images in and out of the float kernels, inside Wasm memory: widening the padded bytes
// and rounding the results back to bytes here saves JS a conversion pass over every sample.
// Both go 16 bytes at a time, with a scalar loop for the last n % 16; int16 results (signed
// filter responses) are narrowed the same way. Exported as widenBytesF32/F64, narrowToBytesF32,
// narrowToInt16F32, nearTiesF32 and keepAlphaF32 (ABI: src/runtime/abi.ts BytesKernel,
// NearTiesKernel, KeepAlphaKernel): images compute in float32, so the kernels that only their
// results use have no float64 twin; byte tensors (correlate2d of a Uint8Array) widen to float64.

/** Four i32x4 of the 16 bytes at p, zero-extended. */
@inline function quarter(v: v128, k: i32): v128 {
  const half = k < 2 ? i16x8.extend_low_i8x16_u(v) : i16x8.extend_high_i8x16_u(v);
  return (k & 1) == 0 ? i32x4.extend_low_i16x8_u(half) : i32x4.extend_high_i16x8_u(half);
}

/**
 * Stores four u32 lanes as f64 (two f64x2) at d. The lanes are bytes, so the signed conversions
 * give the same values: x64 has no unsigned one, and V8 spends about eight instructions on it.
 */
@inline function storeF64x4(d: usize, q: v128): void {
  v128.store(d, f64x2.convert_low_i32x4_s(q));
  v128.store(d, f64x2.convert_low_i32x4_s(i32x4.shuffle(q, q, 2, 3, 0, 1)), 16);
}

/** dst[i] = src[i] as T, for n bytes. */
function widenBytes<T>(src: usize, n: i32, dst: usize): void {
  const E = <usize>sizeof<T>();
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const v = v128.load(src + <usize>i);
    const d = dst + <usize>i * E;
    if (sizeof<T>() == 4) {
      v128.store(d, f32x4.convert_i32x4_s(quarter(v, 0)));
      v128.store(d, f32x4.convert_i32x4_s(quarter(v, 1)), 16);
      v128.store(d, f32x4.convert_i32x4_s(quarter(v, 2)), 32);
      v128.store(d, f32x4.convert_i32x4_s(quarter(v, 3)), 48);
    } else {
      storeF64x4(d, quarter(v, 0));
      storeF64x4(d + 32, quarter(v, 1));
      storeF64x4(d + 64, quarter(v, 2));
      storeF64x4(d + 96, quarter(v, 3));
    }
  }
  for (; i < n; i++) store<T>(dst + <usize>i * E, <T>load<u8>(src + <usize>i));
}

/** Four f32 at s rounded half to even and truncated (saturating) to i32x4. */
@inline function roundFour(s: usize): v128 {
  return i32x4.trunc_sat_f32x4_s(f32x4.nearest(v128.load(s)));
}

/**
 * Four f32 at s as bytes in i32 lanes, rounded half to even and saturated as roundFour and the
 * narrowing would: clamped to [0, 255] first (pmax/pmin are one instruction each and send NaN
 * to 0), then rounded by adding 2^23, whose sum's low mantissa bits are the nearest integer,
 * rounded half to even by the addition itself. Rounding and clamping commute on these bounds.
 * V8's saturating truncation costs about eight instructions on x64; this costs four.
 */
@inline function byteFour(s: usize): v128 {
  const clamped = f32x4.pmin(f32x4.splat(255), f32x4.pmax(f32x4.splat(0), v128.load(s)));
  return i32x4.sub(f32x4.add(clamped, f32x4.splat(8388608)), i32x4.splat(0x4b000000));
}

/**
 * dst[i] = src[i] rounded half to even and saturated to 0..255 (OpenCV's saturate_cast<uchar>;
 * NaN gives 0), for n elements. The vector path clamps in byteFour; its narrowings through i16
 * and u8 then move values already in range.
 */
export function narrowToBytesF32(src: usize, n: i32, dst: usize): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const s = src + (<usize>i << 2);
    const a = i16x8.narrow_i32x4_s(byteFour(s), byteFour(s + 16));
    const b = i16x8.narrow_i32x4_s(byteFour(s + 32), byteFour(s + 48));
    v128.store(dst + <usize>i, i8x16.narrow_i16x8_u(a, b));
  }
  for (; i < n; i++) {
    const v = nearest<f32>(load<f32>(src + (<usize>i << 2)));
    store<u8>(dst + <usize>i, v > 0 ? (v < 255 ? <u8>v : 255) : 0);
  }
}

/**
 * dst[i] (i16) = src[i] rounded half to even and saturated to -32768..32767 (OpenCV's
 * saturate_cast<short>; NaN gives 0), for n elements.
 */
export function narrowToInt16F32(src: usize, n: i32, dst: usize): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const s = src + (<usize>i << 2);
    v128.store(dst + (<usize>i << 1), i16x8.narrow_i32x4_s(roundFour(s), roundFour(s + 16)));
  }
  for (; i < n; i++) {
    const v = nearest<f32>(load<f32>(src + (<usize>i << 2)));
    store<i16>(dst + (<usize>i << 1), v >= -32768 ? (v <= 32767 ? <i16>v : 32767) : v < 0 ? -32768 : 0);
  }
}

/**
 * The indices i in [from, n) where src[i] lies within bound of a .5 tie (|src[i] - floor(src[i])
 * - 0.5| <= bound): the samples whose rounding OpenCV's own arithmetic might do differently
 * (src/image/opencvBytes.ts). Writes up to cap u32 indices at dst and returns how many; at cap the
 * caller resumes after the last one. v - floor(v) - 0.5 is exact in f32, so only the bound
 * rounds: it is widened by a float32 ulp first.
 */
export function nearTiesF32(src: usize, from: i32, n: i32, bound: f64, dst: usize, cap: i32): i32 {
  const b = <f32>(bound * (1 + 1.0 / 8388608));
  const vb = f32x4.splat(b);
  const half = f32x4.splat(0.5);
  let found = 0;
  let i = from;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(src + (<usize>i << 2));
    const d = f32x4.abs(f32x4.sub(f32x4.sub(v, f32x4.floor(v)), half));
    if (!v128.any_true(f32x4.le(d, vb))) continue;
    for (let j = i; j < i + 4; j++) {
      const x = load<f32>(src + (<usize>j << 2));
      if (abs<f32>(x - floor<f32>(x) - 0.5) <= b) {
        store<u32>(dst + (<usize>found << 2), j);
        if (++found == cap) return found;
      }
    }
  }
  for (; i < n; i++) {
    const x = load<f32>(src + (<usize>i << 2));
    if (abs<f32>(x - floor<f32>(x) - 0.5) <= b) {
      store<u32>(dst + (<usize>found << 2), i);
      if (++found == cap) return found;
    }
  }
  return found;
}

/**
 * The alpha of `pixels` RGBA f32 pixels at src (one vector each) copied over those at dst
 * (filter2d's alpha 'keep': every channel is filtered, then alpha is put back).
 */
export function keepAlphaF32(src: usize, dst: usize, pixels: i32): void {
  const end = dst + (<usize>pixels << 4);
  for (; dst < end; dst += 16, src += 16) v128.store(dst, i32x4.shuffle(v128.load(dst), v128.load(src), 0, 1, 2, 7));
}

export function widenBytesF32(src: usize, n: i32, dst: usize): void {
  widenBytes<f32>(src, n, dst);
}

export function widenBytesF64(src: usize, n: i32, dst: usize): void {
  widenBytes<f64>(src, n, dst);
}
