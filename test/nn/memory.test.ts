// Conv layers stay within the promised memory bound (README): no im2col matrix, working memory of one padded
// input item, the packed weights and one output item. Its own file, so its Wasm instance is fresh.
import { expect, test } from 'vitest';
import { current } from '../../src/runtime/backend';
import { conv2d, conv2dBackward, convTranspose2d, features, ready } from '../../src/index';

const MiB = 1024 * 1024;

function random(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 8) / (1 << 24) - 0.5;
  }
  return out;
}

test('a 1x64x112x112 layer with 64x64x3x3 weights needs no more Wasm memory than input + padded input + output + weights + 1 MiB', async () => {
  expect(await ready()).toBe(features().relaxedSimd ? 'wasm-relaxed-simd' : 'wasm-simd');
  const arena = current().arena;
  const x = { data: random(64 * 112 * 112, 1), shape: [1, 64, 112, 112] };
  const w = { data: random(64 * 64 * 9, 2), shape: [64, 64, 3, 3] };
  const y = conv2d(x, w, { padding: 1 });
  const bound = 4 * (64 * 112 * 112 + 64 * 114 * 114 + y.data.length + w.data.length) + MiB;
  // The whole module's memory, static data included, is within the bound.
  expect(arena.byteLength).toBeLessThanOrEqual(bound);

  // Spot-check the result against a direct sum, so the bound is not met by computing less.
  for (const [o, r, c] of [
    [0, 0, 0],
    [63, 111, 111],
    [17, 40, 3],
    [5, 0, 111],
  ]) {
    let s = 0;
    for (let i = 0; i < 64; i++) {
      for (let u = 0; u < 3; u++) {
        for (let v = 0; v < 3; v++) {
          const yy = r + u - 1;
          const xx = c + v - 1;
          if (yy >= 0 && yy < 112 && xx >= 0 && xx < 112) s += w.data[((o * 64 + i) * 3 + u) * 3 + v] * x.data[(i * 112 + yy) * 112 + xx];
        }
      }
    }
    expect(Math.abs(y.data[(o * 112 + r) * 112 + c] - s)).toBeLessThan(1e-4);
  }

  // Once every op has seen its shapes, repeating them does not grow memory.
  const all = () => {
    conv2d(x, w, { padding: 1 });
    conv2d({ data: random(8 * 30 * 30, 3), shape: [2, 4, 30, 30] }, { data: random(16 * 4 * 25, 4), shape: [16, 4, 5, 5] }, { stride: 2, padding: 'valid' });
    convTranspose2d({ data: random(16 * 20 * 20, 5), shape: [16, 20, 20] }, { data: random(16 * 8 * 9, 6), shape: [16, 8, 3, 3] }, { stride: 2 });
    conv2dBackward(y, x, w, { padding: 1 });
  };
  all();
  const grown = arena.byteLength;
  all();
  expect(arena.byteLength).toBe(grown);
});
