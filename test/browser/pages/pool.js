// The pool in a page: every family through createPool against the synchronous call, bit for bit,
// in the mode the page allows ('transfer' only without cross-origin isolation) and, where
// isolated, in both. The result goes to window.__result.
import * as s from '/dist/index.js';

let seed = 7;
const f32 = (n, scale = 1) => Float32Array.from({ length: n }, () => (((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) >>> 8) / (1 << 24) - 0.5) * scale);
const image = { data: f32(97 * 131), shape: [97, 131] };
const k3 = { data: f32(9), shape: [3, 3] };
const rgba = { data: Uint8ClampedArray.from(f32(83 * 61 * 4, 512), (v) => v + 128), width: 83, height: 61 };
const sharpen = { data: Float32Array.of(0, -1, 0, -1, 5, -1, 0, -1, 0), shape: [3, 3] };
const x64 = { data: f32(64 * 18 * 17), shape: [1, 64, 18, 17] };
const w64 = { data: f32(40 * 64 * 9, 0.2), shape: [40, 64, 3, 3] };
const cases = [
  ['correlate2d fill', 'correlate2d', [image, k3, { mode: 'same' }]],
  ['correlate2d wrap', 'correlate2d', [image, k3, { mode: 'same', boundary: 'wrap' }]],
  ['convolve2d symm full', 'convolve2d', [image, { data: f32(8), shape: [4, 2] }, { boundary: 'symm' }]],
  ['convolve 1-D', 'convolve', [f32(500), f32(7)]],
  ['fftconvolve', 'fftconvolve', [image, k3, { mode: 'same' }]],
  ['filter2d uint8', 'filter2d', [rgba, sharpen]],
  ['filter2d uint8 wrap', 'filter2d', [rgba, sharpen, { border: 'wrap' }]],
  ['filter2d float32', 'filter2d', [{ data: f32(83 * 61 * 4, 300), width: 83, height: 61 }, k3, { border: 'constant', borderValue: 3 }]],
  ['sepFilter2d', 'sepFilter2d', [rgba, f32(5), f32(3)]],
  ['filter2d uint8 5x5 Gaussian (two passes)', 'filter2d', [rgba, s.kernels.gaussian(5)]],
  ['filter2d ImageData, one pass', 'filter2d', [new ImageData(rgba.data.slice(), 83, 61), sharpen]],
  ['filter2d ImageData, two passes', 'filter2d', [new ImageData(rgba.data.slice(), 83, 61), s.kernels.gaussian(5)]],
  ['filter2d ImageData, 31x31 by FFT (whole)', 'filter2d', [new ImageData(rgba.data.slice(), 83, 61), { data: f32(31 * 31), shape: [31, 31] }, { ddepth: 'float32' }]],
  ['conv2d channel slices', 'conv2d', [x64, w64, { padding: 1, bias: f32(40) }]],
  ['conv2d NHWC', 'conv2d', [{ data: x64.data, shape: [1, 18, 17, 64] }, w64, { padding: 1, layout: 'NHWC' }]],
  ['conv2d batch', 'conv2d', [{ data: f32(3 * 5 * 20 * 20), shape: [3, 5, 20, 20] }, { data: f32(12 * 5 * 9), shape: [12, 5, 3, 3] }, { padding: 1 }]],
  ['maxPool2d', 'maxPool2d', [x64, { kernelSize: 2 }]],
  ['conv2dBackward', 'conv2dBackward', [{ data: f32(6 * 10 * 10), shape: [1, 6, 10, 10] }, { data: f32(5 * 10 * 10), shape: [1, 5, 10, 10] }, { data: f32(6 * 5 * 9), shape: [6, 5, 3, 3] }, { padding: 1 }]],
];

function differ(a, b) {
  if (ArrayBuffer.isView(b)) {
    if (!a || a.constructor !== b.constructor || a.length !== b.length) return 'type or length';
    for (let i = 0; i < b.length; i++) if (!Object.is(a[i], b[i])) return `sample ${i}`;
    return null;
  }
  if (b && typeof b === 'object') {
    for (const key of Object.keys(b)) {
      const d = differ(a?.[key], b[key]);
      if (d) return `${key}: ${d}`;
    }
    return null;
  }
  return Object.is(a, b) ? null : `${a} != ${b}`;
}

async function run() {
  await s.ready();
  const modes = crossOriginIsolated ? ['shared', 'transfer'] : ['transfer'];
  // A page's pool never holds its thread: blocking (Node's option) is refused here.
  const blocking = await s.createPool({ threads: 2, blocking: true }).then((p) => (p.close(), 'created'), (e) => `${e.name} ${e.code}`);
  const report = { crossOriginIsolated, poolMode: s.features().poolMode, modes: {}, errors: [], blocking };
  for (const mode of modes) {
    const pool = await s.createPool({ threads: 2, mode });
    const mismatches = [];
    for (const [name, fn, args] of cases) {
      const d = differ(await pool[fn](...args), s[fn](...args));
      if (d) mismatches.push(`${name}: ${d}`);
    }
    const rejected = await pool.correlate2d(image, 'kernel').then(() => null, (e) => `${e.name} ${e.code}`);
    report.modes[mode] = { mode: pool.mode, compared: cases.length, mismatches, rejected };
    await pool.close();
  }
  return report;
}

run().then((r) => (window.__result = r), (e) => (window.__result = { error: `${e.name}: ${e.message}` }));
