import { cpus } from 'node:os';
import { Bench } from 'tinybench';
import { filter2d, ready, setBackend, type ImageLike } from '../index';
import type { Tensor } from '../core/tensor';
import { UsageError } from './args';

export interface BenchOptions {
  width: number;
  height: number;
  channels: number;
  kernel: Tensor;
  kernelName: string;
  time: number;
  rounds: number;
}

export function parseSize(spec: string): [number, number] {
  const m = /^(\d+)x(\d+)$/.exec(spec);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new UsageError(`--size expects WIDTHxHEIGHT, got "${spec}"`);
  return [Number(m[1]), Number(m[2])];
}

/** tinybench, Wasm SIMD vs the JS fallback, filter2d on a random uint8 image of the user's size; medians over rounds. */
export async function bench(o: BenchOptions, log: (line: string) => void): Promise<void> {
  await ready();
  const data = new Uint8ClampedArray(o.width * o.height * o.channels);
  let s = 12345;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s >>> 24;
  }
  const image: ImageLike = { data, width: o.width, height: o.height, channels: o.channels };
  const samples: Record<string, number[]> = { 'wasm-simd': [], js: [] };
  for (let r = 0; r < o.rounds; r++) {
    for (const backend of ['wasm-simd', 'js'] as const) {
      setBackend(backend);
      const b = new Bench({ time: o.time, warmupTime: 50, iterations: 3 });
      b.add(backend, () => filter2d(image, o.kernel));
      await b.run();
      samples[backend].push((b.tasks[0].result as unknown as { latency: { p50: number } }).latency.p50);
    }
  }
  setBackend('wasm-simd');
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
  const wasm = median(samples['wasm-simd']);
  const js = median(samples.js);
  log(`filter2d ${o.width}x${o.height}x${o.channels} uint8, kernel ${o.kernelName}; median of ${o.rounds} rounds of tinybench p50 (${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version})`);
  log(`  wasm-simd ${wasm.toFixed(2)} ms`);
  log(`  js        ${js.toFixed(2)} ms`);
  log(`  wasm-simd is ${(js / wasm).toFixed(1)}x faster`);
}
