// Depthwise conv2d layers with very large kernels run on the FFT engine: against conv2d's
// definition (a float64 loop), with zero and reflect padding and bias, on both backends.
import { beforeAll, describe, expect, test } from 'vitest';
import { sourceIndex } from '../../src/core/padding';
import { chooseEngine } from '../../src/engines/choose';
import { conv2d, ready } from '../../src/index';
import { BACKENDS, useBackend } from '../helpers/backends';

beforeAll(() => ready());

function random(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 8) / (1 << 24) - 0.5;
  }
  return out;
}

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
