// Axis swaps in JS for the few places that need data in another order (channels-last results of
// pooling, the weight gradient's per-channel planes). The layer engine itself reads either layout.
import type { NumericArray } from './tensor';

type Constructor = { new (length: number): NumericArray };

/**
 * Swaps the middle two axes of [outer, a, b, inner] into [outer, b, a, inner], runs of `inner`
 * contiguous samples moving together. Returns an array of the same type.
 */
export function swapAxes<T extends NumericArray>(data: T, outer: number, a: number, b: number, inner = 1): T {
  const out = new (data.constructor as Constructor)(outer * a * b * inner) as T;
  for (let o = 0; o < outer; o++) {
    const base = o * a * b * inner;
    for (let i = 0; i < a; i++) {
      for (let j = 0; j < b; j++) {
        const from = base + (i * b + j) * inner;
        const to = base + (j * a + i) * inner;
        if (inner === 1) out[to] = data[from];
        else out.set(data.subarray(from, from + inner), to);
      }
    }
  }
  return out;
}

/** [N, S, C] -> [N, C, S] (S: the spatial axes flattened). */
export function toChannelsFirst<T extends NumericArray>(data: T, n: number, c: number, s: number): T {
  return swapAxes(data, n, s, c);
}

/** [N, C, S] -> [N, S, C]. */
export function toChannelsLast<T extends NumericArray>(data: T, n: number, c: number, s: number): T {
  return swapAxes(data, n, c, s);
}

/** An N-D array (N <= 4) with its axes in the order `order` (output axis i is input axis order[i]). */
export function permute<T extends NumericArray>(data: T, shape: readonly number[], order: readonly number[]): T {
  if (order.every((a, i) => a === i)) return data;
  const n = shape.length;
  const out = new (data.constructor as Constructor)(data.length) as T;
  const strides = shape.map((_, a) => shape.slice(a + 1).reduce((p, d) => p * d, 1));
  const dims = order.map((a) => shape[a]);
  const steps = order.map((a) => strides[a]);
  const index = new Array<number>(n).fill(0);
  let src = 0;
  for (let k = 0; k < out.length; k++) {
    out[k] = data[src];
    // Advance the output index like an odometer, moving the source offset along.
    for (let a = n - 1; a >= 0; a--) {
      src += steps[a];
      if (++index[a] < dims[a]) break;
      src -= steps[a] * dims[a];
      index[a] = 0;
    }
  }
  return out;
}
