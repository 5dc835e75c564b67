// SIMD helpers shared by the kernels, generic over the element type T (f32 -> f32x4, f64 -> f64x2):
// the multiply-add, tap broadcasts, the partial-vector loads and stores every kernel's tails use,
// and the 4x4 f32 transpose the layer kernel and the channels-last staging share.

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

// A tap is one multiply-add: fused (relaxed_madd, one rounding or two as the host's hardware
// does) in the relaxed SIMD build, a mul and an add in the plain one.
@inline export function mac<T>(acc: v128, w: v128, x: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<T>(w, x, acc);
  return v128.add<T>(acc, v128.mul<T>(w, x));
}

/** Broadcast of the element at k (one load; V8 keeps a splat of a local inside loops). */
@inline export function tap<T>(k: usize): v128 {
  return v128.load_splat<T>(k);
}

/**
 * Stores the first n lanes of a, lane l at o + l * step (step = sizeof<T>(): contiguous); with
 * n >= lanes and contiguous lanes, one vector store. Never writes past lane n - 1.
 */
@inline export function storeLanes<T>(o: usize, step: usize, a: v128, n: i32): void {
  if (n >= lanes<T>() && step == sizeof<T>()) {
    v128.store(o, a);
    return;
  }
  v128.store_lane<T>(o, a, 0);
  if (step == sizeof<T>()) {
    // Contiguous lanes: the offsets are immediates.
    if (n > 1) v128.store_lane<T>(o, a, 1, sizeof<T>());
    if (sizeof<T>() == 4) {
      if (n > 2) v128.store_lane<T>(o, a, 2, 2 * sizeof<T>());
      if (n > 3) v128.store_lane<T>(o, a, 3, 3 * sizeof<T>());
    }
    return;
  }
  if (n > 1) v128.store_lane<T>(o + step, a, 1);
  if (sizeof<T>() == 4) {
    if (n > 2) v128.store_lane<T>(o + 2 * step, a, 2);
    if (n > 3) v128.store_lane<T>(o + 3 * step, a, 3);
  }
}

/** The first n contiguous lanes at o, zeros in the others: what storeLanes would overwrite. */
@inline export function loadLanes<T>(o: usize, n: i32): v128 {
  if (n >= lanes<T>()) return v128.load(o);
  let b = v128.load_lane<T>(o, zero<T>(), 0);
  if (n > 1) b = v128.load_lane<T>(o, b, 1, sizeof<T>());
  if (sizeof<T>() == 4) {
    if (n > 2) b = v128.load_lane<T>(o, b, 2, 2 * sizeof<T>());
    if (n > 3) b = v128.load_lane<T>(o, b, 3, 3 * sizeof<T>());
  }
  return b;
}

/**
 * Four f32 vectors r0..r3 (rows of a 4x4 block) stored as its columns: column j, made of lane j
 * of every row, goes to o + j * step.
 */
@inline export function storeTransposed4x4(o: usize, step: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  const c0 = v128.shuffle<f32>(t0, t1, 0, 1, 4, 5);
  const c1 = v128.shuffle<f32>(t0, t1, 2, 3, 6, 7);
  const c2 = v128.shuffle<f32>(t2, t3, 0, 1, 4, 5);
  const c3 = v128.shuffle<f32>(t2, t3, 2, 3, 6, 7);
  v128.store(o, c0);
  v128.store(o + step, c1);
  v128.store(o + 2 * step, c2);
  v128.store(o + 3 * step, c3);
}
