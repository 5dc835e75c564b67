// filter2d on float images with kernels large enough for the FFT engine: every border, anchors,
// delta and both alpha modes, against a plain float64 loop (OpenCV's filter2D definition), within
// the FFT's bound relative to the problem's scale; NaN stays in its window (the direct path).
import { beforeAll, describe, expect, test } from 'vitest';
import { sourceIndex, type PadMode } from '../../src/core/padding';
import { chooseEngine } from '../../src/engines/choose';
import { filter2d, ready, type Border, type ImageLike } from '../../src/index';
import { BACKENDS, useBackend } from '../helpers/backends';
import { random } from '../helpers/random';

beforeAll(() => ready());

const MODES: Record<Border, PadMode> = { constant: 'constant', replicate: 'edge', reflect: 'symmetric', reflect101: 'reflect', wrap: 'wrap' };

/**
 * filter2D by its definition: correlation anchored at (ax, ay), the border by `mode`, plus delta;
 * and the sum of |products| (the scale the FFT's error is bounded by).
 */
function reference(img: ImageLike, k: Float64Array, kh: number, kw: number, border: Border, value: number, anchor: [number, number], delta: number): { out: Float64Array; scale: number } {
  const { width: W, height: H } = img;
  const C = img.channels ?? 1;
  const [ax, ay] = anchor;
  const rows = Array.from({ length: H + kh - 1 }, (_, i) => sourceIndex(i - ay, H, 0, MODES[border]));
  const cols = Array.from({ length: W + kw - 1 }, (_, j) => sourceIndex(j - ax, W, 0, MODES[border]));
  const out = new Float64Array(W * H * C);
  let scale = 0;
  const padded = new Float64Array(rows.length * cols.length);
  for (let c = 0; c < C; c++) {
    rows.forEach((sy, i) => cols.forEach((sx, j) => (padded[i * cols.length + j] = sy < 0 || sx < 0 ? value : img.data[(sy * W + sx) * C + c])));
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let sum = delta;
        let abs = Math.abs(delta);
        for (let i = 0; i < kh; i++) {
          const row = (y + i) * cols.length + x;
          for (let j = 0; j < kw; j++) {
            const p = k[i * kw + j] * padded[row + j];
            sum += p;
            abs += Math.abs(p);
          }
        }
        out[(y * W + x) * C + c] = sum;
        scale = Math.max(scale, abs);
      }
    }
  }
  return { out, scale };
}

for (const backend of BACKENDS) {
  describe(`filter2d through the FFT on ${backend}`, () => {
    useBackend(backend);
    const W = backend === 'js' ? 61 : 97;
    const H = backend === 'js' ? 47 : 83;
    const kh = 31;
    const kw = 29;
    const kernel = random(kh * kw, 7);

    test('the cost model sends these filters to the FFT engine', () => {
      const job = { dtype: 'float32' as const, input: new Float32Array(W * H), inputShape: [1, H, W] as [number, number, number], padding: { before: [0, 15, 14] as const, after: [0, 15, 14] as const, mode: 'reflect' as const, value: 0 }, kernel, kernelShape: [1, kh, kw] as [number, number, number], flipKernel: false };
      expect(chooseEngine(job, 3)).toBe('fft');
    });

    for (const border of Object.keys(MODES) as Border[]) {
      test(`border ${border}: RGBA with alpha kept and filtered, anchors and delta`, () => {
        const data = Float32Array.from(random(W * H * 4, 3, 10));
        const image = { data, width: W, height: H, channels: 4 };
        for (const [anchor, delta, alpha] of [[[-1, -1], 0, 'keep'], [[3, 25], 1.5, 'filter']] as const) {
          const value = border === 'constant' ? 2.5 : 0;
          const got = filter2d(image, { data: kernel, shape: [kh, kw] }, { border, borderValue: value, anchor: [...anchor], delta, alpha }) as ImageLike;
          expect(got.data).toBeInstanceOf(Float32Array);
          const a: [number, number] = anchor[0] === -1 ? [kw >> 1, kh >> 1] : [anchor[0], anchor[1]];
          const { out: exp, scale } = reference(image, kernel, kh, kw, border, value, a, delta);
          let worst = 0;
          for (let i = 0; i < exp.length; i++) {
            const e = alpha === 'keep' && i % 4 === 3 ? data[i] : exp[i];
            worst = Math.max(worst, Math.abs(got.data[i] - e));
          }
          expect(worst, `${border} ${anchor} ${delta} ${alpha}`).toBeLessThanOrEqual(1e-5 * scale);
        }
      });
    }

    test('a NaN sample poisons only the windows that hold it, as the direct sum does', () => {
      const data = Float32Array.from(random(W * H, 5));
      data[(H >> 1) * W + (W >> 1)] = NaN;
      const got = filter2d({ data, width: W, height: H, channels: 1 }, { data: kernel, shape: [kh, kw] }) as ImageLike;
      const nan = Array.from(got.data).filter(Number.isNaN).length;
      expect(nan).toBe(kh * kw);
    });
  });
}
