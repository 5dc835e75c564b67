import { readFileSync } from 'node:fs';

export type Encoded = number | 'NaN' | 'Infinity' | '-Infinity';
export interface EncodedTensor {
  shape: number[];
  data: Encoded[];
}

export interface FixtureCase {
  id: string;
  fn: string;
  args: unknown[];
  opts: Record<string, unknown>;
  dtype: 'float32' | 'float64';
  expected?: EncodedTensor;
  absSum?: Encoded[];
  error?: string;
}

export function decode(x: Encoded): number {
  return typeof x === 'number' ? x : Number(x);
}

/** Fixture tensors become Float32Array/Float64Array tensors of the case's dtype, so the dtype rules pick it. */
export function tensorOf(t: EncodedTensor, dtype: 'float32' | 'float64'): { data: Float32Array | Float64Array; shape: number[] } {
  const data = dtype === 'float64' ? new Float64Array(t.data.length) : new Float32Array(t.data.length);
  t.data.forEach((v, i) => (data[i] = decode(v)));
  return { data, shape: t.shape };
}

export function loadFixtures(name: string): FixtureCase[] {
  const text = readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
  return (JSON.parse(text) as { cases: FixtureCase[] }).cases;
}

/** The backends' promised tolerances (README): relative to the sum of |products| of each output element. */
export const TOLERANCE = { float32: 1e-5, float64: 1e-12 } as const;

/**
 * First element where `got` differs from `expected` by more than rel * scale (NaN must meet NaN,
 * infinities must match exactly); null when all agree.
 */
export function mismatch(
  got: ArrayLike<number>,
  expected: ArrayLike<number>,
  scale: ArrayLike<number> | null,
  rel: number,
): string | null {
  if (got.length !== expected.length) return `length ${got.length} != ${expected.length}`;
  for (let i = 0; i < got.length; i++) {
    const g = got[i];
    const e = expected[i];
    if (Number.isNaN(e) || Number.isNaN(g) || !Number.isFinite(e) || !Number.isFinite(g)) {
      if (g !== e && !(Number.isNaN(g) && Number.isNaN(e))) return `[${i}] got ${g}, expected ${e}`;
      continue;
    }
    const s = scale ? Math.abs(scale[i]) : Math.abs(e);
    const tol = rel * s + 1e-300;
    if (Math.abs(g - e) > tol) return `[${i}] got ${g}, expected ${e} (tolerance ${tol})`;
  }
  return null;
}
