// scipy.signal / numpy golden fixtures (scripts/gen_scipy_fixtures.py), run on every backend.
import { describe, expect, test } from 'vitest';
import * as simdconv from '../../src/index';
import { SimdconvError, getBackend } from '../../src/index';
import { BACKENDS, useBackend } from '../helpers/backends';
import { TOLERANCE, decode, type Encoded, loadFixtures, mismatch, tensorOf, type EncodedTensor, type FixtureCase } from '../helpers/fixtures';

const cases = loadFixtures('scipy-signal.json');
const SIGNAL_FNS = ['convolve2d', 'correlate2d', 'convolve', 'correlate'] as const;
type SignalFn = (typeof SIGNAL_FNS)[number];

function run(c: FixtureCase): simdconv.Tensor {
  switch (c.fn) {
    case 'unitImpulse':
      return simdconv.unitImpulse(c.args[0] as number[], c.args[1] as never, c.opts as never);
    case 'flip':
      return simdconv.flip(tensorOf(c.args[0] as EncodedTensor, c.dtype), c.args[1] as never);
    default: {
      const [a, b] = c.args as EncodedTensor[];
      // fillvalue may be NaN or Infinity, which JSON carries as strings.
      const opts = { ...c.opts, ...('fillvalue' in c.opts ? { fillvalue: decode(c.opts.fillvalue as Encoded) } : {}) };
      return simdconv[c.fn as SignalFn](tensorOf(a, c.dtype), tensorOf(b, c.dtype), opts);
    }
  }
}

test('the fixture file covers every function, mode, boundary and dtype', () => {
  const ids = new Set(cases.map((c) => c.id));
  expect(ids.size).toBe(cases.length);
  for (const fn of [...SIGNAL_FNS, 'unitImpulse', 'flip']) expect(cases.some((c) => c.fn === fn)).toBe(true);
  for (const fn of ['convolve2d', 'correlate2d']) {
    for (const mode of ['full', 'same', 'valid']) {
      for (const boundary of ['fill', 'wrap', 'symm']) {
        for (const dtype of ['float32', 'float64']) {
          const n = cases.filter((c) => c.fn === fn && c.opts.mode === mode && c.opts.boundary === boundary && c.dtype === dtype && c.expected);
          expect(n.length, `${fn} ${mode} ${boundary} ${dtype}`).toBeGreaterThan(2);
        }
      }
    }
  }
  expect(cases.filter((c) => c.error).length).toBeGreaterThan(0);
});

for (const backend of BACKENDS) {
  describe(`scipy fixtures on ${backend}`, () => {
    useBackend(backend);

    test('runs on the backend it names', () => {
      expect(getBackend()).toBe(backend);
    });

    for (const c of cases) {
      test(c.id, () => {
        if (c.error !== undefined) {
          expect(() => run(c)).toThrow(SimdconvError);
          return;
        }
        const out = run(c);
        const expected = c.expected as EncodedTensor;
        expect(out.shape).toEqual(expected.shape);
        expect(out.data).toBeInstanceOf(c.dtype === 'float64' ? Float64Array : Float32Array);
        const want = expected.data.map(decode);
        const scale = c.absSum ? c.absSum.map(decode) : null;
        // The textbook worked examples are small integers: they must come out exactly.
        const rel = scale && !c.id.startsWith('example/') ? TOLERANCE[c.dtype] : 0;
        expect(mismatch(out.data, want, scale, rel)).toBeNull();
      });
    }
  });
}
