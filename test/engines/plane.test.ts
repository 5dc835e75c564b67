// The plane engine's bands and chunks against a float64 loop over the padded definition: images
// tall enough for several bands, 1-D signals long enough for several chunks, every boundary,
// kernels with odd and even sides, interleaved channels, and `out` that is the input itself.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { paddedShape, sourceIndex, type PadMode } from '../../src/core/padding';
import { bandSize, runCorrelation, type CorrelationJob } from '../../src/engines/plane';
import { ready } from '../../src/index';
import { BACKENDS, useBackend } from '../helpers/backends';

await ready();

// The sizes below make several bands and chunks of 512 KB; the library's own bands are larger.
const libraryBand = bandSize.bytes;
beforeAll(() => void (bandSize.bytes = 512 * 1024));
afterAll(() => void (bandSize.bytes = libraryBand));

function random(n: number, seed: number, Type: Float32ArrayConstructor | Float64ArrayConstructor): Float32Array | Float64Array {
  const out = new Type(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 8) / (1 << 24) - 0.5;
  }
  return out;
}

/** The definition: every output of the valid correlation of the padded input, in float64, and the largest sum of |products|. */
function reference(job: CorrelationJob): { want: Float64Array; scale: number } {
  const C = job.channels ?? 1;
  const [, h, w] = job.inputShape;
  const [, kh, kw] = job.kernelShape;
  const [, ph, pw] = paddedShape(job.inputShape, job.padding);
  const [oh, ow] = [ph - kh + 1, pw - kw + 1];
  const want = new Float64Array(oh * ow * C);
  const k = (u: number, v: number) => (job.flipKernel ? job.kernel[kh * kw - 1 - (u * kw + v)] : job.kernel[u * kw + v]);
  let scale = 0;
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      for (let c = 0; c < C; c++) {
        let s = 0;
        let a = 0;
        for (let u = 0; u < kh; u++) {
          const sy = sourceIndex(i + u, h, job.padding.before[1], job.padding.mode);
          for (let v = 0; v < kw; v++) {
            const sx = sourceIndex(j + v, w, job.padding.before[2], job.padding.mode);
            const x = sy < 0 || sx < 0 ? job.padding.value : job.input[(sy * w + sx) * C + c];
            s += k(u, v) * x;
            a += Math.abs(k(u, v) * x);
          }
        }
        want[(i * ow + j) * C + c] = s;
        scale = Math.max(scale, a);
      }
    }
  }
  return { want, scale };
}

function job(h: number, w: number, kh: number, kw: number, mode: PadMode, C: number, dtype: 'float32' | 'float64', seed: number, before = [(kh - 1) >> 1, (kw - 1) >> 1]): CorrelationJob {
  const Type = dtype === 'float32' ? Float32Array : Float64Array;
  return {
    dtype,
    input: random(h * w * C, seed, Type),
    inputShape: [1, h, w],
    padding: { before: [0, before[0], before[1]], after: [0, kh - 1 - before[0], kw - 1 - before[1]], mode, value: mode === 'constant' ? 0.25 : 0 },
    kernel: random(kh * kw, seed + 1, Type),
    kernelShape: [1, kh, kw],
    flipKernel: seed % 2 === 1,
    channels: C,
  };
}

function expectClose(got: ArrayLike<number>, { want, scale }: { want: Float64Array; scale: number }, dtype: string): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  expect(worst).toBeLessThanOrEqual((dtype === 'float32' ? 1e-5 : 1e-12) * scale);
}

const MODES: PadMode[] = ['constant', 'wrap', 'symmetric', 'reflect', 'edge'];

for (const backend of BACKENDS) {
  describe(`plane engine bands on ${backend}`, () => {
    useBackend(backend);
    // 700 rows of 190 float32 samples make bands of 336 rows: three bands, the last one short.
    const cases: [number, number, number, number, number][] = [
      [700, 190, 3, 3, 1],
      [700, 190, 4, 5, 1],
      [700, 190, 7, 1, 1],
      [700, 190, 1, 6, 1],
      // An odd row kernel: its last tap is left over after the pairs.
      [120, 190, 1, 7, 1],
      [350, 60, 3, 3, 4],
      [350, 61, 5, 2, 3],
    ];
    for (const [h, w, kh, kw, C] of cases) {
      test(`${h}x${w}x${C} with a ${kh}x${kw} kernel, every border`, () => {
        MODES.forEach((mode, m) => {
          for (const dtype of ['float32', 'float64'] as const) {
            const j = job(h, w, kh, kw, mode, C, dtype, 10 * m + kh);
            expectClose(runCorrelation(j), reference(j), dtype);
          }
        });
      });
    }

    test("'full' and 'valid' geometry (padding kh - 1 and 0 on each side)", () => {
      for (const before of [[4, 2], [0, 0]]) {
        const j = job(500, 77, 5, 3, 'constant', 1, 'float32', 3, before);
        if (before[0] === 4) j.padding = { ...j.padding, after: [0, 4, 2] };
        else j.padding = { ...j.padding, after: [0, 0, 0] };
        expectClose(runCorrelation(j), reference(j), 'float32');
      }
    });

    test('out may be the input itself: every sample is read before it is overwritten', () => {
      for (const [kh, kw, C] of [[3, 3, 1], [5, 4, 1], [3, 3, 4]]) {
        const j = job(700, 190, kh, kw, 'reflect', C, 'float32', 5);
        const ref = reference(j);
        const out = j.input as Float32Array;
        expect(runCorrelation(j, out)).toBe(out);
        expectClose(out, ref, 'float32');
      }
    });

    test('out overlapping the input at another offset still gets the right answer', () => {
      const j = job(400, 190, 3, 3, 'constant', 1, 'float32', 7);
      const buffer = new Float32Array(400 * 190 + 190);
      buffer.set(j.input, 0);
      const ref = reference({ ...j, input: buffer.subarray(0, 400 * 190) });
      const out = buffer.subarray(190, 190 + 400 * 190);
      runCorrelation({ ...j, input: buffer.subarray(0, 400 * 190) }, out);
      expectClose(out, ref, 'float32');
    });

    test('a 1-D signal longer than a chunk, with ends reaching into every border', () => {
      MODES.forEach((mode, m) => {
        for (const kw of [31, 4]) {
          const j = job(1, 150001, 1, kw, mode, 1, 'float32', m + kw);
          expectClose(runCorrelation(j), reference(j), 'float32');
        }
      });
    });
  });
}
