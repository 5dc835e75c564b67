// A constant added to a run of samples in place: a layer's bias added to a plane the correlation
// kernel has just overwritten, while the plane is still in cache (cheaper than writing the bias
// first and having the kernel read it back). Exported as addScalarF32 / addScalarF64 (ABI:
// src/runtime/abi.ts AddScalarKernel).

import { VEC_BYTES } from "./simd";

function addScalar<T>(ptr: usize, n: i32, value: T): void {
  const E = <usize>sizeof<T>();
  const v = v128.splat<T>(value);
  const end = ptr + <usize>n * E;
  let p = ptr;
  for (; p + 4 * VEC_BYTES <= end; p += 4 * VEC_BYTES) {
    v128.store(p, v128.add<T>(v128.load(p), v));
    v128.store(p, v128.add<T>(v128.load(p, VEC_BYTES), v), VEC_BYTES);
    v128.store(p, v128.add<T>(v128.load(p, 2 * VEC_BYTES), v), 2 * VEC_BYTES);
    v128.store(p, v128.add<T>(v128.load(p, 3 * VEC_BYTES), v), 3 * VEC_BYTES);
  }
  for (; p + VEC_BYTES <= end; p += VEC_BYTES) v128.store(p, v128.add<T>(v128.load(p), v));
  for (; p < end; p += E) store<T>(p, load<T>(p) + value);
}

export function addScalarF32(ptr: usize, n: i32, value: f64): void {
  addScalar<f32>(ptr, n, <f32>value);
}

export function addScalarF64(ptr: usize, n: i32, value: f64): void {
  addScalar<f64>(ptr, n, value);
}
