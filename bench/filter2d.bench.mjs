// Image filtering end to end, single thread: simdconv's filter2d (Wasm SIMD and JS backends)
// against opencv.js cv.filter2D, sharp's convolve (libvips, concurrency 1) and a hand-written JS
// loop, on an RGBA uint8 image with a 3x3 kernel and a 15x15 Gaussian. All filter every channel
// (alpha included, as OpenCV does) with a reflect-101 border except sharp (libvips extends the edge).
// Run: npm run bench:filter [-- --size 1920x1080 --rounds 5 --time 300]
import { createRequire } from 'node:module';
import { Bench } from 'tinybench';
import { filter2d, kernels, ready, setBackend } from '../dist/index.js';
import { machine, median, parseArgs, table } from './report.mjs';

const require = createRequire(import.meta.url);
const args = parseArgs({ size: '1920x1080', rounds: 5, time: 300 });
const [W, H] = String(args.size).split('x').map(Number);

/** The loop a user writes by hand: interleaved RGBA, BORDER_REFLECT_101, rounded and clamped by Uint8ClampedArray. */
function handwritten(src, w, h, ker, kh, kw) {
  const out = new Uint8ClampedArray(src.length);
  const ay = kh >> 1;
  const ax = kw >> 1;
  const reflect = (p, n) => (n === 1 ? 0 : p < 0 ? -p : p >= n ? 2 * n - 2 - p : p);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 4; c++) {
        let s = 0;
        for (let u = 0; u < kh; u++) {
          const yy = reflect(y + u - ay, h);
          for (let v = 0; v < kw; v++) s += ker[u * kw + v] * src[(yy * w + reflect(x + v - ax, w)) * 4 + c];
        }
        out[(y * w + x) * 4 + c] = s;
      }
    }
  }
  return out;
}

async function loadOpenCv() {
  let cv = require('@techstark/opencv-js');
  if (cv instanceof Promise) cv = await cv;
  // The Emscripten module fills itself in asynchronously. It is a thenable that resolves to
  // itself, so it must never be awaited or returned bare from an async function.
  for (let waited = 0; !cv.Mat; waited += 10) {
    if (waited > 30000) throw new Error('opencv.js did not initialise in 30 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { cv };
}

await ready();
const { cv } = await loadOpenCv();
let sharp = null;
try {
  sharp = require('sharp');
  sharp.concurrency(1);
} catch {
  console.log('sharp is not installed here: its column is left out');
}

const data = new Uint8ClampedArray(W * H * 4);
let seed = 1;
for (let i = 0; i < data.length; i++) {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  data[i] = (seed >>> 24) ^ ((i >> 2) % W) * 3;
}
const image = { data, width: W, height: H, channels: 4 };

const KERNELS = {
  '3x3 sharpen': kernels.sharpen,
  '15x15 Gaussian': kernels.gaussian(15, 3),
};

const rows = [];
for (const [label, k] of Object.entries(KERNELS)) {
  const [kh, kw] = k.shape;
  const k32 = Float32Array.from(k.data);
  const src = cv.matFromArray(H, W, cv.CV_8UC4, data);
  const dst = new cv.Mat();
  const kmat = cv.matFromArray(kh, kw, cv.CV_32F, k32);
  const anchor = new cv.Point(-1, -1);
  let last = null;
  const tasks = {
    'simdconv wasm': { fn: () => { last = filter2d(image, k, { alpha: 'filter' }); }, before: () => setBackend('wasm-simd') },
    'opencv.js': {
      fn: () => {
        cv.filter2D(src, dst, -1, kmat, anchor, 0, cv.BORDER_REFLECT_101);
        last = new Uint8ClampedArray(dst.data);
      },
    },
  };
  if (sharp) {
    tasks.sharp = {
      fn: async () => {
        last = await sharp(Buffer.from(data.buffer), { raw: { width: W, height: H, channels: 4 } })
          .convolve({ width: kw, height: kh, kernel: Array.from(k.data), scale: 1 })
          .raw()
          .toBuffer();
      },
    };
  }
  if (kh <= 3) {
    tasks['hand loop'] = { fn: () => { last = handwritten(data, W, H, k.data, kh, kw); } };
    tasks['simdconv js'] = { fn: () => { last = filter2d(image, k, { alpha: 'filter' }); }, before: () => setBackend('js') };
  }

  if (process.env.BENCH_VERBOSE) console.error(`${label}: checking`);
  // Same pixels as opencv.js before timing (ties may differ by one; see test/opencv.test.ts).
  setBackend('wasm-simd');
  cv.filter2D(src, dst, -1, kmat, anchor, 0, cv.BORDER_REFLECT_101);
  const mine = filter2d(image, k, { alpha: 'filter' }).data;
  const theirs = dst.data; // a getter that builds a view each time: read it once
  let off = 0;
  for (let i = 0; i < mine.length; i++) if (Math.abs(mine[i] - theirs[i]) > 1) off++;
  if (off) throw new Error(`${label}: ${off} pixels differ from opencv.js by more than 1`);

  const samples = Object.fromEntries(Object.keys(tasks).map((t) => [t, []]));
  for (let r = 0; r < Number(args.rounds); r++) {
    for (const [name, t] of Object.entries(tasks)) {
      t.before?.();
      if (process.env.BENCH_VERBOSE) console.error(`${label}: ${name}`);
      const bench = new Bench({ time: Number(args.time), warmupTime: 50, warmupIterations: 1, iterations: 3 });
      bench.add(name, t.fn);
      await bench.run();
      samples[name].push(bench.tasks[0].result.latency.p50);
    }
  }
  setBackend('wasm-simd');
  last = null;
  const ms = Object.fromEntries(Object.entries(samples).map(([n, s]) => [n, median(s)]));
  const row = { kernel: label };
  for (const [n, m] of Object.entries(ms)) row[`${n} ms`] = m.toFixed(2);
  row['vs opencv.js'] = `${(ms['opencv.js'] / ms['simdconv wasm']).toFixed(2)}x`;
  if (ms.sharp) row['vs sharp'] = `${(ms.sharp / ms['simdconv wasm']).toFixed(2)}x`;
  if (ms['hand loop']) row['vs hand loop'] = `${(ms['hand loop'] / ms['simdconv wasm']).toFixed(1)}x`;
  rows.push(row);
  src.delete();
  dst.delete();
  kmat.delete();
}

console.log(`filter2d on RGBA uint8 ${W}x${H}, single thread; median of ${args.rounds} rounds of tinybench p50`);
console.log(machine());
console.log(table(rows));
