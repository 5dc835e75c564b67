// padInto's row moves by each backend's spreadRows kernel (engines/spread.ts) against padInto's
// own JS moves: the same padded block, sample for sample, for every border mode, bands of taller
// planes, grids with extra zeros and channels-last pixels.
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { padInto, paddedShape, type PadMode } from '../../src/core/padding';
import { ready } from '../../src/index';
import { current } from '../../src/runtime/backend';
import { spreader } from '../../src/engines/spread';
import { BACKENDS, useBackend } from '../helpers/backends';

beforeAll(() => ready());

const MODES: PadMode[] = ['constant', 'wrap', 'symmetric', 'reflect', 'edge'];

for (const backend of BACKENDS) {
  describe(`spreadRows on ${backend}`, () => {
    useBackend(backend);

    test('pads exactly as the JS moves do', () => {
      fc.assert(
        fc.property(
          fc.record({
            d: fc.integer({ min: 1, max: 4 }),
            h: fc.integer({ min: 1, max: 9 }),
            w: fc.integer({ min: 1, max: 12 }),
            elem: fc.constantFrom(1, 3),
            extraRows: fc.integer({ min: 0, max: 5 }),
            before: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })),
            after: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })),
            mode: fc.constantFrom(...MODES),
            value: fc.constantFrom(0, -2.5, Number.NaN),
            grid: fc.boolean(),
            dtype: fc.constantFrom('float32' as const, 'float64' as const),
          }),
          ({ d, h, w, elem, extraRows, before, after, mode, value, grid, dtype }) => {
            // Reflecting borders need the pads inside the block, as the families require.
            const fit = (p: number, n: number) => (mode === 'constant' ? p : Math.min(p, mode === 'reflect' ? n - 1 : n));
            const b = [fit(before[0], d), fit(before[1], h), fit(before[2], w)] as const;
            const a = [fit(after[0], d), fit(after[1], h), fit(after[2], w)] as const;
            const pad = { before: b, after: a, mode, value };
            const shape = [d, h, w] as const;
            const padded = paddedShape(shape, pad);
            const g = grid ? ([padded[0], padded[1] + 1, padded[2] + 2] as const) : undefined;
            // A band of rows of taller planes: planes (h + extraRows) rows apart, the band starting a row in.
            const srcPlane = (h + extraRows) * w * elem;
            const src = Float64Array.from({ length: d * srcPlane + w * elem }, (_, i) => Math.sin(i * 0.7) * 10);
            const band = src.subarray(Math.min(extraRows, 1) * w * elem);
            const [gd, gh, gw] = g ?? padded;
            const size = gd * gh * gw * elem;
            const expected = new (dtype === 'float32' ? Float32Array : Float64Array)(size + 8).fill(7);
            padInto(band, shape, pad, expected, 4, elem, g, srcPlane);
            const { arena } = current();
            const kernels = current().kernels(dtype);
            const at = arena.reserve({ block: (size + 8) * kernels.bytes }).block / kernels.bytes;
            const heap = arena.view(dtype);
            heap.fill(7, at, at + size + 8);
            padInto(band, shape, pad, heap, at + 4, elem, g, srcPlane, spreader(kernels));
            expect(Array.from(heap.subarray(at, at + size + 8))).toEqual(Array.from(expected));
          },
        ),
        { numRuns: 400 },
      );
    });
  });
}
