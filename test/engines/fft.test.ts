// The FFT engine against the direct engine on the same correlation jobs: every pad mode, 1-D to
// 3-D, kernels flipped or not, batches, on both backends. Float64 agrees to 1e-12 of the scale of
// the problem (the largest sum of |products|), float32 to 2e-6 of it.
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import type { PadMode } from '../../src/core/padding';
import { fftTiling, runFftCorrelation, type FftJob } from '../../src/engines/fft';
import { factorize, nextFastLength, transform } from '../../src/engines/fftPlan';
import { runCorrelation } from '../../src/engines/plane';
import { ready } from '../../src/index';
import { BACKENDS, onBackend } from '../helpers/backends';

beforeAll(() => ready());

function randomData(n: number, seed: number, dtype: 'float32' | 'float64'): Float32Array | Float64Array {
  const out = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 8) / (1 << 24) - 0.5;
  }
  return out;
}

/** The largest sum of |products| of any output: the scale errors are measured against. */
function scale(job: FftJob): number {
  const absJob = { ...job, input: job.input.map(Math.abs), kernel: job.kernel.map(Math.abs), padding: { ...job.padding, value: Math.abs(job.padding.value) } } as FftJob;
  return Math.max(...runCorrelation({ ...absJob, dtype: 'float64', input: Float64Array.from(absJob.input), kernel: Float64Array.from(absJob.kernel) }));
}

function check(job: FftJob, rel: number): void {
  const direct = runCorrelation(job);
  const fft = runFftCorrelation(job);
  expect(fft.length).toBe(direct.length);
  const s = scale(job);
  let worst = 0;
  for (let i = 0; i < fft.length; i++) worst = Math.max(worst, Math.abs(fft[i] - direct[i]));
  expect(worst, `worst ${worst} against scale ${s}`).toBeLessThanOrEqual(rel * s + 1e-300);
}

test('next_fast_len and the radix stages', () => {
  expect([1, 7, 11, 13, 17, 31, 97, 1054, 1025].map((n) => nextFastLength(n))).toEqual([1, 8, 12, 15, 18, 32, 100, 1080, 1080]);
  expect(nextFastLength(13, 4)).toBe(16);
  expect(factorize(1080)).toEqual([2, 4, 3, 3, 3, 5]);
  expect(factorize(128)).toEqual([2, 4, 4, 4]);
  const t = transform(12);
  expect(Array.from(t.stages)).toEqual([4, 12, 3, 3]);
  expect(t.twiddles.length).toBe(2 * (3 * 3 + 1 * 2));
});

for (const backend of BACKENDS) {
  describe(`FFT engine on ${backend}`, () => {
    const shapes = fc
      .record({
        dims: fc.constantFrom(1, 2, 3),
        n: fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 70 })),
        k: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 33 })),
        pad: fc.tuple(fc.nat(4), fc.nat(6), fc.nat(12)),
        mode: fc.constantFrom<PadMode>('constant', 'wrap', 'symmetric', 'reflect', 'edge'),
        flip: fc.boolean(),
        dtype: fc.constantFrom<'float32' | 'float64'>('float32', 'float64'),
        seed: fc.nat(),
      })
      .map((r) => {
        const lead = 3 - r.dims;
        const n = r.n.map((v, a) => (a < lead ? 1 : v)) as [number, number, number];
        const k = r.k.map((v, a) => (a < lead ? 1 : v)) as [number, number, number];
        const pad = r.pad.map((v, a) => (a < lead ? 0 : v)) as [number, number, number];
        return { ...r, n, k, pad };
      })
      .filter((r) => r.n.every((v, a) => v + 2 * r.pad[a] >= r.k[a]) && (r.mode !== 'reflect' || r.n.every((v, a) => v > 1 || r.pad[a] === 0)));

    test('agrees with the direct engine on random jobs of every pad mode and rank', () => {
      fc.assert(
        fc.property(shapes, (r) => {
          const job: FftJob = {
            dtype: r.dtype,
            input: randomData(r.n[0] * r.n[1] * r.n[2], r.seed, r.dtype),
            inputShape: r.n,
            padding: { before: r.pad, after: [r.pad[0], r.pad[1] + 1, r.pad[2]].map((p, a) => (r.n[a] === 1 && r.k[a] === 1 ? 0 : p)) as never, mode: r.mode, value: r.seed % 2 ? 0.25 : 0 },
            kernel: randomData(r.k[0] * r.k[1] * r.k[2], r.seed + 1, r.dtype),
            kernelShape: r.k,
            flipKernel: r.flip,
          };
          onBackend(backend, () => check(job, r.dtype === 'float64' ? 1e-12 : 2e-6));
        }),
        { numRuns: backend === 'js' ? 25 : 120 },
      );
    });

    test('a batch of problems, with a shared input or a shared kernel', () => {
      for (const [inputStride, kernelStride] of [[40 * 37, 9 * 11], [0, 9 * 11], [40 * 37, 0]]) {
        const count = 5;
        const job: FftJob = {
          dtype: 'float64',
          input: randomData(count * 40 * 37, 3, 'float64'),
          inputShape: [1, 40, 37],
          padding: { before: [0, 4, 5], after: [0, 4, 5], mode: 'constant', value: 0 },
          kernel: randomData(count * 9 * 11, 4, 'float64'),
          kernelShape: [1, 9, 11],
          flipKernel: true,
          batch: { count, inputStride, kernelStride },
        };
        const fft = onBackend(backend, () => runFftCorrelation(job));
        const out = 40 * 37;
        for (let b = 0; b < count; b++) {
          const one = { ...job, batch: undefined, input: job.input.subarray(b * inputStride, b * inputStride + 40 * 37), kernel: job.kernel.subarray(b * kernelStride, b * kernelStride + 99) };
          const direct = onBackend(backend, () => runCorrelation(one));
          const s = scale(one);
          for (let i = 0; i < out; i++) expect(Math.abs(fft[b * out + i] - direct[i])).toBeLessThanOrEqual(1e-12 * s);
        }
      }
    });
  });
}

test("the FFT's error is bounded by the problem's scale, not each output's own: a dark corner beside a bright image", () => {
  for (const backend of BACKENDS) {
    for (const dtype of ['float32', 'float64'] as const) {
      const n = 96;
      const input = randomData(n * n, 11, dtype).map((v, i) => (i % n < 48 ? v * 1e4 : v * 1e-3));
      const job: FftJob = {
        dtype,
        input,
        inputShape: [1, n, n],
        padding: { before: [0, 8, 8], after: [0, 8, 8], mode: 'constant', value: 0 },
        kernel: randomData(17 * 17, 12, dtype),
        kernelShape: [1, 17, 17],
        flipKernel: false,
      };
      // Within the documented bound: 2e-6 (float32) or 1e-13 (float64) of the largest sum of |products|.
      onBackend(backend, () => check(job, dtype === 'float64' ? 1e-13 : 2e-6));
    }
  }
});

// The pool's runs of tiles (pool/split.ts fftTiles): any run starting on an even tile pairs its
// tiles as the whole call does, and a tile's bits depend on its partner, not on its lane; it
// copies in only the input rows its tiles read.
describe('runs of tiles', () => {
  for (const backend of BACKENDS) {
    for (const [H, W, K, dtype] of [[300, 280, 31, 'float32'], [211, 190, 25, 'float64']] as const) {
      test(`${backend}, ${H}x${W} with ${K}x${K} in ${dtype}: two runs cut at any even tile give the whole call's bits`, () => {
        onBackend(backend, () => {
          const Arr = (dtype === 'float32' ? Float32Array : Float64Array) as Float64ArrayConstructor;
          const h = K >> 1;
          const job: FftJob = {
            dtype,
            input: Arr.from({ length: H * W }, (_, i) => Math.sin(i * 1.3)),
            inputShape: [1, H, W],
            padding: { before: [0, h, h], after: [0, h, h], mode: 'constant', value: 0 },
            kernel: Arr.from({ length: K * K }, (_, i) => Math.cos(i * 0.7)),
            kernelShape: [1, K, K],
            flipKernel: false,
          };
          const plan = fftTiling(job);
          const whole = runFftCorrelation(job).slice();
          const tiles = plan.N[1] * plan.N[2];
          // NaNs staged first: a run that copied in too few input rows would read them.
          const poison = { ...job, input: new Arr(H * W).fill(Number.NaN) };
          const run = (cut: number) => {
            const out = new Arr(whole.length);
            runFftCorrelation(poison);
            runFftCorrelation({ ...job, tiling: { F: plan.F, T: plan.T }, tiles: [0, cut] }, out);
            runFftCorrelation(poison);
            runFftCorrelation({ ...job, tiling: { F: plan.F, T: plan.T }, tiles: [cut, tiles] }, out);
            return out;
          };
          for (let cut = 2; cut < tiles; cut += 4) expect(run(cut)).toEqual(whole);
          expect(() => run(1)).toThrow(/even tile/);
        });
      });
    }
  }
});
