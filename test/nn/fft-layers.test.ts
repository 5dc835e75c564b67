// conv2d layers with very large kernels run on the FFT engine (depthwise, dense, grouped): against conv2d's
// definition (a float64 loop), with zero and reflect padding and bias, on both backends.
import { beforeAll, describe, expect, test } from 'vitest';
import { sourceIndex } from '../../src/core/padding';
import { chooseEngine } from '../../src/engines/choose';
import { conv2d, ready } from '../../src/index';
import { BACKENDS, useBackend } from '../helpers/backends';
import { random } from '../helpers/random';

beforeAll(() => ready());

for (const backend of BACKENDS) {
  describe(`depthwise layers with large kernels on ${backend}`, () => {
    useBackend(backend);
    const [N, C, H, W, k] = backend === 'js' ? [1, 2, 40, 36, 25] : [2, 3, 80, 90, 31];
    const x = random(N * C * H * W, 1);
    const w = random(C * k * k, 2);
    const bias = random(C, 3);

    test('the cost model sends them to the FFT engine', () => {
      const job = { dtype: 'float64' as const, input: x, inputShape: [1, H, W] as [number, number, number], padding: { before: [0, 15, 15] as const, after: [0, 15, 15] as const, mode: 'constant' as const, value: 0 }, kernel: w, kernelShape: [1, k, k] as [number, number, number], flipKernel: false };
      expect(chooseEngine(job, N * C)).toBe('fft');
    });

    for (const paddingMode of ['zeros', 'reflect'] as const) {
      test(`${paddingMode} padding, with bias: conv2d's definition`, () => {
        const p = k >> 1;
        const y = conv2d({ data: x, shape: [N, C, H, W] }, { data: w, shape: [C, 1, k, k] }, { groups: C, padding: p, paddingMode, bias: { data: bias, shape: [C] } });
        expect(y.shape).toEqual([N, C, H, W]);
        const mode = paddingMode === 'zeros' ? 'constant' : 'reflect';
        let worst = 0;
        let scale = 0;
        for (let n = 0; n < N; n++) {
          for (let c = 0; c < C; c++) {
            for (let i = 0; i < H; i++) {
              for (let j = 0; j < W; j++) {
                let s = bias[c];
                let a = Math.abs(bias[c]);
                for (let u = 0; u < k; u++) {
                  const sy = sourceIndex(i + u, H, p, mode);
                  if (sy < 0) continue;
                  for (let v = 0; v < k; v++) {
                    const sx = sourceIndex(j + v, W, p, mode);
                    if (sx < 0) continue;
                    const prod = w[(c * k + u) * k + v] * x[((n * C + c) * H + sy) * W + sx];
                    s += prod;
                    a += Math.abs(prod);
                  }
                }
                worst = Math.max(worst, Math.abs(y.data[((n * C + c) * H + i) * W + j] - s));
                scale = Math.max(scale, a);
              }
            }
          }
        }
        expect(worst).toBeLessThanOrEqual(1e-12 * scale);
      });
    }
  });
}

/** conv2d's definition in float64 (stride 1, zero padding p): the result and each output's sum of |products|. */
function definition(x: Float64Array, w: Float64Array, bias: Float64Array | null, [N, C, H, W]: number[], outC: number, groups: number, k: number, p: number) {
  const icg = C / groups;
  const ocg = outC / groups;
  const [oH, oW] = [H + 2 * p - k + 1, W + 2 * p - k + 1];
  const out = new Float64Array(N * outC * oH * oW);
  let scale = 0;
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < outC; o++) {
      const g = Math.floor(o / ocg);
      for (let i = 0; i < oH; i++) {
        for (let j = 0; j < oW; j++) {
          let s = bias ? bias[o] : 0;
          let a = Math.abs(s);
          for (let c = 0; c < icg; c++) {
            for (let u = 0; u < k; u++) {
              const sy = i + u - p;
              if (sy < 0 || sy >= H) continue;
              for (let v = 0; v < k; v++) {
                const sx = j + v - p;
                if (sx < 0 || sx >= W) continue;
                const prod = w[((o * icg + c) * k + u) * k + v] * x[((n * C + g * icg + c) * H + sy) * W + sx];
                s += prod;
                a += Math.abs(prod);
              }
            }
          }
          out[((n * outC + o) * oH + i) * oW + j] = s;
          scale = Math.max(scale, a);
        }
      }
    }
  }
  return { out, scale };
}

for (const backend of BACKENDS) {
  describe(`dense and grouped layers with large kernels on ${backend}`, () => {
    useBackend(backend);
    const [H, W, k] = backend === 'js' ? [40, 36, 25] : [64, 60, 31];
    const shapes = [
      { name: 'dense 3 -> 2', N: 2, C: 3, outC: 2, groups: 1 },
      { name: 'one input channel -> 3', N: 1, C: 1, outC: 3, groups: 1 },
      { name: 'groups 2, 4 -> 6', N: 1, C: 4, outC: 6, groups: 2 },
      { name: 'depthwise multiplier 2', N: 1, C: 2, outC: 4, groups: 2 },
    ];

    test('the cost model sends them to the FFT engine', () => {
      const job = { dtype: 'float64' as const, input: random(H * W, 1), inputShape: [1, H, W] as [number, number, number], padding: { before: [0, k >> 1, k >> 1] as const, after: [0, k >> 1, k >> 1] as const, mode: 'constant' as const, value: 0 }, kernel: random(k * k, 2), kernelShape: [1, k, k] as [number, number, number], flipKernel: false };
      expect(chooseEngine(job, 6)).toBe('fft');
    });

    for (const s of shapes) {
      test(`${s.name}: conv2d's definition, with bias`, () => {
        const x = random(s.N * s.C * H * W, 4);
        const w = random(s.outC * (s.C / s.groups) * k * k, 5);
        const bias = random(s.outC, 6);
        const p = k >> 1;
        const y = conv2d({ data: x, shape: [s.N, s.C, H, W] }, { data: w, shape: [s.outC, s.C / s.groups, k, k] }, { groups: s.groups, padding: p, bias: { data: bias, shape: [s.outC] } });
        const want = definition(x, w, bias, [s.N, s.C, H, W], s.outC, s.groups, k, p);
        expect(y.shape).toEqual([s.N, s.outC, H, W]);
        let worst = 0;
        for (let i = 0; i < want.out.length; i++) worst = Math.max(worst, Math.abs(y.data[i] - want.out[i]));
        expect(worst).toBeLessThanOrEqual(1e-12 * want.scale);
        expect(worst).toBeGreaterThan(0); // an FFT rounds differently from the sum: this ran on it
      });
    }

    test('a NaN in the input keeps to its windows (the direct sum is used)', () => {
      const x = random(2 * H * W, 7);
      x[5 * W + 5] = NaN;
      const y = conv2d({ data: x, shape: [1, 2, H, W] }, { data: random(2 * 2 * k * k, 8), shape: [2, 2, k, k] }, { padding: k >> 1 });
      const nans = Array.from(y.data).filter(Number.isNaN).length;
      // Output (i, j) sees (5, 5) when |i - 5| and |j - 5| are within k / 2, in both output channels.
      const reach = (n: number) => Math.min(n - 1, 5 + (k >> 1)) - Math.max(0, 5 - (k >> 1)) + 1;
      expect(nans).toBe(2 * reach(H) * reach(W));
    });
  });
}
