// The benchmark grid's workloads and its measuring loop, shared by the Node runner (bench/grid.mjs)
// and the browser one (bench/browser/): nothing here touches Node or the DOM. Peers come in as
// arguments, so each runner loads them its own way.
//   W1-W3  1024x1024 float32 'same' correlation, 3x3 / 7x7 / 31x31 (correlate2d; OpenCV's border constant 0)
//   W4     RGBA 1920x1080 3x3 sharpen, float32 and uint8 (filter2d, every channel, reflect-101)
//   W5     conv2d 1x64x56x56, 64x64x3x3, pad 1, bias
//   W6     conv2d 1x3x224x224, 64x3x7x7, stride 2, pad 3, bias (the ResNet stem)
//   W7     depthwise conv2d 1x32x112x112, 3x3, pad 1, bias
// Every task returns its result to JS (a fresh array, or tfjs's dataSync, or onnxruntime's
// output) and keeps it until the next call. Each round runs every task once with tinybench
// (its p50), in an order that alternates between rounds; times are medians over rounds, and
// ratios are taken within each round, then their median. Every peer's result is checked
// against simdconv's before timing.
import { handwrittenCorrelateSame } from './handwritten.mjs';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * The workloads over the given libraries: simdconv (the package's exports), cv (opencv.js), tf
 * (tfjs-core with the wasm backend ready), ort ({ version, conv(spec) -> run(x) }), and whether
 * the relaxed build runs here. Peers given as null are left out.
 */
export function makeWorkloads({ simdconv, cv, tf, ort, hasRelaxed, pool = null, blocking = null }) {
  const { conv2d, correlate2d, filter2d, kernels } = simdconv;

  /**
   * simdconv's own tasks: the plain build, the relaxed one where it runs, and the JS backend; with
   * a pool (the threaded grid), the same call on the pool (`pooled`, made with the plain build),
   * and on the blocking pool (the calling thread computing a share) where there is one.
   */
  function ours(call, pooled) {
    const t = { plain: { fn: call, backend: 'wasm-simd' } };
    if (hasRelaxed) t.relaxed = { fn: call, backend: 'wasm-relaxed-simd' };
    t.js = { fn: call, backend: 'js' };
    if (pool) t.pool = { fn: () => pooled(pool), async: true, backend: 'wasm-simd' };
    if (blocking) t.blocking = { fn: () => pooled(blocking), async: true, backend: 'wasm-simd' };
    return t;
  }

  function random(n, seed, Type = Float32Array) {
    const out = new Type(n);
    let s = seed >>> 0;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      out[i] = Type === Uint8ClampedArray ? s >>> 24 : s / 4294967296 - 0.5;
    }
    return out;
  }

  /** The largest difference between two arrays, relative to the largest magnitude of `want`. */
  function relativeError(got, want) {
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < want.length; i++) {
      worst = Math.max(worst, Math.abs(got[i] - want[i]));
      scale = Math.max(scale, Math.abs(want[i]));
    }
    return worst / (scale || 1);
  }

  function agree(label, got, want, tol) {
    if (got.length !== want.length) throw new Error(`${label}: ${got.length} results, simdconv has ${want.length}`);
    const e = relativeError(got, want);
    if (!(e <= tol)) throw new Error(`${label}: differs from simdconv by ${e} (relative), more than ${tol}`);
  }

  // ------------------------------------------------------------------------------------------
  // The workloads: each gives its tasks (name -> { fn, backend? }) and checks the peers' results.

  /** The pool's results are the synchronous plain build's, bit for bit. */
  async function identical(label, pooled, call) {
    const before = simdconv.getBackend();
    simdconv.setBackend('wasm-simd');
    const want = call().data;
    simdconv.setBackend(before);
    const got = (await pooled()).data;
    if (got.length !== want.length || got.some((v, i) => !Object.is(v, want[i]))) throw new Error(`${label}: not the synchronous result bit for bit`);
  }

  async function correlation(k, label) {
    const N = 1024;
    const img = { data: random(N * N, 1), shape: [N, N] };
    const ker = { data: random(k * k, 2), shape: [k, k] };
    const call = () => correlate2d(img, ker, { mode: 'same' });
    const reused = new Float32Array(N * N);
    const tasks = { ...ours(call, (p) => p.correlate2d(img, ker, { mode: 'same' })), 'plain out': { fn: () => correlate2d(img, ker, { mode: 'same', out: reused }), backend: 'wasm-simd' }, loop: { fn: () => handwrittenCorrelateSame(img.data, N, N, ker.data, k, k) } };
    const want = call().data;
    const free = [];
    if (cv) {
      const src = cv.matFromArray(N, N, cv.CV_32F, img.data);
      const kmat = cv.matFromArray(k, k, cv.CV_32F, ker.data);
      const dst = new cv.Mat();
      const anchor = new cv.Point(-1, -1);
      tasks.opencv = { fn: () => (cv.filter2D(src, dst, cv.CV_32F, kmat, anchor, 0, cv.BORDER_CONSTANT), new Float32Array(dst.data32F)) };
      tasks['opencv view'] = { fn: () => (cv.filter2D(src, dst, cv.CV_32F, kmat, anchor, 0, cv.BORDER_CONSTANT), dst.data32F) };
      free.push(src, kmat, dst);
      agree(`${label} opencv.js`, tasks.opencv.fn(), want, 1e-5);
    }
    if (tf) {
      const x = tf.tensor4d(img.data, [1, N, N, 1]);
      const w = tf.tensor4d(ker.data, [k, k, 1, 1]);
      tasks.tfjs = { fn: () => tfRun(() => tf.conv2d(x, w, 1, 'same')) };
      free.push(x, w);
      agree(`${label} tfjs-wasm`, tasks.tfjs.fn(), want, 1e-5);
    }
    agree(`${label} hand loop`, tasks.loop.fn(), want, 1e-5);
    if (pool) await identical(`${label} pool`, tasks.pool.fn, call);
    if (blocking) await identical(`${label} blocking pool`, tasks.blocking.fn, call);
    return { tasks, free: () => free.forEach((m) => (m.delete ? m.delete() : m.dispose())) };
  }

  function tfRun(op) {
    const y = op();
    const d = y.dataSync();
    y.dispose();
    return d;
  }

  /** The loop a user writes by hand for an interleaved image: every channel, BORDER_REFLECT_101. */
  function handFilter(src, w, h, c, ker, k, Out) {
    const out = new Out(src.length);
    const a = k >> 1;
    const reflect = (p, n) => (n === 1 ? 0 : p < 0 ? -p : p >= n ? 2 * n - 2 - p : p);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < c; ch++) {
          let s = 0;
          for (let u = 0; u < k; u++) {
            const yy = reflect(y + u - a, h);
            for (let v = 0; v < k; v++) s += ker[u * k + v] * src[(yy * w + reflect(x + v - a, w)) * c + ch];
          }
          out[(y * w + x) * c + ch] = s;
        }
      }
    }
    return out;
  }

  async function rgba(dtype) {
    const [W, H] = [1920, 1080];
    const Type = dtype === 'uint8' ? Uint8ClampedArray : Float32Array;
    const data = random(W * H * 4, 3, Type);
    const image = { data, width: W, height: H, channels: 4 };
    const k = kernels.sharpen;
    const k32 = Float32Array.from(k.data);
    const call = () => filter2d(image, k, { alpha: 'filter' });
    const reused = new Type(data.length);
    const tasks = { ...ours(call, (p) => p.filter2d(image, k, { alpha: 'filter' })), 'plain out': { fn: () => filter2d(image, k, { alpha: 'filter', out: reused }), backend: 'wasm-simd' }, loop: { fn: () => handFilter(data, W, H, 4, k32, 3, Type) } };
    const want = call().data;
    const free = [];
    if (cv) {
      const src = cv.matFromArray(H, W, dtype === 'uint8' ? cv.CV_8UC4 : cv.CV_32FC4, data);
      const kmat = cv.matFromArray(3, 3, cv.CV_32F, k32);
      const dst = new cv.Mat();
      const anchor = new cv.Point(-1, -1);
      const copy = dtype === 'uint8' ? () => new Uint8ClampedArray(dst.data) : () => new Float32Array(dst.data32F);
      tasks.opencv = { fn: () => (cv.filter2D(src, dst, -1, kmat, anchor, 0, cv.BORDER_REFLECT_101), copy()) };
      const view = dtype === 'uint8' ? () => dst.data : () => dst.data32F;
      tasks['opencv view'] = { fn: () => (cv.filter2D(src, dst, -1, kmat, anchor, 0, cv.BORDER_REFLECT_101), view()) };
      free.push(src, kmat, dst);
      agree(`W4 ${dtype} opencv.js`, tasks.opencv.fn(), want, dtype === 'uint8' ? 1 / 255 : 1e-6);
    }
    // tfjs has no uint8 convolution; its zero border costs what reflect-101 would.
    if (dtype === 'float32' && tf) {
      const x = tf.tensor4d(data, [1, H, W, 4]);
      const w = tf.tensor4d(Float32Array.from({ length: 9 * 4 }, (_, i) => k32[Math.floor(i / 4)]), [3, 3, 4, 1]);
      tasks.tfjs = { fn: () => tfRun(() => tf.depthwiseConv2d(x, w, 1, 'same')) };
      free.push(x, w);
    }
    agree(`W4 ${dtype} hand loop`, tasks.loop.fn(), want, dtype === 'uint8' ? 1 / 255 : 1e-6);
    if (pool) await identical(`W4 ${dtype} pool`, tasks.pool.fn, call);
    if (blocking) await identical(`W4 ${dtype} blocking pool`, tasks.blocking.fn, call);
    return { tasks, free: () => free.forEach((m) => (m.delete ? m.delete() : m.dispose())) };
  }

  /** The naive loop over a layer, NCHW, zero padding. */
  function handLayer(x, w, b, { c, h, oc, k, stride, pad, groups }) {
    const oh = Math.floor((h + 2 * pad - k) / stride) + 1;
    const icg = c / groups;
    const ocg = oc / groups;
    const out = new Float32Array(oc * oh * oh);
    for (let o = 0; o < oc; o++) {
      const g = Math.floor(o / ocg);
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < oh; j++) {
          let s = b[o];
          for (let ci = 0; ci < icg; ci++) {
            for (let u = 0; u < k; u++) {
              const y = i * stride + u - pad;
              if (y < 0 || y >= h) continue;
              for (let v = 0; v < k; v++) {
                const xx = j * stride + v - pad;
                if (xx >= 0 && xx < h) s += w[((o * icg + ci) * k + u) * k + v] * x[((g * icg + ci) * h + y) * h + xx];
              }
            }
          }
          out[(o * oh + i) * oh + j] = s;
        }
      }
    }
    return out;
  }

  const toNhwc = (x, c, h) => {
    const out = new Float32Array(x.length);
    for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * h; i++) out[i * c + ch] = x[ch * h * h + i];
    return out;
  };

  async function layer(spec, label) {
    const { c, h, oc, k, stride, pad, groups } = spec;
    const icg = c / groups;
    const x = random(c * h * h, 4);
    const wt = random(oc * icg * k * k, 5);
    const b = random(oc, 6);
    const opts = { stride, padding: pad, groups, bias: b };
    const input = { data: x, shape: [1, c, h, h] };
    const inputLast = { data: toNhwc(x, c, h), shape: [1, h, h, c] };
    const weight = { data: wt, shape: [oc, icg, k, k] };
    const nchw = () => conv2d(input, weight, opts);
    const nhwc = () => conv2d(inputLast, weight, { ...opts, layout: 'NHWC' });
    const tasks = { ...ours(nchw, (p) => p.conv2d(input, weight, opts)) };
    tasks['plain NHWC'] = { fn: nhwc, backend: 'wasm-simd' };
    if (hasRelaxed) tasks['relaxed NHWC'] = { fn: nhwc, backend: 'wasm-relaxed-simd' };
    if (pool) tasks['pool NHWC'] = { fn: () => pool.conv2d(inputLast, weight, { ...opts, layout: 'NHWC' }), async: true, backend: 'wasm-simd' };
    tasks.loop = { fn: () => handLayer(x, wt, b, spec) };
    const want = nchw();
    const oh = want.shape[2];
    // tfjs: NHWC input, filter HWIO (HWC1 for depthwise).
    const depthwise = groups === c && oc === c;
    const filter = new Float32Array(wt.length);
    for (let o = 0; o < oc; o++) for (let i = 0; i < icg; i++) for (let t = 0; t < k * k; t++) filter[depthwise ? t * c + o : (t * c + i) * oc + o] = wt[(o * icg + i) * k * k + t];
    const free = [];
    if (tf) {
      const tx = tf.tensor4d(inputLast.data, inputLast.shape);
      const tw = tf.tensor4d(filter, depthwise ? [k, k, c, 1] : [k, k, c, oc]);
      const tb = tf.tensor1d(b);
      const tfPad = [[0, 0], [pad, pad], [pad, pad], [0, 0]];
      // The fused ops add the bias inside the convolution, as a tfjs model's layers do.
      const fused = { x: tx, filter: tw, bias: tb, strides: stride, pad: tfPad };
      tasks.tfjs = { fn: () => tfRun(() => (depthwise ? tf.fused.depthwiseConv2d(fused) : tf.fused.conv2d(fused))) };
      free.push(tx, tw, tb);
      agree(`${label} tfjs-wasm`, tasks.tfjs.fn(), nhwc().data, 1e-5);
    }
    if (ort) {
      const run = await ort.conv({ x: [1, c, h, h], w: [oc, icg, k, k], wData: wt, bData: b, y: [1, oc, oh, oh], pad, stride, group: groups });
      tasks.ort = { fn: () => run(x), async: true };
      agree(`${label} onnxruntime-web`, await run(x), want.data, 1e-5);
    }
    agree(`${label} hand loop`, tasks.loop.fn(), want.data, 1e-5);
    if (pool) await identical(`${label} pool`, tasks.pool.fn, nchw);
    if (blocking) await identical(`${label} blocking pool`, tasks.blocking.fn, nchw);
    return { tasks, free: () => free.forEach((t) => t.dispose()) };
  }

  return [
    { name: 'w1', label: 'W1 1024x1024 3x3', make: () => correlation(3, 'W1') },
    { name: 'w2', label: 'W2 1024x1024 7x7', make: () => correlation(7, 'W2') },
    { name: 'w3', label: 'W3 1024x1024 31x31', make: () => correlation(31, 'W3') },
    { name: 'w4', label: 'W4 RGBA 1080p 3x3 float32', make: () => rgba('float32') },
    { name: 'w4u8', label: 'W4 RGBA 1080p 3x3 uint8', make: () => rgba('uint8') },
    { name: 'w5', layer: true, label: 'W5 64->64 3x3 at 56x56', make: () => layer({ c: 64, h: 56, oc: 64, k: 3, stride: 1, pad: 1, groups: 1 }, 'W5') },
    { name: 'w6', layer: true, label: 'W6 ResNet stem 7x7/2', make: () => layer({ c: 3, h: 224, oc: 64, k: 7, stride: 2, pad: 3, groups: 1 }, 'W6') },
    { name: 'w7', layer: true, label: 'W7 depthwise 32x112x112 3x3', make: () => layer({ c: 32, h: 112, oc: 32, k: 3, stride: 1, pad: 1, groups: 32 }, 'W7') },
  ];
}

/** Display names of the tasks, given the peers' versions. */
export function taskNames(versions) {
  return {
    plain: 'simdconv SIMD',
    relaxed: 'simdconv relaxed SIMD',
    'plain NHWC': 'simdconv SIMD NHWC',
    'relaxed NHWC': 'simdconv relaxed NHWC',
    'plain out': 'simdconv SIMD into out',
    pool: 'simdconv pool',
    'pool NHWC': 'simdconv pool NHWC',
    blocking: 'simdconv blocking pool',
    'opencv view': 'opencv.js, result read in place',
    js: 'simdconv JS backend',
    loop: 'hand loop',
    opencv: `opencv.js ${versions.opencv ?? ''}`.trim(),
    tfjs: `tfjs-wasm ${versions.tfjs ?? ''}`.trim(),
    ort: `onnxruntime-web ${versions.ort ?? ''}`.trim(),
  };
}

/** Ratios reported: [column, peer task, simdconv task]; the layer rows compare like layouts (tfjs is NHWC, onnxruntime NCHW). */
export const RATIOS = [
  ['vs opencv.js', 'opencv', 'plain'],
  ['vs opencv.js, buffers reused', 'opencv view', 'plain out'],
  ['vs tfjs-wasm', 'tfjs', 'plain'],
  ['vs onnxruntime-web', 'ort', 'plain'],
  ['relaxed vs plain', 'plain', 'relaxed'],
  ['vs JS backend', 'js', 'plain'],
  ['vs hand loop', 'loop', 'plain'],
  // The threaded grid: the pool against simdconv on one thread, and against the peers as they run there.
  ['pool vs one thread', 'plain', 'pool'],
  ['pool vs tfjs-wasm', 'tfjs', 'pool'],
  ['pool vs onnxruntime-web', 'ort', 'pool'],
  ['pool vs opencv.js', 'opencv', 'pool'],
  // The blocking pool (Node): the calling thread computes a share, one worker the other.
  ['blocking pool vs one thread', 'plain', 'blocking'],
  ['blocking pool vs tfjs-wasm', 'tfjs', 'blocking'],
  ['blocking pool vs onnxruntime-web', 'ort', 'blocking'],
];

/**
 * Runs each workload for `rounds` rounds and returns per workload its median times (ms) and
 * ratios. `setBackend` is simdconv's; `log` gets one line per workload.
 */
export async function runGrid({ workloads, Bench, setBackend, rounds, time, log = () => {} }) {
  // A full collection before each task, where the host exposes one, so that the garbage of the
  // slow tasks (the JS backend, the loops) is not collected inside the next task's timing.
  const collect = typeof globalThis.gc === 'function' ? () => globalThis.gc() : () => {};
  const results = [];
  for (const wl of workloads) {
    log(`${wl.label}: checking`);
    const { tasks, free } = await wl.make();
    const samples = Object.fromEntries(Object.keys(tasks).map((n) => [n, []]));
    let keep = null;
    for (let r = 0; r < rounds; r++) {
      const order = Object.keys(tasks);
      if (r % 2) order.reverse();
      for (const name of order) {
        const t = tasks[name];
        setBackend(t.backend ?? 'wasm-simd');
        keep = null;
        collect();
        // The slow tasks (the loops, the JS backend) get a few calls; the rest `time` ms.
        const bench = new Bench({ time, warmupTime: 0, warmupIterations: 1, iterations: 2 });
        bench.add(name, t.async ? async () => { keep = await t.fn(); } : () => { keep = t.fn(); });
        await bench.run();
        samples[name].push(bench.tasks[0].result.latency.p50);
      }
    }
    void keep;
    setBackend('wasm-simd');
    free();
    const layerRow = Boolean(wl.layer);
    const row = { workload: wl.label, ms: Object.fromEntries(Object.entries(samples).map(([n, s]) => [n, median(s)])), ratios: {} };
    for (const [column, peer, mine] of RATIOS) {
      const base = layerRow && peer === 'tfjs' ? `${mine} NHWC` : mine;
      if (samples[peer] && samples[base]) row.ratios[column] = median(samples[peer].map((t, i) => t / samples[base][i]));
    }
    results.push(row);
    log(`${wl.label}: ${Object.entries(row.ms).map(([n, m]) => `${n} ${m.toFixed(2)}`).join(', ')}`);
  }
  return results;
}

/** The ratio table and the time table of a grid run, as rows for a markdown table. */
export function tables(results, names) {
  const tasks = [...new Set(results.flatMap((r) => Object.keys(r.ms)))];
  const fmt = (v) => (v === undefined ? '-' : v < 10 ? v.toFixed(2) : v.toFixed(1));
  return {
    // Columns no workload has (the pool's, in the single-thread grid) are left out.
    ratios: results.map((r) => Object.fromEntries([['workload', r.workload], ...RATIOS.filter(([c]) => results.some((x) => x.ratios[c] !== undefined)).map(([c]) => [c, r.ratios[c] === undefined ? '-' : `${r.ratios[c].toFixed(2)}x`])])),
    times: results.map((r) => Object.fromEntries([['workload', r.workload], ...tasks.map((n) => [`${names[n]} ms`, fmt(r.ms[n])])])),
  };
}

export function markdownTable(rows) {
  const cols = Object.keys(rows[0]);
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(cols), line(cols.map(() => '---')), ...rows.map((r) => line(cols.map((c) => r[c])))].join('\n');
}
