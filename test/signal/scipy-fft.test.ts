// scipy's FFT convolutions (scripts/gen_scipy_fft_fixtures.py): fftconvolve, oaconvolve and
// convolve / correlate with method 'fft', on every backend, float64 and float32. Compared within
// the FFT's error bound, relative to the scale of each problem (its largest sum of |products|):
// 1e-12 in float64, 1e-5 in float32. Integer inputs, whose exact results are integers, come back
// within 1e-9 of them in float64, relative to their magnitude (1 at least).
import { describe, expect, test } from 'vitest';
import * as simdconv from '../../src/index';
import { SimdconvError } from '../../src/index';
import { BACKENDS, useBackend } from '../helpers/backends';
import { loadFixtures, tensorOf, type EncodedTensor, type FixtureCase } from '../helpers/fixtures';

type FftCase = FixtureCase & { scale?: number };
const cases = loadFixtures('scipy-fft.json') as FftCase[];
const FNS = ['fftconvolve', 'oaconvolve', 'convolve', 'correlate'] as const;
const BOUND = { float64: 1e-12, float32: 1e-5 } as const;

function run(c: FftCase): simdconv.Tensor {
  const [a, b] = (c.args as EncodedTensor[]).map((t) => tensorOf(t, c.dtype));
  return simdconv[c.fn as (typeof FNS)[number]](a, b, c.opts as never);
}

const integerInputs = (c: FftCase) => (c.args as EncodedTensor[]).every((t) => t.data.every((v) => typeof v === 'number' && Number.isInteger(v)));

test('the fixtures cover every function and mode, axes, float64 and float32, and errors', () => {
  for (const fn of FNS) {
    for (const mode of ['full', 'same', 'valid']) {
      for (const dtype of ['float32', 'float64']) expect(cases.some((c) => c.fn === fn && c.opts.mode === mode && c.dtype === dtype && c.expected), `${fn} ${mode} ${dtype}`).toBe(true);
    }
  }
  expect(cases.filter((c) => c.opts.axes !== undefined && c.expected).length).toBeGreaterThan(40);
  expect(cases.some((c) => c.error)).toBe(true);
  // Transform-sized problems: long 1-D signals, 2-D up to ~100x100 with 33x33 kernels, 3-D.
  const sizes = cases.map((c) => (c.args as EncodedTensor[]).map((t) => t.data.length));
  expect(sizes.some(([a, b]) => a >= 2000 && b >= 300)).toBe(true);
  expect(sizes.some(([a, b]) => a >= 9600 && b >= 1089)).toBe(true);
});

for (const backend of BACKENDS) {
  describe(`scipy FFT fixtures on ${backend}`, () => {
    useBackend(backend);
    for (const fn of FNS) {
      test(`${fn}: shapes and values within the FFT bound`, () => {
        let worst = 0;
        for (const c of cases.filter((x) => x.fn === fn && x.expected)) {
          const got = run(c);
          const exp = c.expected as EncodedTensor;
          expect(got.shape, c.id).toEqual(exp.shape);
          expect(got.data, c.id).toBeInstanceOf(c.dtype === 'float64' ? Float64Array : Float32Array);
          const tol = BOUND[c.dtype] * (c.scale ?? 0) + 1e-300;
          const integers = c.dtype === 'float64' && integerInputs(c);
          let bad = '';
          for (let i = 0; i < got.data.length && !bad; i++) {
            const e = exp.data[i] as number;
            const err = Math.abs(got.data[i] - e);
            if (!(err <= tol)) bad = `[${i}] ${got.data[i]} vs ${e}, tolerance ${tol}`;
            if (integers) {
              const rel = err / Math.max(1, Math.abs(e));
              if (!(rel <= 1e-9)) bad = `[${i}] ${got.data[i]} vs the exact ${e}`;
              worst = Math.max(worst, rel);
            }
          }
          expect(bad, c.id).toBe('');
        }
        expect(worst).toBeLessThan(1e-9);
      });

      test(`${fn}: refuses what scipy refuses`, () => {
        for (const c of cases.filter((x) => x.fn === fn && x.error)) expect(() => run(c), `${c.id} (scipy: ${c.error})`).toThrow(SimdconvError);
      });
    }
  });
}
