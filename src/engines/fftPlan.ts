// Plans for the FFT engine: 5-smooth transform sizes (scipy's next_fast_len), their radix
// stages and twiddle tables (computed once per size and cached), and the overlap-save tiling
// that a cost model, calibrated on this engine's measured speed, finds cheapest.
import type { DType } from '../core/tensor';

type Shape3 = readonly [number, number, number];

const RADICES = [4, 2, 3, 5];

/** The smallest 2^a 3^b 5^c >= n (a multiple of `multiple`, itself 5-smooth): scipy's next_fast_len for real transforms. */
export function nextFastLength(n: number, multiple = 1): number {
  for (let m = Math.max(1, Math.ceil(n / multiple)) * multiple; ; m += multiple) {
    let r = m;
    for (const p of [2, 3, 5]) while (r % p === 0) r /= p;
    if (r === 1) return m;
  }
}

/** Radices of a 5-smooth n, fours first (fewest passes). */
export function factorize(n: number): number[] {
  const out: number[] = [];
  let r = n;
  while (r % 4 === 0) (out.push(4), (r /= 4));
  for (const p of [2, 3, 5]) while (r % p === 0) (out.push(p), (r /= p));
  if (r !== 1) throw new Error(`factorize: ${n} is not 5-smooth`);
  return out;
}

/** A transform length's stage table ((radix, L) pairs in forward order) and twiddles ((cos, -sin) per stage, [j][p - 1]). */
export interface Transform {
  n: number;
  stages: Int32Array;
  twiddles: Float64Array;
}

const transforms = new Map<number, Transform>();

export function transform(n: number): Transform {
  let t = transforms.get(n);
  if (t) return t;
  const radices = factorize(n);
  const stages = new Int32Array(2 * radices.length);
  const tw: number[] = [];
  let L = n;
  radices.forEach((r, s) => {
    stages[2 * s] = r;
    stages[2 * s + 1] = L;
    const m = L / r;
    for (let j = 0; j < m; j++) {
      for (let p = 1; p < r; p++) {
        const a = (2 * Math.PI * p * j) / L;
        tw.push(Math.cos(a), -Math.sin(a));
      }
    }
    L = m;
  });
  t = { n, stages, twiddles: Float64Array.from(tw) };
  transforms.set(n, t);
  return t;
}

/** Overlap-save tiling of a padded input of shape `padded` by a kernel of shape `kernel`. */
export interface Tiling {
  /** Transform (tile) size per axis; the last a multiple of 4. */
  F: [number, number, number];
  /** Valid outputs per tile and axis: F - K + 1, also the tiles' stride. */
  V: [number, number, number];
  /** Tiles per axis. */
  N: [number, number, number];
  /** Tile pairs side by side in a plane (a multiple of 4). */
  T: number;
  /** The padded input extended with zeros so every tile window lies inside it. */
  extent: [number, number, number];
  /** Estimated milliseconds. */
  cost: number;
}

/**
 * Cost constants of this engine, measured with bench/calibrate.mjs (nanoseconds): per plane
 * element and radix-2 level of the transforms (forward, multiply and inverse of a tile pair
 * group), per plane element moved by the gather and scatter, and per padded input element.
 * Planes larger than the cache budget pay the slowdown factor.
 */
export const FFT_COST = {
  wasm: { float32: { perLevel: 0.52, perElement: 1.9, perInput: 1.6 }, float64: { perLevel: 0.95, perElement: 3.2, perInput: 2.6 } },
  js: { float32: { perLevel: 14, perElement: 22, perInput: 6 }, float64: { perLevel: 14, perElement: 22, perInput: 6 } },
  cacheBytes: 1 << 20,
  cacheSlowdown: 1.6,
} as const;

/** Candidate transform sizes for one axis: 5-smooth lengths from the kernel's to the whole padded extent. */
function candidates(K: number, P: number, last: boolean): number[] {
  const multiple = last ? 4 : 1;
  const out = new Set<number>();
  if (K === 1 && !last) out.add(1);
  const full = nextFastLength(P, multiple);
  for (let f = nextFastLength(Math.max(K, last ? 4 : 1), multiple); f <= full; f = nextFastLength(f + 1, multiple)) {
    // Tiles much longer than twice the kernel only pay off when they cover the whole axis.
    if (f > 16 * K && f < full && f > 64) continue;
    out.add(f);
  }
  out.add(full);
  return [...out].sort((a, b) => a - b);
}

/** The cheapest tiling of `padded` for `kernel`, by the cost model. */
export function planTiling(padded: Shape3, kernel: Shape3, dtype: DType, backend: 'wasm' | 'js'): Tiling {
  const c = FFT_COST[backend][dtype];
  const bytes = dtype === 'float64' ? 8 : 4;
  const valid = padded.map((p, a) => p - kernel[a] + 1);
  const axes = [0, 1, 2].map((a) => candidates(kernel[a], padded[a], a === 2));
  let best: Tiling | null = null;
  for (const F0 of axes[0]) {
    for (const F1 of axes[1]) {
      for (const F2 of axes[2]) {
        const F: [number, number, number] = [F0, F1, F2];
        const V = F.map((f, a) => f - kernel[a] + 1) as [number, number, number];
        const N = V.map((v, a) => Math.ceil(valid[a] / v)) as [number, number, number];
        const tiles = N[0] * N[1] * N[2];
        const size = F0 * F1 * F2;
        const levels = F.reduce((s, f) => s + Math.log2(f), 0);
        for (const T of [4, 8, 16]) {
          if (T > 4 && 2 * (T - 4) >= tiles) break;
          const plane = size * T;
          const slow = 4 * plane * bytes > FFT_COST.cacheBytes ? FFT_COST.cacheSlowdown : 1;
          const groups = Math.ceil(tiles / (2 * T));
          const extent = N.map((n, a) => (n - 1) * V[a] + F[a]) as [number, number, number];
          const work = (groups + 0.5) * plane * (c.perLevel * levels + c.perElement) * slow;
          const cost = (work + c.perInput * extent[0] * extent[1] * extent[2]) * 1e-6;
          if (!best || cost < best.cost) best = { F, V, N, T, extent, cost };
        }
      }
    }
  }
  return best as Tiling;
}
