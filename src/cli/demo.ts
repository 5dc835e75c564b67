import { convolve2d, correlate2d, getBackend, ready, setBackend, toNested, unitImpulse, type Tensor } from '../index';

/** The impulse example both ways, then Wasm SIMD vs the JS fallback on a 1024x1024 image (`npm start`). */
export async function demo(log: (line: string) => void): Promise<void> {
  const show = (title: string, t: Tensor) => {
    log(title);
    for (const row of toNested(t) as number[][]) log(`    ${row.map((v) => String(v).padStart(3)).join(' ')}`);
  };
  await ready();
  const kernel = [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ];
  const impulse = unitImpulse([5, 5], 'mid');
  log('An impulse in, 5x5 with a 1 in the middle; kernel [[1,2,3],[4,5,6],[7,8,9]].\n');
  show(
    "convolve2d(impulse, kernel, { mode: 'same' })  -> the kernel as written: convolution flips the kernel, so each input sample stamps an upright copy:",
    convolve2d(impulse, kernel, { mode: 'same' }),
  );
  show(
    "correlate2d(impulse, kernel, { mode: 'same' }) -> the kernel rotated 180°: correlation slides it unflipped, so the impulse reads it backwards (deep learning's 'convolution'):",
    correlate2d(impulse, kernel, { mode: 'same' }),
  );

  const N = 1024;
  const image = { data: Float32Array.from({ length: N * N }, (_, i) => Math.sin(i * 0.01) * 255), shape: [N, N] };
  const sobel = { data: Float32Array.from([-1, 0, 1, -2, 0, 2, -1, 0, 1]), shape: [3, 3] };
  const time = (backend: 'wasm-simd' | 'js') => {
    setBackend(backend);
    let last: Tensor | null = null;
    for (let i = 0; i < 3; i++) last = correlate2d(image, sobel, { mode: 'same' });
    const runs: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      last = correlate2d(image, sobel, { mode: 'same' });
      runs.push(performance.now() - t0);
    }
    return last ? runs.sort((a, b) => a - b)[runs.length >> 1] : NaN;
  };
  const wasm = time('wasm-simd');
  const js = time('js');
  setBackend('wasm-simd');
  log(`\nSobel-X on a ${N}x${N} float32 image, 'same' correlation, median of 15 runs:`);
  log(`  wasm-simd ${wasm.toFixed(2)} ms   js ${js.toFixed(2)} ms   -> ${(js / wasm).toFixed(1)}x faster on ${getBackend()}`);
}
