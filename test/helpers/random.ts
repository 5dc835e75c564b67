/** n samples in [-0.5, 0.5) * scale from a seeded LCG: the same data on every run and host. */
export function random(n: number, seed: number, scale = 1): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s >>> 8) / (1 << 24) - 0.5) * scale;
  }
  return out;
}
