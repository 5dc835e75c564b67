// Valid-mode 2-D cross-correlation over an already padded input (baseline version).
//   out[i*outStride + j] (+)= sum_{u<kh, v<kw} ker[u*kw + v] * inp[(i+u)*inStride + j + v]
// Pointers are byte offsets; strides and sizes are in elements.

export function correlateF32(
  inPtr: usize, inStride: i32, kerPtr: usize, kh: i32, kw: i32,
  outPtr: usize, outStride: i32, oh: i32, ow: i32, accumulate: i32,
): void {
  for (let i = 0; i < oh; i++) {
    const orow = outPtr + (<usize>(i * outStride) << 2);
    let j = 0;
    for (; j + 4 <= ow; j += 4) {
      let acc = accumulate ? v128.load(orow + (<usize>j << 2)) : f32x4.splat(0);
      for (let u = 0; u < kh; u++) {
        const irow = inPtr + (<usize>((i + u) * inStride + j) << 2);
        const krow = kerPtr + (<usize>(u * kw) << 2);
        for (let v = 0; v < kw; v++) {
          const w = v128.load32_splat(krow + (<usize>v << 2));
          acc = f32x4.add(acc, f32x4.mul(w, v128.load(irow + (<usize>v << 2))));
        }
      }
      v128.store(orow + (<usize>j << 2), acc);
    }
    for (; j < ow; j++) {
      let s: f32 = accumulate ? load<f32>(orow + (<usize>j << 2)) : 0;
      for (let u = 0; u < kh; u++) {
        const irow = inPtr + (<usize>((i + u) * inStride + j) << 2);
        const krow = kerPtr + (<usize>(u * kw) << 2);
        for (let v = 0; v < kw; v++) s += load<f32>(krow + (<usize>v << 2)) * load<f32>(irow + (<usize>v << 2));
      }
      store<f32>(orow + (<usize>j << 2), s);
    }
  }
}

export function correlateF64(
  inPtr: usize, inStride: i32, kerPtr: usize, kh: i32, kw: i32,
  outPtr: usize, outStride: i32, oh: i32, ow: i32, accumulate: i32,
): void {
  for (let i = 0; i < oh; i++) {
    const orow = outPtr + (<usize>(i * outStride) << 3);
    let j = 0;
    for (; j + 2 <= ow; j += 2) {
      let acc = accumulate ? v128.load(orow + (<usize>j << 3)) : f64x2.splat(0);
      for (let u = 0; u < kh; u++) {
        const irow = inPtr + (<usize>((i + u) * inStride + j) << 3);
        const krow = kerPtr + (<usize>(u * kw) << 3);
        for (let v = 0; v < kw; v++) {
          const w = v128.load64_splat(krow + (<usize>v << 3));
          acc = f64x2.add(acc, f64x2.mul(w, v128.load(irow + (<usize>v << 3))));
        }
      }
      v128.store(orow + (<usize>j << 3), acc);
    }
    for (; j < ow; j++) {
      let s: f64 = accumulate ? load<f64>(orow + (<usize>j << 3)) : 0;
      for (let u = 0; u < kh; u++) {
        const irow = inPtr + (<usize>((i + u) * inStride + j) << 3);
        const krow = kerPtr + (<usize>(u * kw) << 3);
        for (let v = 0; v < kw; v++) s += load<f64>(krow + (<usize>v << 3)) * load<f64>(irow + (<usize>v << 3));
      }
      store<f64>(orow + (<usize>j << 3), s);
    }
  }
}
