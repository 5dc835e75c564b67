// Each backend's addScalar kernel (a layer's bias added to a plane in place) against plain
// element arithmetic: every element of the run and none outside it, the value rounded to the
// element type first, for runs of every length a vector loop splits into blocks, vectors and a tail.
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { ready } from '../../src/index';
import { current } from '../../src/runtime/backend';
import { BACKENDS, useBackend } from '../helpers/backends';

beforeAll(() => ready());

for (const backend of BACKENDS) {
  describe(`addScalar on ${backend}`, () => {
    useBackend(backend);

    test('adds the value to the n elements at ptr, rounded as the element type rounds, and touches nothing else', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 70 }),
          fc.integer({ min: 0, max: 5 }),
          fc.constantFrom(0.1, -3.75, 1e-30, -0, Number.NaN, Infinity),
          fc.constantFrom('float32' as const, 'float64' as const),
          (n, skew, value, dtype) => {
            const { arena } = current();
            const kernels = current().kernels(dtype);
            const at = arena.reserve({ block: (n + 16) * kernels.bytes }).block / kernels.bytes;
            const heap = arena.view(dtype);
            const make = (f: (i: number) => number) => {
              const a = dtype === 'float32' ? new Float32Array(n + 16) : new Float64Array(n + 16);
              for (let i = 0; i < a.length; i++) a[i] = f(i);
              return a;
            };
            const before = make((i) => Math.sin(i * 1.3) * 10 ** ((i % 7) - 3));
            heap.set(before, at);
            kernels.addScalar((at + skew) * kernels.bytes, n, value);
            const v = dtype === 'float32' ? Math.fround(value) : value;
            const want = make((i) => (i >= skew && i < skew + n ? before[i] + v : before[i]));
            const got = heap.slice(at, at + n + 16);
            for (let i = 0; i < want.length; i++) expect(Object.is(got[i], want[i]), `element ${i}`).toBe(true);
          },
        ),
        { numRuns: 150 },
      );
    });
  });
}
