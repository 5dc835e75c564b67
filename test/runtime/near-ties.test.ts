// The near-tie scan (assembly/bytes.ts nearTies, and its fallback in runtime/fallback.ts) on crafted values: the two
// backends list the same samples, the bound is inclusive and not narrowed by float32, and a full
// batch resumes where it stopped.
import fc from 'fast-check';
import { beforeAll, expect, test } from 'vitest';
import { FLOAT32_ONLY } from '../../src/runtime/abi';
import { current } from '../../src/runtime/backend';
import { ready } from '../../src/index';
import { BACKENDS, onBackend } from '../helpers/backends';

beforeAll(() => ready());

/** Every index the float32 scan lists for `values`, cap indices per call, resuming after the last. */
function scan(backend: (typeof BACKENDS)[number], values: number[], bound: number, cap: number): number[] {
  return onBackend(backend, () => {
    const b = current();
    const { bytes, nearTies: run } = b.kernels('float32');
    const { src, dst } = b.arena.reserve({ src: values.length * bytes, dst: cap * 4 });
    b.arena.view('float32').set(values, src / bytes);
    const found: number[] = [];
    for (let from = 0; from < values.length; ) {
      const n = run(src, from, values.length, bound, dst, cap);
      const list = Array.from(b.arena.view('uint32').subarray(dst / 4, dst / 4 + n));
      found.push(...list);
      from = n === cap ? list[n - 1] + 1 : values.length;
    }
    return found;
  });
}

/** The definition, in float64 on the values as stored in float32. */
function expected(values: number[], bound: number): number[] {
  const stored = values.map(Math.fround);
  return stored.flatMap((v, i) => (Math.abs(v - Math.floor(v) - 0.5) <= bound ? [i] : []));
}

test('crafted float32 values: ties, the bound itself, negatives, NaN and infinities', () => {
  const bound = 2 ** -10;
  const values = [0.5, -0.5, 1.5, 254.5, 255.5, 0.5 + bound, 0.5 - bound, 0.5 + 2 * bound, 3, -3.25, NaN, Infinity, -Infinity, 1e9 + 0.5, 7.499, 7.5001];
  // Long enough for the vector loop and a scalar tail (four lanes).
  const all = [...values, ...values, 0.5];
  for (const backend of BACKENDS) expect(scan(backend, all, bound, 4096), backend).toEqual(expected(all, bound));
});

test('a float32 scan never narrows the bound below a value exactly at it', () => {
  // 0.1 has no float32 twin; a sample 0.1 away from the tie (rounded to float32) must still be listed when bound = that distance.
  const v = Math.fround(3.5 + 0.1);
  const bound = v - 3.5;
  for (const backend of BACKENDS) expect(scan(backend, [v, 1, 2, 3, 4], bound, 16), backend).toContain(0);
});

test('random float32 values: both backends list every sample within the bound and no other, in batches of any size', () => {
  const sample = fc.oneof(fc.integer({ min: -300, max: 300 }).map((n) => n / 2), fc.double({ min: -300, max: 300, noNaN: true }));
  fc.assert(
    fc.property(fc.array(sample, { minLength: 1, maxLength: 90 }), fc.constantFrom(0, 1e-6, 0.01, 0.3), fc.integer({ min: 1, max: 7 }), (values, bound, cap) => {
      // Every sample within the bound is listed; the float32 kernel may add one a float32 ulp of the bound past it.
      const must = expected(values, bound);
      const may = expected(values, bound * (1 + 2 ** -22));
      for (const backend of BACKENDS) {
        const got = scan(backend, values, bound, cap);
        expect(got.filter((i) => !may.includes(i)), backend).toEqual([]);
        expect(must.filter((i) => !got.includes(i)), backend).toEqual([]);
        expect([...new Set(got)].sort((a, b) => a - b), backend).toEqual(got);
      }
    }),
    { numRuns: 200, seed: 11 },
  );
});

test('the kernels only image results use are float32 alone: every float64 set refuses them', () => {
  for (const backend of BACKENDS) {
    onBackend(backend, () => {
      const k = current().kernels('float64');
      for (const name of FLOAT32_ONLY) expect(() => (k[name] as (...a: number[]) => unknown)(0, 0, 0, 0, 0, 0), `${backend} ${name}`).toThrow(/float32/);
      expect(typeof current().kernels('float32')[FLOAT32_ONLY[0]]).toBe('function');
    });
  }
});
