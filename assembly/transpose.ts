// Channels-first planes -> channels-last rows: dst[p * C + c] = src[c * P + p] for c < C, p < P.
// Stages a wide conv layer's padded input so a window's taps walk contiguous memory (see
// src/convlayer.ts). float32 moves 4x4 blocks with shuffles; float64 and tails go one by one.

/** 4 channels x 4 positions of f32, transposed into 4 positions x 4 channels. */
@inline function block4x4(src: usize, planeBytes: usize, dst: usize, rowBytes: usize): void {
  const r0 = v128.load(src), r1 = v128.load(src + planeBytes);
  const r2 = v128.load(src + 2 * planeBytes), r3 = v128.load(src + 3 * planeBytes);
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(dst + rowBytes, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
  v128.store(dst + 2 * rowBytes, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * rowBytes, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
}

export function planesToChannelsLast<T>(src: usize, C: i32, P: i32, dst: usize): void {
  const E = <usize>sizeof<T>();
  const planeBytes = <usize>P * E;
  const rowBytes = <usize>C * E;
  let c = 0;
  if (sizeof<T>() == 4) {
    for (; c + 4 <= C; c += 4) {
      let p = 0;
      for (; p + 4 <= P; p += 4) {
        block4x4(src + <usize>c * planeBytes + <usize>p * E, planeBytes, dst + <usize>p * rowBytes + <usize>c * E, rowBytes);
      }
      for (; p < P; p++) {
        for (let k = 0; k < 4; k++) store<T>(dst + <usize>p * rowBytes + <usize>(c + k) * E, load<T>(src + <usize>(c + k) * planeBytes + <usize>p * E));
      }
    }
  }
  for (; c < C; c++) {
    const from = src + <usize>c * planeBytes;
    const to = dst + <usize>c * E;
    for (let p = 0; p < P; p++) store<T>(to + <usize>p * rowBytes, load<T>(from + <usize>p * E));
  }
}
