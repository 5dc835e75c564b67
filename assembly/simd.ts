// SIMD helpers shared by the kernels, generic over the element type T (f32 -> f32x4, f64 -> f64x2).

/** Compile-time mode marker: add the result onto the existing output. */
export class Accumulate {}
/** Compile-time mode marker: overwrite the output. */
export class Overwrite {}

export const VEC_BYTES: usize = 16;

@inline export function lanes<T>(): i32 {
  return <i32>(VEC_BYTES / sizeof<T>());
}

@inline export function elemShift<T>(): usize {
  return alignof<T>(); // log2(sizeof<T>())
}

@inline export function isAccumulate<M>(): bool {
  return idof<M>() == idof<Accumulate>();
}

@inline export function zero<T>(): v128 {
  return v128.splat<T>(<T>0);
}

// Wasm SIMD has no fused multiply-add (relaxed SIMD is not in Node 20's V8 by default): a tap is a mul and an add.
@inline export function mac<T>(acc: v128, w: v128, x: v128): v128 {
  return v128.add<T>(acc, v128.mul<T>(w, x));
}

/** Broadcast of the element at k (one load; V8 keeps a splat of a local inside loops). */
@inline export function tap<T>(k: usize): v128 {
  return v128.load_splat<T>(k);
}
