// Channels-first planes -> channels-last rows: dst[p * C + c] = src[c * P + p] for c < C, p < P.
// Stages a wide conv layer's padded input so a window's taps walk contiguous memory (see
// src/engines/layer.ts). float32 moves 4x4 blocks with shuffles; float64 and tails go one by one.
// Exported as channelsLastF32 / channelsLastF64 (ABI: src/runtime/abi.ts ChannelsLastKernel).

import { storeTransposed4x4 } from "./simd";

function planesToChannelsLast<T>(src: usize, C: i32, P: i32, dst: usize): void {
  const E = <usize>sizeof<T>();
  const planeBytes = <usize>P * E;
  const rowBytes = <usize>C * E;
  let c = 0;
  if (sizeof<T>() == 4) {
    for (; c + 4 <= C; c += 4) {
      let p = 0;
      for (; p + 4 <= P; p += 4) {
        const q = src + <usize>c * planeBytes + <usize>p * E;
        const r0 = v128.load(q), r1 = v128.load(q + planeBytes), r2 = v128.load(q + 2 * planeBytes), r3 = v128.load(q + 3 * planeBytes);
        storeTransposed4x4(dst + <usize>p * rowBytes + <usize>c * E, rowBytes, r0, r1, r2, r3);
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

export function channelsLastF32(src: usize, C: i32, P: i32, dst: usize): void {
  planesToChannelsLast<f32>(src, C, P, dst);
}

export function channelsLastF64(src: usize, C: i32, P: i32, dst: usize): void {
  planesToChannelsLast<f64>(src, C, P, dst);
}
