import type { NumericArray } from './tensor';

type Constructor = { new (length: number): NumericArray };

/**
 * Swaps the last two axes of [n, rows, cols] into [n, cols, rows]: channels last to channels
 * first with (n, spatial, channels) and back with (n, channels, spatial). Returns an array of
 * the same type.
 */
export function swapLastAxes<T extends NumericArray>(data: T, n: number, rows: number, cols: number): T {
  const out = new (data.constructor as Constructor)(data.length) as T;
  for (let b = 0; b < n; b++) {
    const base = b * rows * cols;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) out[base + c * rows + r] = data[base + r * cols + c];
    }
  }
  return out;
}

/** [N, S, C] -> [N, C, S] (S: the spatial axes flattened). */
export function toChannelsFirst<T extends NumericArray>(data: T, n: number, c: number, s: number): T {
  return swapLastAxes(data, n, s, c);
}

/** [N, C, S] -> [N, S, C]. */
export function toChannelsLast<T extends NumericArray>(data: T, n: number, c: number, s: number): T {
  return swapLastAxes(data, n, c, s);
}
