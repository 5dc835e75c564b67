// Plans for the FFT engine: 5-smooth transform sizes (scipy's next_fast_len), their radix
// stages and twiddle tables (computed once per size and cached), and the overlap-save tiling
// that a cost model, calibrated on this engine's measured speed, finds cheapest.
import type { DType } from '../core/tensor';

type Shape3 = readonly [number, number, number];

/** Every 2^a 3^b 5^c up to 2^31, ascending (about 1,500 of them). */
const SMOOTH: number[] = (() => {
  const out: number[] = [];
  for (let a = 1; a <= 2 ** 31; a *= 2) for (let b = a; b <= 2 ** 31; b *= 3) for (let c = b; c <= 2 ** 31; c *= 5) out.push(c);
  return out.sort((x, y) => x - y);
})();

/** Index of the first 5-smooth number >= n. */
function smoothIndex(n: number): number {
  let lo = 0;
  let hi = SMOOTH.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (SMOOTH[mid] < n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The smallest 2^a 3^b 5^c >= n that is a multiple of `multiple` (1 or 4): scipy's next_fast_len for real transforms. */
export function nextFastLength(n: number, multiple = 1): number {
  for (let i = smoothIndex(Math.max(1, n)); i < SMOOTH.length; i++) if (SMOOTH[i] % multiple === 0) return SMOOTH[i];
  throw new Error(`nextFastLength: ${n} is beyond 2^31`);
}

/**
 * Radices of a 5-smooth n in forward order: as many fours as possible (fewest passes), and a
 * leftover two first, where its butterflies span half the block (a radix-2 stage at the end, one
 * butterfly per block, is mostly loop overhead).
 */
export function factorize(n: number): number[] {
  const out: number[] = [];
  let r = n;
  while (r % 4 === 0) (out.push(4), (r /= 4));
  if (r % 2 === 0) (out.unshift(2), (r /= 2));
  for (const p of [3, 5]) while (r % p === 0) (out.push(p), (r /= p));
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
  /** Estimated milliseconds. */
  cost: number;
}

type StageCosts = Readonly<Record<2 | 3 | 4 | 5, number>>;
interface Costs {
  stage: StageCosts;
  /** Per butterfly iteration of the last axis's stages, whose inner loop is only T lanes long. */
  perIteration: number;
  perElement: number;
  perSample: number;
  /** Milliseconds per call: planning, the arena, the kernel spectrum lookup. */
  perCall: number;
}

/**
 * Cost constants of this engine (nanoseconds), measured with bench/calibrate.mjs: per plane
 * element and transform stage of each radix (forward and inverse alike), per butterfly iteration
 * of the last axis (whose inner loop covers only the T lanes, so its twiddle loads and loop
 * control are paid per few elements: more lanes amortise them), per plane element of a tile
 * group's other passes (gather, spectrum product, scatter), and per input or output sample
 * copied, and per call. Planes larger than the cache budget pay the slowdown factor.
 */
export const FFT_COST: { wasm: Record<DType, Costs>; js: Record<DType, Costs>; cacheBytes: number; cacheSlowdown: number } = {
  wasm: {
    float32: { stage: { 2: 0.35, 3: 0.5, 4: 0.45, 5: 0.8 }, perIteration: 5, perElement: 1.5, perSample: 1, perCall: 0.012 },
    float64: { stage: { 2: 0.7, 3: 1, 4: 0.9, 5: 1.6 }, perIteration: 6, perElement: 3, perSample: 2, perCall: 0.012 },
  },
  js: {
    float32: { stage: { 2: 10, 3: 14, 4: 14, 5: 20 }, perIteration: 0, perElement: 20, perSample: 3, perCall: 0.03 },
    float64: { stage: { 2: 10, 3: 14, 4: 14, 5: 20 }, perIteration: 0, perElement: 20, perSample: 3, perCall: 0.03 },
  },
  cacheBytes: 1 << 24,
  cacheSlowdown: 1.3,
};

/** Per axis length: its weighted stages (forward and inverse), and its butterflies per position as the last axis. */
function axisCosts(c: Costs, f: number): { stages: number; iterations: number } {
  if (f === 1) return { stages: 0, iterations: 0 };
  const radices = factorize(f);
  return { stages: radices.reduce((s, r) => s + 2 * c.stage[r as 2 | 3 | 4 | 5], 0), iterations: radices.reduce((s, r) => s + 2 / r, 0) };
}

/** Estimated milliseconds of overlap-save with transform sizes F and T lanes over `tiles` tiles, copying `samples` in and out. */
export function tilingCost(F: readonly number[], T: number, tiles: number, samples: number, dtype: DType, backend: 'wasm' | 'js'): number {
  const c = FFT_COST[backend][dtype];
  return costOf(c, F, axisCosts(c, F[0]).stages + axisCosts(c, F[1]).stages + axisCosts(c, F[2]).stages, axisCosts(c, F[2]).iterations, T, tiles, samples, dtype);
}

function costOf(c: Costs, F: readonly number[], stages: number, lastIterations: number, T: number, tiles: number, samples: number, dtype: DType): number {
  const positions = F[0] * F[1] * F[2];
  const plane = positions * T;
  const bytes = dtype === 'float64' ? 8 : 4;
  const slow = 2 * plane * bytes > FFT_COST.cacheBytes ? FFT_COST.cacheSlowdown : 1;
  // Tile-pair groups, and about half a group more for the kernel's own transform.
  const groups = Math.ceil(tiles / (2 * T)) + 0.5;
  return (groups * (plane * (stages + c.perElement) * slow + positions * lastIterations * c.perIteration) + c.perSample * samples) * 1e-6 + c.perCall;
}

/**
 * Candidate transform sizes for one axis: 5-smooth lengths (multiples of 4 on the last axis) from
 * the kernel's up to 16 times it (or 64), and the one that covers the whole padded extent.
 */
function candidates(K: number, P: number, last: boolean): number[] {
  const multiple = last ? 4 : 1;
  const out = new Set<number>();
  if (K === 1 && !last) out.add(1);
  const full = nextFastLength(P, multiple);
  const cap = Math.min(full, Math.max(16 * K, 64));
  for (let i = smoothIndex(Math.max(K, multiple)); i < SMOOTH.length && SMOOTH[i] <= cap; i++) if (SMOOTH[i] % multiple === 0) out.add(SMOOTH[i]);
  out.add(full);
  return [...out].sort((a, b) => a - b);
}

const plans = new Map<string, Tiling>();

/** Forgets the remembered transforms and tilings (release()). */
export function forgetPlans(): void {
  transforms.clear();
  plans.clear();
}

/** The cheapest tiling of `padded` for `kernel`, by the cost model (remembered per shape). */
export function planTiling(padded: Shape3, kernel: Shape3, dtype: DType, backend: 'wasm' | 'js', inputSamples = padded[0] * padded[1] * padded[2]): Tiling {
  const key = `${padded}:${kernel}:${dtype}:${backend}:${inputSamples}`;
  let plan = plans.get(key);
  if (!plan) {
    plan = cheapestTiling(padded, kernel, dtype, backend, inputSamples);
    if (plans.size > 256) plans.clear();
    plans.set(key, plan);
  }
  return plan;
}

function cheapestTiling(padded: Shape3, kernel: Shape3, dtype: DType, backend: 'wasm' | 'js', inputSamples: number): Tiling {
  const valid = padded.map((p, a) => p - kernel[a] + 1);
  const samples = inputSamples + valid[0] * valid[1] * valid[2];
  const c = FFT_COST[backend][dtype];
  const axes = [0, 1, 2].map((a) => candidates(kernel[a], padded[a], a === 2).map((f) => ({ f, n: Math.ceil(valid[a] / (f - kernel[a] + 1)), ...axisCosts(c, f) })));
  let best: Tiling | null = null;
  for (const x0 of axes[0]) {
    for (const x1 of axes[1]) {
      for (const x2 of axes[2]) {
        const F = [x0.f, x1.f, x2.f];
        const tiles = x0.n * x1.n * x2.n;
        for (const T of [4, 8, 16, 32]) {
          if (T > 4 && T >= tiles) break;
          const cost = costOf(c, F, x0.stages + x1.stages + x2.stages, x2.iterations, T, tiles, samples, dtype);
          if (!best || cost < best.cost) {
            const V = F.map((f, a) => f - kernel[a] + 1) as [number, number, number];
            best = { F: F as [number, number, number], V, N: [x0.n, x1.n, x2.n], T, cost };
          }
        }
      }
    }
  }
  return best as Tiling;
}
