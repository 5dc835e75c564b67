// The pool (createPool) against the synchronous functions of the same build: every family, in
// both modes, split and whole, must give the same bits, reject what the synchronous call throws
// and stay usable afterwards. The pool runs the built worker script, so this uses dist/.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as simdconv from '../../dist/index.js';
import { random } from '../helpers/random';

type Pool = Awaited<ReturnType<typeof simdconv.createPool>>;

const f32 = (n: number, seed: number, scale = 1) => Float32Array.from(random(n, seed, scale));
const bytes = (n: number, seed: number) => Uint8ClampedArray.from(random(n, seed, 512), (v) => v + 128);

/** Same type, same shape, same bits (NaN payloads aside, -0 and +0 apart). */
function expectIdentical(pooled: unknown, sync: unknown, path = 'result'): void {
  if (ArrayBuffer.isView(sync)) {
    expect(pooled?.constructor, path).toBe(sync.constructor);
    const [a, b] = [pooled as unknown as ArrayLike<number>, sync as unknown as ArrayLike<number>];
    expect(a.length, path).toBe(b.length);
    let differ = -1;
    for (let i = 0; i < b.length && differ < 0; i++) if (!Object.is(a[i], b[i])) differ = i;
    expect(differ, `${path}: first differing sample`).toBe(-1);
    return;
  }
  if (sync && typeof sync === 'object') {
    expect(Object.keys(pooled as object).sort(), path).toEqual(Object.keys(sync).sort());
    for (const [k, v] of Object.entries(sync)) expectIdentical((pooled as Record<string, unknown>)[k], v, `${path}.${k}`);
    return;
  }
  expect(pooled, path).toEqual(sync);
}

type Case = [name: string, fn: keyof Pool & keyof typeof simdconv, args: unknown[]];

const image = { data: f32(97 * 131, 1), shape: [97, 131] };
const k3 = { data: f32(9, 2), shape: [3, 3] };
const k4x2 = { data: f32(8, 3), shape: [4, 2] };
const rgba = { data: bytes(83 * 61 * 4, 4), width: 83, height: 61 };
const rgbaFloat = { data: f32(83 * 61 * 4, 5, 300), width: 83, height: 61 };
const sharpen = { data: Float32Array.of(0, -1, 0, -1, 5, -1, 0, -1, 0), shape: [3, 3] };
const box3 = { data: new Float32Array(9).fill(1 / 9), shape: [3, 3] };
const x64 = { data: f32(64 * 18 * 17, 6), shape: [1, 64, 18, 17] };
const w64 = { data: f32(40 * 64 * 9, 7, 0.2), shape: [40, 64, 3, 3] };
const bias40 = f32(40, 8);
const nhwc64 = { data: x64.data, shape: [1, 18, 17, 64] };
const batch3 = { data: f32(3 * 5 * 20 * 20, 9), shape: [3, 5, 20, 20] };
const w5 = { data: f32(12 * 5 * 9, 10), shape: [12, 5, 3, 3] };
const dw = { data: f32(16 * 9, 11), shape: [16, 1, 3, 3] };
const x16 = { data: f32(16 * 40 * 40, 12), shape: [1, 16, 40, 40] };

const cases: Case[] = [];
for (const mode of ['full', 'same', 'valid']) {
  for (const boundary of ['fill', 'wrap', 'symm']) {
    cases.push([`correlate2d ${mode} ${boundary}`, 'correlate2d', [image, k3, { mode, boundary, fillvalue: 0.5 }]]);
    cases.push([`convolve2d ${mode} ${boundary} even kernel`, 'convolve2d', [image, k4x2, { mode, boundary }]]);
  }
  cases.push([`correlate 2-D ${mode}`, 'correlate', [image, k4x2, { mode }]]);
  cases.push([`convolve 1-D ${mode}`, 'convolve', [f32(500, 13), f32(7, 14), { mode }]]);
  cases.push([`convolve 3-D ${mode}`, 'convolve', [{ data: f32(6 * 20 * 20, 15), shape: [6, 20, 20] }, { data: f32(27, 16), shape: [3, 3, 3] }, { mode }]]);
}
cases.push(['correlate2d float64 nested', 'correlate2d', [Array.from({ length: 40 }, (_, i) => Array.from({ length: 30 }, (_, j) => Math.sin(i * j))), [[1, 2], [3, 4]], { mode: 'same' }]]);
cases.push(['correlate2d kernel larger than the image', 'correlate2d', [k3, image, { mode: 'full' }]]);
cases.push(['correlate valid with swapped operands', 'correlate', [k3, image, { mode: 'valid' }]]);
cases.push(['convolve method fft', 'convolve', [image, { data: f32(31 * 31, 17), shape: [31, 31] }, { method: 'fft', mode: 'same' }]]);
// Runs of the FFT engine's tiles, one per worker (and, for 'auto', the direct sum where a run is not finite).
const wide = { data: f32(300 * 280, 44), shape: [300, 280] };
const k31 = { data: f32(31 * 31, 45), shape: [31, 31] };
const withNaN = { data: wide.data.slice(), shape: wide.shape };
withNaN.data[150 * 280 + 17] = Number.NaN;
cases.push(['correlate2d 31x31 in runs of FFT tiles', 'correlate2d', [wide, k31, { mode: 'same' }]]);
cases.push(['convolve2d 31x31 full, float64, in runs of FFT tiles', 'convolve2d', [{ data: Float64Array.from(wide.data), shape: wide.shape }, { data: Float64Array.from(k31.data), shape: k31.shape }, { mode: 'full', boundary: 'fill', fillvalue: 0.5 }]]);
cases.push(['correlate method fft valid in runs of FFT tiles', 'correlate', [wide, { data: f32(21 * 17, 46), shape: [21, 17] }, { method: 'fft', mode: 'valid' }]]);
cases.push(["correlate2d 31x31 with a NaN: 'auto' turns to the direct sum", 'correlate2d', [withNaN, k31, { mode: 'same' }]]);
cases.push(["correlate method 'fft' with a NaN: the NaN spreads over its tiles", 'correlate', [withNaN, k31, { method: 'fft', mode: 'same' }]]);
cases.push(['fftconvolve', 'fftconvolve', [image, k4x2, { mode: 'same' }]]);
cases.push(['oaconvolve', 'oaconvolve', [f32(3000, 18), f32(65, 19)]]);
for (const border of ['reflect101', 'constant', 'replicate', 'reflect', 'wrap'] as const) {
  cases.push([`filter2d uint8 RGBA ${border}`, 'filter2d', [rgba, sharpen, { border, borderValue: 17 }]]);
  cases.push([`filter2d float32 RGBA ${border}`, 'filter2d', [rgbaFloat, k3, { border }]]);
}
// Sparse 3x3 kernels take the Wasm kernel's masked passes (rows in threes) and its tap list for the rest.
cases.push(['filter2d float32 RGBA sharpen', 'filter2d', [rgbaFloat, sharpen, { alpha: 'filter' }]]);
cases.push(['filter2d tensor Sobel x', 'filter2d', [image, { data: Float32Array.of(-1, 0, 1, -2, 0, 2, -1, 0, 1), shape: [3, 3] }, { border: 'replicate' }]]);
cases.push(['filter2d float32 RGBA Sobel y, delta', 'filter2d', [rgbaFloat, { data: Float32Array.of(-1, -2, -1, 0, 0, 0, 1, 2, 1), shape: [3, 3] }, { delta: 0.25 }]]);
cases.push(['filter2d uint8 box (near ties)', 'filter2d', [rgba, box3, { alpha: 'filter', delta: 0.5 }]]);
cases.push(['filter2d uint8 to int16, anchor', 'filter2d', [rgba, k4x2, { ddepth: 'int16', anchor: [0, 3], op: 'convolve' }]]);
cases.push(['filter2d tensor', 'filter2d', [image, k3, { border: 'replicate' }]]);
cases.push(['filter2d 5x5 separable', 'filter2d', [rgba, { data: Float32Array.from({ length: 25 }, (_, i) => [1, 4, 6, 4, 1][i % 5] * [1, 4, 6, 4, 1][Math.floor(i / 5)] / 256), shape: [5, 5] }]]);
cases.push(['sepFilter2d', 'sepFilter2d', [rgba, f32(5, 20), f32(3, 21)]]);
const gauss5 = { data: Float32Array.from({ length: 25 }, (_, i) => ([1, 4, 6, 4, 1][i % 5] * [1, 4, 6, 4, 1][Math.floor(i / 5)]) / 256), shape: [5, 5] };
for (const border of ['reflect101', 'replicate', 'constant', 'reflect', 'wrap'] as const) {
  cases.push([`filter2d uint8 two passes (bands of rows) ${border}`, 'filter2d', [rgba, gauss5, { border, borderValue: 9 }]]);
  cases.push([`sepFilter2d float32 ${border}`, 'sepFilter2d', [rgbaFloat, f32(7, 31), f32(5, 32), { border }]]);
}
cases.push(['sepFilter2d uint8 to int16, anchor, delta', 'sepFilter2d', [rgba, f32(3, 33), f32(7, 34), { ddepth: 'int16', anchor: [2, 1], delta: 3.5 }]]);
cases.push(['sepFilter2d float32 to int16 (runs whole)', 'sepFilter2d', [rgbaFloat, f32(3, 35), f32(3, 36), { ddepth: 'int16' }]]);
cases.push(['filter2d tensor two passes', 'filter2d', [image, gauss5, { border: 'reflect' }]]);
cases.push(['filter2d uint8 Uint8Array two passes, alpha kept', 'filter2d', [{ data: new Uint8Array(rgba.data), width: 83, height: 61 }, gauss5]]);
cases.push(['conv2d 64->40 Winograd (channel slices)', 'conv2d', [x64, w64, { padding: 1, bias: bias40 }]]);
cases.push(['conv2d 64->40 NHWC', 'conv2d', [nhwc64, w64, { padding: 1, bias: bias40, layout: 'NHWC' }]]);
cases.push(['conv2d 64->40 stride 2 dilation 2 reflect', 'conv2d', [x64, w64, { stride: 2, dilation: 2, padding: 2, paddingMode: 'reflect' }]]);
cases.push(['conv2d batch of 3 (item slices)', 'conv2d', [batch3, w5, { padding: 'same', bias: f32(12, 22) }]]);
// Fewer items than threads: bands of rows of every item, each read in place from the whole input.
const batch2 = { data: f32(2 * 5 * 40 * 30, 37), shape: [2, 5, 40, 30] };
const batch2x16 = { data: f32(2 * 16 * 20 * 22, 38), shape: [2, 16, 20, 22] };
cases.push(['conv2d batch of 2 in bands of rows', 'conv2d', [batch2, w5, { padding: 1, bias: f32(12, 39) }]]);
cases.push(['conv2d batch of 2 NHWC in bands of rows', 'conv2d', [{ data: batch2.data, shape: [2, 40, 30, 5] }, w5, { padding: [2, 1], layout: 'NHWC' }]]);
cases.push(['conv2d batch of 2 Winograd in bands of rows', 'conv2d', [batch2x16, { data: f32(16 * 16 * 9, 40), shape: [16, 16, 3, 3] }, { padding: 1 }]]);
cases.push(['conv2d rows of over 256 samples in bands of rows', 'conv2d', [{ data: f32(4 * 40 * 300, 42), shape: [1, 4, 40, 300] }, { data: f32(6 * 4 * 9, 43), shape: [6, 4, 3, 3] }, { padding: [1, 2] }]]);
cases.push(['conv2d depthwise batch of 2 in bands of rows', 'conv2d', [{ data: f32(2 * 16 * 40 * 33, 41), shape: [2, 16, 40, 33] }, dw, { groups: 16, padding: 1, stride: 2 }]]);
cases.push(['conv2d depthwise', 'conv2d', [x16, dw, { groups: 16, padding: 1 }]]);
cases.push(['conv2d grouped', 'conv2d', [x16, { data: f32(8 * 4 * 9, 23), shape: [8, 4, 3, 3] }, { groups: 4 }]]);
cases.push(['conv1d', 'conv1d', [{ data: f32(2 * 4 * 50, 24), shape: [2, 4, 50] }, { data: f32(6 * 4 * 5, 25), shape: [6, 4, 5] }, { padding: 2 }]]);
cases.push(['convTranspose2d', 'convTranspose2d', [{ data: f32(2 * 4 * 9 * 9, 26), shape: [2, 4, 9, 9] }, { data: f32(4 * 3 * 9, 27), shape: [4, 3, 3, 3] }, { stride: 2, padding: 1, outputPadding: 1 }]]);
cases.push(['conv2dBackward', 'conv2dBackward', [{ data: f32(2 * 6 * 10 * 10, 28), shape: [2, 6, 10, 10] }, { data: f32(2 * 5 * 10 * 10, 29), shape: [2, 5, 10, 10] }, { data: f32(6 * 5 * 9, 30), shape: [6, 5, 3, 3] }, { padding: 1, bias: true }]]);
cases.push(['maxPool2d', 'maxPool2d', [x16, { kernelSize: 3, stride: 2, padding: 1 }]]);
cases.push(['maxPool2d returnIndices', 'maxPool2d', [x16, { kernelSize: 3, stride: 2, padding: 1, returnIndices: true }]]);
cases.push(['avgPool2d divisorOverride', 'avgPool2d', [x16, { kernelSize: 3, padding: 1, divisorOverride: 7 }]]);
cases.push(['avgPool2d', 'avgPool2d', [x16, { kernelSize: 2, ceilMode: true }]]);

for (const [mode, blocking] of [['shared', false], ['transfer', false], ['shared', true], ['transfer', true]] as const) {
  describe(`a pool of 3 threads in ${mode} mode${blocking ? ', blocking (the calling thread computes a share)' : ''}`, () => {
    let pool: Pool;
    beforeAll(async () => {
      await simdconv.ready();
      pool = await simdconv.createPool({ threads: 3, mode, blocking });
    });
    afterAll(() => pool.close());

    test('the FFT cases above do take the FFT engine', () => {
      expect(simdconv.chooseConvMethod(wide, k31, { mode: 'same' })).toBe('fft');
      expect(simdconv.chooseConvMethod(wide, k31, { mode: 'full', dtype: 'float64' })).toBe('fft');
    });

    test('says how it runs', () => {
      expect(pool.threads).toBe(3);
      expect(pool.mode).toBe(mode);
      expect(pool.blocking).toBe(blocking);
    });

    test.each(cases)('%s: the same bits as the synchronous call', async (_name, fn, args) => {
      const sync = (simdconv[fn] as (...a: unknown[]) => unknown)(...args);
      const pooled = await (pool[fn] as (...a: unknown[]) => Promise<unknown>)(...args);
      expectIdentical(pooled, sync);
    });

    test('a Winograd layer with an infinite weight in one slice falls back to the direct sum in every slice, as the whole layer does', async () => {
      const w = { data: w64.data.slice(), shape: w64.shape };
      w.data[35 * 64 * 9 + 4] = Infinity;
      expectIdentical(await pool.conv2d(x64, w, { padding: 1 }), simdconv.conv2d(x64, w, { padding: 1 }));
    });

    test('a Winograd layer with an infinite input in one band of rows: every band redone directly, as the whole layer is', async () => {
      const x = { data: x64.data.slice(), shape: x64.shape };
      x.data[5 * 18 * 17 + 2 * 17 + 3] = Infinity;
      expectIdentical(await pool.conv2d(x, w64, { padding: 1 }), simdconv.conv2d(x, w64, { padding: 1 }));
    });

    test("options.out receives the result, as in the synchronous call", async () => {
      const out = new Float32Array(97 * 131);
      const r = await pool.correlate2d(image, k3, { mode: 'same', out });
      expect(r.data).toBe(out);
      expectIdentical(out, simdconv.correlate2d(image, k3, { mode: 'same' }).data);
      const img = new Uint8ClampedArray(rgba.data.length);
      const f = (await pool.filter2d(rgba, sharpen, { out: img })) as { data: Uint8ClampedArray };
      expect(f.data).toBe(img);
      expectIdentical(img, (simdconv.filter2d(rgba, sharpen) as { data: Uint8ClampedArray }).data);
      // maxPool2d takes no out: the pool refuses it as the synchronous call does.
      const m = new Float32Array(16 * 20 * 20);
      if (mode === 'shared') {
        // A shared out is written where each share is computed, the calling thread's share included.
        const shared = new Float32Array(new SharedArrayBuffer(97 * 131 * 4));
        expect((await pool.correlate2d(image, k3, { mode: 'same', out: shared })).data).toBe(shared);
        expectIdentical(shared, out);
        const sharedImg = new Uint8ClampedArray(new SharedArrayBuffer(rgba.data.length));
        expect(((await pool.filter2d(rgba, sharpen, { out: sharedImg })) as { data: Uint8ClampedArray }).data).toBe(sharedImg);
        expectIdentical(sharedImg, img);
      }
      expect(() => simdconv.maxPool2d(x16, { kernelSize: 2, out: m } as never)).toThrow(/options\.out/);
      await expect(pool.maxPool2d(x16, { kernelSize: 2, out: m } as never)).rejects.toThrow(/options\.out/);
    });

    test('a bad call rejects with the synchronous error, leaves the inputs alone, and the pool keeps working', async () => {
      const bad: [keyof Pool & keyof typeof simdconv, unknown[]][] = [
        ['correlate2d', [image, 'kernel']],
        ['filter2d', [rgba, sharpen, { border: 'sideways' }]],
        ['conv2d', [x64, { data: f32(9, 1), shape: [1, 1, 3, 3] }]],
        ['maxPool2d', [x16, { kernelSize: 0 }]],
      ];
      const before = image.data.slice();
      for (const [fn, args] of bad) {
        let thrown: unknown;
        try {
          (simdconv[fn] as (...a: unknown[]) => unknown)(...args);
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(simdconv.SimdconvError);
        const rejected = await (pool[fn] as (...a: unknown[]) => Promise<unknown>)(...args).catch((e: unknown) => e);
        expect(rejected).toBeInstanceOf(simdconv.SimdconvError);
        expect((rejected as Error).message).toBe((thrown as Error).message);
        expect((rejected as { code: string }).code).toBe((thrown as { code: string }).code);
      }
      expectIdentical(image.data, before);
      expectIdentical(await pool.correlate2d(image, k3), simdconv.correlate2d(image, k3));
    });

    test('calls in flight at once each get their own result', async () => {
      const calls = Array.from({ length: 8 }, (_, i) => ({ data: f32(60 * 70, 100 + i), shape: [60, 70] }));
      const pooled = await Promise.all(calls.map((c) => pool.correlate2d(c, k3, { mode: 'same' })));
      pooled.forEach((r, i) => expectIdentical(r, simdconv.correlate2d(calls[i], k3, { mode: 'same' })));
    });
  });
}

test('a pool runs on the backend the synchronous functions use when it is made', async () => {
  simdconv.setBackend('wasm-simd');
  const plain = await simdconv.createPool({ threads: 2 });
  simdconv.setBackend('wasm-relaxed-simd');
  const relaxed = await simdconv.createPool({ threads: 2 });
  const x = { data: f32(128 * 128, 40), shape: [128, 128] };
  const k = { data: f32(25, 41), shape: [5, 5] };
  expectIdentical(await relaxed.correlate2d(x, k), simdconv.correlate2d(x, k));
  simdconv.setBackend('wasm-simd');
  expectIdentical(await plain.correlate2d(x, k), simdconv.correlate2d(x, k));
  simdconv.setBackend('wasm-relaxed-simd');
  await Promise.all([plain.close(), relaxed.close()]);
});

test('options are checked; a closed pool rejects calls', async () => {
  for (const options of [{ threads: 0 }, { threads: 1.5 }, { mode: 'both' }, 'two', { blocking: 'yes' }]) {
    await expect(simdconv.createPool(options as never)).rejects.toThrow(simdconv.SimdconvError);
  }
  await expect(simdconv.createPool({ blocking: 1 } as never)).rejects.toThrow(/options\.blocking.*got 1/);
  const pool = await simdconv.createPool({ threads: 1 });
  await pool.close();
  await expect(pool.correlate2d(image, k3)).rejects.toThrow(/closed/);
});

test('a blocking pool of one thread has no workers and computes every call on the calling thread', async () => {
  const pool = await simdconv.createPool({ threads: 1, blocking: true });
  try {
    for (const [, fn, args] of cases.filter(([name]) => /Winograd|31x31 in runs|two passes \(bands/.test(name))) {
      expectIdentical(await (pool[fn] as (...a: unknown[]) => Promise<unknown>)(...args), (simdconv[fn] as (...a: unknown[]) => unknown)(...args));
    }
  } finally {
    await pool.close();
  }
});

test('a blocking pool gives the calling thread its share on the pool\'s backend, whatever the synchronous functions use now', async () => {
  simdconv.setBackend('wasm-simd');
  const pool = await simdconv.createPool({ threads: 2, blocking: true });
  const x = { data: f32(128 * 128, 47), shape: [128, 128] };
  const k = { data: f32(25, 48), shape: [5, 5] };
  try {
    const plain = simdconv.correlate2d(x, k);
    simdconv.setBackend('js');
    expectIdentical(await pool.correlate2d(x, k), plain);
    expect(simdconv.getBackend()).toBe('js');
  } finally {
    simdconv.setBackend('wasm-relaxed-simd');
    await pool.close();
  }
});

test("a blocking pool's call whose worker dies rejects once the worker is gone, and the calling thread is not held", async () => {
  const pool = await simdconv.createPool({ threads: 2, blocking: true, workerUrl: new URL('./exit-on-task.mjs', import.meta.url) });
  try {
    const started = Date.now();
    // A 7x7 kernel: enough multiply-adds per byte for a blocking pool to split the call.
    await expect(pool.correlate2d(image, { data: f32(49, 3), shape: [7, 7] }, { mode: 'same' })).rejects.toThrow(/exited with code 3/);
    expect(Date.now() - started).toBeLessThan(5_000);
    // Calls it runs whole stay on the calling thread and still work.
    expectIdentical(await pool.correlate2d([[1, 2], [3, 4]], [[1]]), simdconv.correlate2d([[1, 2], [3, 4]], [[1]]));
  } finally {
    await pool.close();
  }
});

test('a worker that dies fails only the calls it had; the pool replaces it and keeps its threads', async () => {
  const pool = await simdconv.createPool({ threads: 2, workerUrl: new URL('./crash-worker.mjs', import.meta.url) });
  try {
    const small = [[1, 2], [3, 4]];
    // Whole calls go to the least busy worker: this one kills it.
    await expect(pool.correlate2d(small, [[1]], { fillvalue: 1234567 })).rejects.toThrow(/exited with code 3/);
    for (let i = 0; i < 4; i++) expectIdentical(await pool.correlate2d(image, k3, { mode: 'same' }), simdconv.correlate2d(image, k3, { mode: 'same' }));
    expectIdentical(await pool.conv2d(x64, w64, { padding: 1 }), simdconv.conv2d(x64, w64, { padding: 1 }));
  } finally {
    await pool.close();
  }
});

test('features() says the pool would share memory in Node', () => {
  expect(simdconv.features().poolMode).toBe('shared');
});

test('a Node process whose pool is open but idle still exits', () => {
  const dist = new URL('../../dist/index.js', import.meta.url).href;
  const script = `const s = await import(${JSON.stringify(dist)}); const p = await s.createPool({ threads: 2 }); const b = await s.createPool({ threads: 2, blocking: true }); const x = { data: new Float32Array(200 * 200), shape: [200, 200] }; const r = await p.correlate2d([[1, 2], [3, 4]], [[1]]); const q = await b.correlate2d(x, [[1, 2], [3, 4]]); console.log(r.data.length, q.data.length);`;
  const started = Date.now();
  const out = execFileSync('node', ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 }).trim();
  expect(out).toBe('4 40401');
  expect(Date.now() - started).toBeLessThan(20_000);
});
