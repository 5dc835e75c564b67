import type { NumericArray } from './tensor';

type Constructor = { new (length: number): NumericArray };

/**
 * [N, S, C] -> [N, C, S] (channels last to channels first; S is the product of the spatial
 * axes). Returns an array of the same type, for the layer functions that compute channels first.
 */
export function toChannelsFirst<T extends NumericArray>(data: T, n: number, c: number, s: number): T {
  const out = new (data.constructor as Constructor)(data.length) as T;
  for (let b = 0; b < n; b++) {
    const base = b * c * s;
    for (let i = 0; i < s; i++) {
      for (let ch = 0; ch < c; ch++) out[base + ch * s + i] = data[base + i * c + ch];
    }
  }
  return out;
}

/** [N, C, S] -> [N, S, C], the inverse of toChannelsFirst. */
export function toChannelsLast<T extends NumericArray>(data: T, n: number, c: number, s: number): T {
  const out = new (data.constructor as Constructor)(data.length) as T;
  for (let b = 0; b < n; b++) {
    const base = b * c * s;
    for (let ch = 0; ch < c; ch++) {
      for (let i = 0; i < s; i++) out[base + i * c + ch] = data[base + ch * s + i];
    }
  }
  return out;
}
