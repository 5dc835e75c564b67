// PyTorch golden fixtures (scripts/gen_torch_fixtures.py, torch 1.13 in float64), run on every backend.
import { describe, expect, test } from 'vitest';
import * as simdconv from '../../src/index';
import { SimdconvError } from '../../src/index';
import { BACKENDS, useBackend } from '../helpers/backends';
import { TOLERANCE, decode, loadFixtures, mismatch, tensorOf, type Encoded, type EncodedTensor, type FixtureCase } from '../helpers/fixtures';

const cases = loadFixtures('torch-nn.json');
const FNS = ['conv2d', 'conv1d', 'convTranspose2d', 'maxPool2d', 'avgPool2d', 'conv2dBackward'] as const;
type Fn = (typeof FNS)[number];

type Grads = { gradInput: EncodedTensor; gradWeight: EncodedTensor; gradBias: EncodedTensor | null };
type GradSums = { gradInput: Encoded[]; gradWeight: Encoded[]; gradBias: Encoded[] | null };

/** Fixture options hold tensors (bias) as encoded tensors; everything else passes through. */
function options(c: FixtureCase): Record<string, unknown> {
  const o: Record<string, unknown> = { ...c.opts };
  if (o.bias && typeof o.bias === 'object') o.bias = tensorOf(o.bias as EncodedTensor, c.dtype);
  return o;
}

function run(c: FixtureCase): unknown {
  const t = (c.args as EncodedTensor[]).map((a) => tensorOf(a, c.dtype));
  const o = options(c);
  switch (c.fn as Fn) {
    case 'conv2d':
      return simdconv.conv2d(t[0], t[1], o);
    case 'conv1d':
      return simdconv.conv1d(t[0], t[1], o);
    case 'convTranspose2d':
      return simdconv.convTranspose2d(t[0], t[1], o);
    case 'maxPool2d':
      return simdconv.maxPool2d(t[0], o as never);
    case 'avgPool2d':
      return simdconv.avgPool2d(t[0], o as never);
    case 'conv2dBackward':
      return simdconv.conv2dBackward(t[0], t[1], t[2], o);
  }
}

function check(c: FixtureCase, got: simdconv.Tensor | null, expected: EncodedTensor | null, absSum: Encoded[] | null | undefined, what: string): void {
  if (expected === null) {
    expect(got, `${c.id} ${what}`).toBeNull();
    return;
  }
  expect(got, `${c.id} ${what}`).not.toBeNull();
  expect(got!.shape, `${c.id} ${what} shape`).toEqual(expected.shape);
  expect(got!.data).toBeInstanceOf(c.dtype === 'float64' ? Float64Array : Float32Array);
  const scale = absSum ? absSum.map(decode) : null;
  // Max pooling does no arithmetic: exact.
  const rel = scale ? TOLERANCE[c.dtype] : 0;
  expect(mismatch(got!.data, expected.data.map(decode), scale, rel), `${c.id} ${what}`).toBeNull();
}

test('the fixture file covers every function, both dtypes and torch errors', () => {
  expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  for (const fn of FNS) {
    for (const dtype of ['float32', 'float64']) {
      expect(cases.filter((c) => c.fn === fn && c.dtype === dtype && c.expected).length, `${fn} ${dtype}`).toBeGreaterThan(10);
    }
  }
  for (const fn of ['conv2d', 'conv1d', 'convTranspose2d', 'maxPool2d', 'avgPool2d']) {
    expect(cases.some((c) => c.fn === fn && c.error), `${fn} errors`).toBe(true);
  }
  expect(cases.some((c) => c.opts.layout === 'NHWC')).toBe(true);
  expect(cases.filter((c) => c.opts.returnIndices && c.expected).length).toBeGreaterThan(10);
  expect(cases.filter((c) => c.opts.divisorOverride !== undefined && c.expected).length).toBeGreaterThan(5);
});

for (const backend of BACKENDS) {
  describe(`torch fixtures on ${backend}`, () => {
    useBackend(backend);
    for (const fn of FNS) {
      test(`${fn} matches torch`, () => {
        for (const c of cases.filter((x) => x.fn === fn)) {
          if (c.error) {
            let thrown: unknown = null;
            try {
              run(c);
            } catch (e) {
              thrown = e;
            }
            expect(thrown, `${c.id} should throw (torch: ${c.error})`).toBeInstanceOf(SimdconvError);
            continue;
          }
          const got = run(c);
          if (fn === 'conv2dBackward') {
            const e = c.expected as unknown as Grads;
            const s = c.absSum as unknown as GradSums;
            const g = got as simdconv.Conv2dGradients;
            check(c, g.gradInput, e.gradInput, s.gradInput, 'gradInput');
            check(c, g.gradWeight, e.gradWeight, s.gradWeight, 'gradWeight');
            check(c, g.gradBias, e.gradBias, s.gradBias, 'gradBias');
          } else if (c.opts.returnIndices) {
            // [output, indices]: the indices are torch's exactly.
            const [values, indices] = got as [simdconv.Tensor, simdconv.PoolIndices];
            check(c, values, c.expected as EncodedTensor, c.absSum, 'result');
            expect(indices.data).toBeInstanceOf(Int32Array);
            expect(indices.shape, `${c.id} indices shape`).toEqual(values.shape);
            expect(Array.from(indices.data), `${c.id} indices`).toEqual((c as unknown as { indices: number[] }).indices);
          } else {
            check(c, got as simdconv.Tensor, c.expected as EncodedTensor, c.absSum, 'result');
          }
        }
      });
    }
  });
}
