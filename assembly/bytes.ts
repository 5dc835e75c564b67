// uint8 images in and out of the float kernels, inside Wasm memory: widening the padded bytes
// and rounding the results back to bytes here saves JS a conversion pass over every sample.

/** dst[i] = src[i] as T, for n bytes. */
export function widenBytes<T>(src: usize, n: i32, dst: usize): void {
  const E = <usize>sizeof<T>();
  for (let i = 0; i < n; i++) store<T>(dst + <usize>i * E, <T>load<u8>(src + <usize>i));
}

/**
 * dst[i] = src[i] rounded half to even and saturated to 0..255 (OpenCV's saturate_cast<uchar>;
 * NaN gives 0), for n elements.
 */
export function narrowToBytes<T>(src: usize, n: i32, dst: usize): void {
  const E = <usize>sizeof<T>();
  for (let i = 0; i < n; i++) {
    const v = nearest<T>(load<T>(src + <usize>i * E));
    store<u8>(dst + <usize>i, v > 0 ? (v < 255 ? <u8>v : 255) : 0);
  }
}
