// How filter2d and sepFilter2d round integer results (uint8, int16): they filter in float32, bound
// how far that can land from the exact result, and redo the samples within reach of a .5 tie in a
// model of the arithmetic OpenCV rounds (opencvBytes.ts), so the integers are OpenCV's.
import type { NearTies } from '../engines/imageOutput';
import type { ByteModel } from './opencvBytes';

/** Fractional bits of x if x * 2^bits is an integer for some bits <= 16, else -1. */
function dyadicBits(x: number): number {
  for (let bits = 0; bits <= 16; bits++) if (Number.isInteger(x * 2 ** bits)) return bits;
  return -1;
}

/**
 * A bound on how far filtering bytes in float32 with these passes (applied one after another,
 * the kernels' mul and add per tap, or the relaxed build's fused multiply-add, which rounds once
 * where they round twice and is exact wherever they are) and delta can land from the exact result: 0 when
 * no float32 operation rounds - every weight a multiple of 2^-m (Sobel, sharpen, OpenCV's small
 * Gaussians) and every partial sum an integer multiple of 2^-M below 2^24 in magnitude - and
 * otherwise two float32 roundings per tap of the largest possible sum, plus the weights' own
 * rounding to float32, carried through the later passes.
 */
export function float32Error(passes: ArrayLike<number>[], delta: number, largest = 255): number {
  let bits = 0;
  let dyadic = true;
  let reach = largest;
  let error = 0;
  passes.forEach((k, at) => {
    const last = at === passes.length - 1;
    let sum = 0;
    let rounding = 0;
    let kBits = 0;
    for (let i = 0; i < k.length; i++) {
      const b = dyadicBits(k[i]);
      if (b < 0) dyadic = false;
      kBits = Math.max(kBits, b);
      sum += Math.abs(k[i]);
      rounding += Math.abs(k[i] - Math.fround(k[i]));
    }
    bits += kBits;
    const before = reach;
    reach = reach * sum + (last ? Math.abs(delta) : 0);
    error = error * sum + rounding * before + 2 * (k.length + 1) * 2 ** -24 * reach;
  });
  const unit = 2 ** bits;
  // Integer samples (bytes) times dyadic weights stay on the 2^-bits grid; other samples do not.
  return dyadic && largest === 255 && Number.isInteger(delta * unit) && reach * unit < 2 ** 24 ? 0 : error;
}

/** How a uint8 result is rounded: the samples within `bound` of a .5 tie take `model`'s byte. */
export interface Rounding {
  model: ByteModel;
  bound: number;
}

/**
 * Integer results compute in float32 and round half to even. Where float32 is not exact for
 * these passes, or OpenCV's own arithmetic can round a sample differently from the exact result
 * (a model), the samples near enough a tie for either to matter are redone by the model (or,
 * with no model, `exact`'s float64 sum). `largest` is the largest |sample| of the image.
 */
export function byteRounding(passes: ArrayLike<number>[], delta: number, model: ByteModel | null, exact: () => ByteModel, largest = 255): Rounding | null {
  const error = float32Error(passes, delta, largest);
  if (error === 0) return model && { model, bound: model.bound };
  const m = model ?? exact();
  return { model: m, bound: m.bound + error };
}

/**
 * Integer results are rounded half to even and saturated, as OpenCV's saturate_cast, except the
 * samples close enough to a .5 tie for OpenCV's own arithmetic to round them the other way:
 * those take the model's value (opencvBytes.ts). They are rare: rounding ties of the exact result
 * and the odd sample within ~1e-5 of one.
 */
export function repairNearTies(bytes: Uint8ClampedArray | Int16Array, nearTies: readonly NearTies[], width: number, channels: number, { model }: Rounding): void {
  for (const { item, indices } of nearTies) {
    for (let k = 0; k < indices.length; k++) {
      const i = item + indices[k];
      const c = i % channels;
      const px = (i - c) / channels;
      const x = px % width;
      bytes[i] = model.sample((px - x) / width, x, c);
    }
  }
}

