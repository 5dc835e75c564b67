// Bare-kernel check and benchmark for build/simdconv.wasm (build it first:
// `npx asc assembly/index.ts --target release`). No dependencies.
//
//   node bench/kernel.mjs              correctness sweep, then the standard timing table
//   node bench/kernel.mjs --all        also time the extra shapes (11x11, 31x31, Nx1, ...)
//   node bench/kernel.mjs --check      correctness only        --bench   timing only
//   node bench/kernel.mjs --only=3x3,f64:7x7   time just these shapes
//   node bench/kernel.mjs --seed=N --cases=N  change the random sweep      --rounds=N  timing samples
//   node bench/kernel.mjs --wasm=path          use another build of the module
//   node bench/kernel.mjs --bench --layer      also time the layer kernel (convF32) on W6's shapes
//
// Exits non-zero on any mismatch, on a write outside the output elements, or on a trap.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { median as med } from "./report.mjs";

const args = new Map(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, "").split("=");
  return [k, v ?? true];
}));
const SEED = Number(args.get("seed") ?? 0x5eed);
const RANDOM_CASES = Number(args.get("cases") ?? 600);
const doCheck = !args.has("bench");
const doBench = !args.has("check");

// Kernels may read this far past the end of the input and kernel regions.
const READ_SLACK_BYTES = 64;
const PAGE_BYTES = 65536;
const MEMORY_PAGES = 512; // 32 MiB for the correctness sweep; the timing section grows it
const TOL = { f32: 1e-5, f64: 1e-12 };

const memory = new WebAssembly.Memory({ initial: MEMORY_PAGES, maximum: 16384 });
const wasmPath = typeof args.get("wasm") === "string" ? args.get("wasm") : new URL("../build/simdconv.wasm", import.meta.url);
const wasm = readFileSync(wasmPath);
const { instance } = await WebAssembly.instantiate(wasm, { env: { memory } });
const { correlateF32, correlateF64, correlateTapsF32, correlateTapsF64, convF32, heapBase } = instance.exports;
const HEAP = (heapBase() + 63) & ~63;
const MEM_END = MEMORY_PAGES * PAGE_BYTES;

const DT = {
  f32: { bytes: 4, Arr: Float32Array, fn: correlateF32, taps: correlateTapsF32 },
  f64: { bytes: 8, Arr: Float64Array, fn: correlateF64, taps: correlateTapsF64 },
};

// Deterministic PRNG (mulberry32) so a failing case can be replayed with --seed.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(SEED);
const randInt = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1)); // inclusive
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

// ---------------------------------------------------------------- correctness

// Sentinel written into every output byte the kernel does not own; compared bitwise.
const SENTINEL = { f32: 0x7fa5a5a5, f64: 0x7ff5a5a5a5a5a5a5n };

function views(dt, byteOff, n) {
  const { Arr } = DT[dt];
  return new Arr(memory.buffer, byteOff, n);
}
function fillSentinel(dt, byteOff, n) {
  if (dt === "f32") new Uint32Array(memory.buffer, byteOff, n).fill(SENTINEL.f32);
  else new BigUint64Array(memory.buffer, byteOff, n).fill(SENTINEL.f64);
}
function isSentinel(dt, byteOff) {
  return dt === "f32"
    ? new Uint32Array(memory.buffer, byteOff, 1)[0] === SENTINEL.f32
    : new BigUint64Array(memory.buffer, byteOff, 1)[0] === SENTINEL.f64;
}

/**
 * Runs one case. placement: "mid" (regions separated by guards), "inEnd" (input region +
 * exactly READ_SLACK_BYTES ends at the end of memory: an over-read traps), "kerEnd" (same
 * for the kernel). Returns an error string or null.
 */
function runCase(dt, c) {
  const { bytes, Arr, fn } = DT[dt];
  const { kh, kw, oh, ow, inPad, outPad, accumulate, placement, misalign } = c;
  const step = c.step ?? 1; // elements between a kernel row's taps (C for interleaved channels)
  const span = ow + (kw - 1) * step; // input columns a row of outputs reads
  const inStride = span + inPad;
  const outStride = ow + outPad;
  const inRows = oh + kh - 1;
  const inLen = (inRows - 1) * inStride + span; // last row not padded out to stride
  const kLen = kh * kw;
  // A tap list takes 12 more bytes per tap than a dense kernel.
  const kRegion = c.taps ? kLen + Math.ceil((kLen * 12 + 36) / bytes) : kLen;
  const outLen = (oh - 1) * outStride + ow;
  const GUARD = 16; // sentinel elements before and after the output region

  // Lay out: [out guard][out][out guard] ... [kernel][slack] ... [input][slack]
  const slackEl = READ_SLACK_BYTES / bytes;
  let outPtr = HEAP + GUARD * bytes + misalign.out * bytes;
  let kerPtr = outPtr + (outLen + GUARD) * bytes + 64 + misalign.ker * bytes;
  let inPtr = kerPtr + (kRegion + slackEl) * bytes + 64 + misalign.in * bytes;
  if (placement === "inEnd") inPtr = MEM_END - (inLen + slackEl) * bytes;
  if (placement === "kerEnd") kerPtr = MEM_END - (kRegion + slackEl) * bytes;
  if (inPtr + (inLen + slackEl) * bytes > MEM_END) return "case too large for memory";

  // Input: random inside the valid columns, NaN in the stride gap and in the read slack, so
  // a value that leaks from there into a stored result shows up as NaN.
  const inp = views(dt, inPtr, inLen + slackEl);
  inp.fill(NaN);
  for (let r = 0; r < inRows; r++)
    for (let q = 0; q < span; q++) inp[r * inStride + q] = rand() * 2 - 1;
  const ker = views(dt, kerPtr, kRegion + slackEl);
  ker.fill(NaN);
  // A tap-list case (correlateTaps) drops about half the taps; the list goes where the kernel
  // would, and the reference's zero taps add nothing.
  // (c.mask: exactly the nonzero taps of one of correlateTaps' 3x3 masks, bit 3 * row + column.)
  for (let i = 0; i < kLen; i++) ker[i] = c.taps && (c.mask !== undefined ? !(c.mask & (1 << i)) : rand() < 0.5) ? 0 : rand() * 2 - 1;
  const dense = Arr.from(ker.subarray(0, kLen));
  let nTaps = 0;
  if (c.taps) {
    const kept = [...dense.keys()].filter((i) => dense[i] !== 0);
    nTaps = kept.length;
    ker.fill(NaN);
    kept.forEach((i, t) => { ker[t] = dense[i]; });
    const pos = new Int32Array(memory.buffer, kerPtr + nTaps * bytes, 2 * nTaps);
    kept.forEach((i, t) => { pos[2 * t] = Math.floor(i / kw); pos[2 * t + 1] = i % kw; });
  }
  const inCopy = Arr.from(inp), kerCopy = Arr.from(ker);

  // Output: sentinel everywhere (guards + gap columns), then the owned elements get either
  // the value to accumulate onto or NaN (which must be overwritten when accumulate = 0).
  fillSentinel(dt, outPtr - GUARD * bytes, outLen + 2 * GUARD);
  const out = views(dt, outPtr, outLen);
  const base = new Float64Array(oh * ow);
  for (let i = 0; i < oh; i++)
    for (let j = 0; j < ow; j++) {
      const b = accumulate ? rand() * 2 - 1 : NaN;
      out[i * outStride + j] = b;
      base[i * ow + j] = out[i * outStride + j];
    }

  try {
    if (c.taps) DT[dt].taps(inPtr, inStride, kerPtr, nTaps, outPtr, outStride, oh, ow, accumulate, step);
    else fn(inPtr, inStride, kerPtr, kh, kw, outPtr, outStride, oh, ow, accumulate, step);
  } catch (e) {
    return `trap: ${e.message}`;
  }

  const o = views(dt, outPtr, outLen);
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      let s = accumulate ? base[i * ow + j] : 0;
      let mag = accumulate ? Math.abs(s) : 0;
      for (let u = 0; u < kh; u++)
        for (let v = 0; v < kw; v++) {
          const p = dense[u * kw + v] * inp[(i + u) * inStride + j + v * step];
          s += p;
          mag += Math.abs(p);
        }
      const got = o[i * outStride + j];
      if (!(Math.abs(got - s) <= TOL[dt] * mag)) {
        return `out[${i}][${j}] = ${got}, expected ${s} (|err| ${Math.abs(got - s)}, allowed ${TOL[dt] * mag})`;
      }
    }
    for (let j = ow; j < outStride && i < oh - 1; j++)
      if (!isSentinel(dt, outPtr + (i * outStride + j) * bytes))
        return `wrote gap column out[${i}][${j}]`;
  }
  for (let g = 1; g <= GUARD; g++) {
    if (!isSentinel(dt, outPtr - g * bytes)) return `wrote ${g} elements before the output`;
    if (!isSentinel(dt, outPtr + (outLen - 1 + g) * bytes)) return `wrote ${g} elements past the output`;
  }
  for (let i = 0; i < inp.length; i++)
    if (!Object.is(inp[i], inCopy[i])) return `modified input element ${i}`;
  // (A tap list ends in the kernel's scratch: the taps' offsets and a 3x3 mask's nine weights.)
  const kerKept = c.taps ? nTaps + (nTaps * 8) / bytes : ker.length;
  for (let i = 0; i < kerKept; i++)
    if (!Object.is(ker[i], kerCopy[i])) return `modified kernel element ${i}`;
  for (let i = kerKept + (c.taps ? Math.ceil((nTaps * 4 + 36) / bytes) : 0); i < ker.length; i++)
    if (!Object.is(ker[i], kerCopy[i])) return `modified kernel element ${i}`;
  return null;
}

function makeCases() {
  const cases = [];
  const add = (kh, kw, oh, ow, extra = {}) => {
    for (const accumulate of [0, 1])
      cases.push({
        kh, kw, oh, ow, accumulate,
        inPad: extra.inPad ?? 0, outPad: extra.outPad ?? 0,
        placement: extra.placement ?? "mid",
        misalign: extra.misalign ?? { out: 0, ker: 0, in: 0 },
        step: extra.step ?? 1,
      });
  };
  // Hand-picked edge cases: tiny outputs, kernels wider than the output, 1-wide kernels,
  // the specialised shapes at odd sizes, huge kernels, stride gaps.
  const owEdge = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33];
  const kEdge = [[1, 1], [1, 2], [2, 1], [3, 3], [5, 5], [7, 7], [1, 3], [3, 1], [2, 5], [4, 6],
    [1, 31], [31, 1], [11, 11], [15, 15], [1, 64], [64, 1], [31, 31], [6, 2], [3, 5], [5, 3]];
  for (const [kh, kw] of kEdge)
    for (const ow of owEdge)
      for (const oh of [1, 2, 3, 5])
        add(kh, kw, oh, ow, { outPad: ow % 3, inPad: ow % 2, placement: pick(["mid", "inEnd", "kerEnd"]) });
  // Interleaved channels: taps C elements apart (3, 4 = one f32 vector, 2 = one f64 vector).
  for (const step of [2, 3, 4])
    for (const [kh, kw] of kEdge)
      for (const ow of [1, 3, 4, 5, 8, 13, 17])
        add(kh, kw, pick([1, 2, 3, 4, 7]), ow * step, { step, outPad: ow % 3, placement: pick(["mid", "inEnd", "kerEnd"]) });
  for (const [kh, kw] of kEdge) {
    add(kh, kw, 37, 41, { outPad: 3, inPad: 5 });
    add(kh, kw, 8, 19, { placement: "inEnd" });
    add(kh, kw, 9, 6, { placement: "kerEnd", outPad: 1 });
  }
  for (let n = 0; n < RANDOM_CASES; n++) {
    const big = rand() < 0.15;
    const kh = big ? randInt(1, 31) : randInt(1, 9);
    const kw = big ? randInt(1, 40) : randInt(1, 9);
    const oh = randInt(1, big ? 12 : 40);
    const ow = randInt(1, big ? 30 : 70);
    cases.push({
      kh, kw, oh, ow, accumulate: randInt(0, 1),
      inPad: rand() < 0.5 ? 0 : randInt(1, 9),
      outPad: rand() < 0.5 ? 0 : randInt(1, 9),
      placement: pick(["mid", "mid", "inEnd", "kerEnd"]),
      misalign: { out: randInt(0, 3), ker: randInt(0, 3), in: randInt(0, 3) },
      step: rand() < 0.3 ? randInt(2, 4) : 1,
    });
  }
  return cases;
}

function check() {
  const dense = makeCases();
  // Every other case again as a tap list (the kernels large enough to hold theirs).
  const cases = dense.concat(dense.filter((c, i) => i % 2 === 0 && c.kh * c.kw >= 8).map((c) => ({ ...c, taps: true })));
  // The 3x3 masks (cross, no middle column, no middle row), adjacent and RGBA-spaced taps.
  for (const mask of [0b010111010, 0b101101101, 0b111000111])
    for (const step of [1, 4, 3])
      for (const [oh, ow] of [[3, 4], [5, 17], [6, 33], [7, 1], [2, 9], [9, 64]])
        for (const accumulate of [0, 1])
          cases.push({ kh: 3, kw: 3, oh, ow: ow * step, accumulate, inPad: ow % 3, outPad: oh % 2, placement: pick(["mid", "inEnd", "kerEnd"]), misalign: { out: 0, ker: 0, in: 0 }, step, taps: true, mask });
  let passed = 0, failed = 0;
  for (const dt of ["f32", "f64"]) {
    for (const c of cases) {
      const err = runCase(dt, c);
      if (err) {
        failed++;
        if (failed <= 20) console.error(`FAIL ${dt} ${JSON.stringify(c)}: ${err}`);
      } else passed++;
    }
  }
  console.log(`correctness: ${passed} passed, ${failed} failed (seed ${SEED})`);
  return failed === 0;
}

// ---------------------------------------------------------------- timing
//
// The machine is shared and its throughput drifts by tens of percent over seconds, so the cases
// are timed round-robin (every round takes one sample of every case) and each case reports the
// median of its samples: a slow spell then hits all cases alike instead of one unlucky case.

const N = 1024; // output is N x N
const STANDARD = [["f32", 3, 3], ["f32", 5, 5], ["f32", 7, 7], ["f32", 15, 15], ["f32", 1, 31],
  ["f64", 3, 3], ["f64", 7, 7]];
const EXTRA = [["f32", 11, 11], ["f32", 31, 31], ["f32", 31, 1], ["f32", 5, 1], ["f32", 1, 5],
  ["f32", 1, 3], ["f32", 3, 1], ["f32", 9, 9], ["f64", 5, 5], ["f64", 15, 15], ["f64", 1, 31]];
const ROUNDS = Number(args.get("rounds") ?? 21);
const SAMPLE_MS = 15; // each sample times enough back-to-back calls to take at least this long

// Reference: the machine's f32x4 mul+add throughput right now, from a tiny hand-assembled module
// (12 independent chains a = a*t + c, no loads), timed in the same rounds as the kernels. Each
// kernel is also reported as a fraction of it, taken round by round, which cancels most of the
// drift of this shared machine.
const PEAK_CHAINS = 12;
function peakModule(fused = false) {
  const leb = (n) => { const o = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; o.push(b); } while (n); return o; };
  const vec = (bytes) => [...leb(bytes.length), ...bytes];
  const section = (id, bytes) => [id, ...vec(bytes)];
  const f32x4 = (x) => [...new Uint8Array(new Float32Array([x, x, x, x]).buffer)];
  const SIMD = 0xfd, MUL = [SIMD, 0xe6, 0x01], ADD = [SIMD, 0xe4, 0x01];
  const T = 1 + PEAK_CHAINS, C = T + 1; // locals: 0 = n, 1..12 = chains, 13 = t, 14 = c
  const body = [1, PEAK_CHAINS + 2, 0x7b];
  for (let i = 1; i <= PEAK_CHAINS; i++) body.push(SIMD, 0x0c, ...f32x4(i), 0x21, i);
  body.push(SIMD, 0x0c, ...f32x4(0.5), 0x21, T, SIMD, 0x0c, ...f32x4(1), 0x21, C);
  body.push(0x03, 0x40);
  // fused: a = relaxed_madd(a, t, c), one instruction per multiply-add (the relaxed SIMD build's tap).
  const MADD = [SIMD, 0x85, 0x02];
  for (let i = 1; i <= PEAK_CHAINS; i++) body.push(...(fused ? [0x20, i, 0x20, T, 0x20, C, ...MADD] : [0x20, i, 0x20, T, ...MUL, 0x20, C, ...ADD]), 0x21, i);
  body.push(0x20, 0, 0x41, 1, 0x6b, 0x22, 0, 0x0d, 0, 0x0b);
  body.push(0x41, 0, 0x20, 1);
  for (let i = 2; i <= PEAK_CHAINS; i++) body.push(0x20, i, ...ADD);
  body.push(SIMD, 0x0b, 4, 0, 0x0b);
  const bytes = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [1, 0x60, 1, 0x7f, 0]),
    ...section(2, [1, ...vec([...Buffer.from("env")]), ...vec([...Buffer.from("memory")]), 2, 0, 1]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...vec([...Buffer.from("peak")]), 0, 0]),
    ...section(10, [1, ...vec(body)])];
  if (!WebAssembly.validate(new Uint8Array(bytes))) return null;
  const mod = new WebAssembly.Module(new Uint8Array(bytes));
  return new WebAssembly.Instance(mod, { env: { memory: new WebAssembly.Memory({ initial: 1 }) } }).exports.peak;
}

function setupCase(dt, kh, kw, base) {
  const { bytes, fn } = DT[dt];
  const inStride = N + kw - 1, inRows = N + kh - 1;
  const inPtr = base;
  const kerPtr = (inPtr + inRows * inStride * bytes + READ_SLACK_BYTES + 63) & ~63;
  const outPtr = (kerPtr + (kh * kw) * bytes + READ_SLACK_BYTES + 63) & ~63;
  const end = (outPtr + N * N * bytes + 63) & ~63;
  return {
    dt, kh, kw, inStride, inPtr, kerPtr, outPtr, end, ms: [],
    call: () => fn(inPtr, inStride, kerPtr, kh, kw, outPtr, N, N, N, 0, 1),
  };
}

/**
 * The layer kernel alone on W6's shapes (1x3x224x224, 64x3x7x7, stride 2, pad 3, 112x112 out):
 * an input already padded, weights packed as src/engines/layer.ts packs them ([block of 8
 * output channels][tap][8]) and the tap table in weight order, NCHW or NHWC (the input and the
 * output in the same layout, as conv2d runs them).
 */
const W6 = { C: 3, K: 7, S: 2, OC: 64, OH: 112, PW: 230 };
function setupLayerCase(layout, base) {
  const { C, K, S, OC, OH, PW } = W6;
  const nTaps = C * K * K;
  const inPtr = base;
  const tapPtr = (inPtr + PW * PW * C * 4 + READ_SLACK_BYTES + 63) & ~63;
  const wPtr = (tapPtr + nTaps * 4 + 63) & ~63;
  const bPtr = (wPtr + OC * nTaps * 4 + 63) & ~63;
  const outPtr = (bPtr + OC * 4 + 63) & ~63;
  const end = (outPtr + OC * OH * OH * 4 + 63) & ~63;
  const nhwc = layout === "NHWC";
  const offset = (c, y, x) => (nhwc ? (y * PW + x) * C + c : (c * PW + y) * PW + x);
  const out = (o, r, col) => (nhwc ? (r * OH + col) * OC + o : (o * OH + r) * OH + col);
  return {
    dt: "f32", label: `W6 ${layout}`, kh: K, kw: K, inPtr, tapPtr, wPtr, bPtr, outPtr, end, ms: [],
    flop: 2 * OC * OH * OH * nTaps,
    fill() {
      const f32 = new Float32Array(memory.buffer), u32 = new Uint32Array(memory.buffer);
      for (let i = 0; i < PW * PW * C; i++) f32[inPtr / 4 + i] = rand() * 2 - 1;
      let t = 0;
      for (let c = 0; c < C; c++) for (let y = 0; y < K; y++) for (let x = 0; x < K; x++) u32[tapPtr / 4 + t++] = offset(c, y, x) * 4;
      for (let i = 0; i < OC * nTaps; i++) f32[wPtr / 4 + i] = rand() * 2 - 1;
      for (let i = 0; i < OC; i++) f32[bPtr / 4 + i] = rand() * 2 - 1;
    },
    call: () => convF32(inPtr, tapPtr, nTaps, wPtr, bPtr, OC, outPtr, nhwc ? 4 : OH * OH * 4, OH * OH, OH,
      S * PW * (nhwc ? C : 1) * 4, S * (nhwc ? C : 1) * 4, nhwc ? OH * OC * 4 : OH * 4, nhwc ? OC * 4 : 4),
    /** Output samples against a scalar sum of the packed weights: the number of bad ones. */
    spotCheck() {
      const f32 = new Float32Array(memory.buffer);
      let bad = 0;
      for (let n = 0; n < 300; n++) {
        const o = randInt(0, OC - 1), r = randInt(0, OH - 1), col = n < 20 ? OH - 1 - (n % 4) : randInt(0, OH - 1);
        let s = f32[bPtr / 4 + o], mag = Math.abs(s), t = 0;
        for (let c = 0; c < C; c++) for (let y = 0; y < K; y++) for (let x = 0; x < K; x++, t++) {
          const w = f32[wPtr / 4 + ((o >> 3) * nTaps + t) * 8 + (o & 7)];
          const p = w * f32[inPtr / 4 + offset(c, S * r + y, S * col + x)];
          s += p; mag += Math.abs(p);
        }
        if (!(Math.abs(f32[outPtr / 4 + out(o, r, col)] - s) <= TOL.f32 * mag)) bad++;
      }
      return bad;
    },
  };
}

function fillCase(c) {
  const inp = views(c.dt, c.inPtr, (N + c.kh - 1) * c.inStride);
  for (let i = 0; i < inp.length; i++) inp[i] = rand() * 2 - 1;
  const ker = views(c.dt, c.kerPtr, c.kh * c.kw);
  for (let i = 0; i < ker.length; i++) ker[i] = rand() * 2 - 1;
}

/** Spot-checks a timed output against the scalar reference; returns the number of bad points. */
function spotCheck(c) {
  const inp = views(c.dt, c.inPtr, (N + c.kh - 1) * c.inStride);
  const ker = views(c.dt, c.kerPtr, c.kh * c.kw);
  const out = views(c.dt, c.outPtr, N * N);
  let bad = 0;
  for (let t = 0; t < 300; t++) {
    const i = randInt(0, N - 1), j = t < 20 ? N - 1 - (t % 4) : randInt(0, N - 1);
    let s = 0, mag = 0;
    for (let u = 0; u < c.kh; u++)
      for (let v = 0; v < c.kw; v++) {
        const p = ker[u * c.kw + v] * inp[(i + u) * c.inStride + j + v];
        s += p; mag += Math.abs(p);
      }
    if (!(Math.abs(out[i * N + j] - s) <= TOL[c.dt] * mag)) bad++;
  }
  return bad;
}

function runBench() {
  let list = args.has("all") ? STANDARD.concat(EXTRA) : STANDARD;
  if (typeof args.get("only") === "string") {
    list = args.get("only").split(",").map((s) => {
      const [a, b] = s.includes(":") ? s.split(":") : ["f32", s];
      const [kh, kw] = b.split("x").map(Number);
      return [a, kh, kw];
    });
  }
  // Every case gets its own buffers after the correctness area, growing memory as needed.
  let base = HEAP + (1 << 20);
  const cases = list.map(([dt, kh, kw]) => {
    const c = setupCase(dt, kh, kw, base);
    base = c.end + 4096;
    return c;
  });
  if (args.has("layer")) {
    for (const layout of ["NCHW", "NHWC"]) {
      const c = setupLayerCase(layout, base);
      base = c.end + 4096;
      cases.push(c);
    }
  }
  const needPages = Math.ceil(base / PAGE_BYTES);
  if (needPages > memory.buffer.byteLength / PAGE_BYTES) memory.grow(needPages - memory.buffer.byteLength / PAGE_BYTES);
  for (const c of cases) (c.fill ? c.fill() : fillCase(c));
  const peak = peakModule();
  const PEAK_ITERS = 1 << 16;
  // The same loop with fused multiply-adds where the host has relaxed SIMD (Node: --experimental-wasm-relaxed-simd).
  const fusedPeak = peakModule(true);
  if (fusedPeak) {
    cases.unshift({ dt: "fused", kh: 0, kw: 0, ms: [], flop: PEAK_ITERS * PEAK_CHAINS * 8, call: () => fusedPeak(PEAK_ITERS) });
  }
  cases.unshift({
    dt: "peak", kh: 0, kw: 0, ms: [], flop: PEAK_ITERS * PEAK_CHAINS * 8,
    call: () => peak(PEAK_ITERS),
  });

  // Warm up: the first calls run Liftoff code; TurboFan code replaces it on a later call.
  for (const c of cases) {
    const t0 = performance.now();
    let n = 0;
    while (n < 5 || performance.now() - t0 < 200) { c.call(); n++; }
    c.reps = Math.max(1, Math.ceil(SAMPLE_MS / ((performance.now() - t0) / n)));
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of cases) {
      const a = performance.now();
      for (let k = 0; k < c.reps; k++) c.call();
      c.ms.push((performance.now() - a) / c.reps);
    }
  }

  const peakMs = cases[0].ms;
  console.log(`\nmachine f32x4 mul+add peak now: ${(cases[0].flop / (med(peakMs) * 1e6)).toFixed(1)} GFLOP/s (median; ` +
    `best ${(cases[0].flop / (Math.min(...peakMs) * 1e6)).toFixed(1)})`);
  if (fusedPeak) {
    const f = cases[1];
    // Per round: fused multiply-adds per second over mul+add pairs per second.
    const ratio = med(f.ms.map((t, r) => peakMs[r] / t));
    console.log(`machine f32x4 relaxed_madd peak now: ${(f.flop / (med(f.ms) * 1e6)).toFixed(1)} GFLOP/s (median; best ` +
      `${(f.flop / (Math.min(...f.ms) * 1e6)).toFixed(1)}): ${ratio.toFixed(2)}x the multiply-adds per second of mul+add`);
  } else {
    console.log("(no relaxed SIMD here: run with --experimental-wasm-relaxed-simd for the fused peak)");
  }
  console.log(`${N}x${N} output, ${ROUNDS} round-robin samples per case (ms per call; FLOP = 2*kh*kw*oh*ow` +
    `${args.has("layer") ? "; W6 rows: the layer kernel, 112x112x64 outputs of 147 taps each" : ""})`);
  console.log("dtype  kernel    median ms    min ms    max ms   GFLOP/s (median)  GFLOP/s (best)  of peak (median)");
  let ok = true;
  for (const c of cases.filter((x) => x.kh > 0)) {
    const ms = c.ms.slice().sort((x, y) => x - y);
    const flop = c.flop ?? 2 * c.kh * c.kw * N * N;
    // Per-round ratio of this kernel's GFLOP/s to the peak loop's, then the median of those.
    const ofPeak = med(c.ms.map((t, r) => (flop / t) / (cases[0].flop / peakMs[r])));
    const bad = c.spotCheck ? c.spotCheck() : spotCheck(c);
    if (bad) ok = false;
    console.log(
      `${c.dt}    ${(c.label ?? `${c.kh}x${c.kw}`).padEnd(7)} ${med(ms).toFixed(3).padStart(10)} ${ms[0].toFixed(3).padStart(9)}` +
      ` ${ms[ms.length - 1].toFixed(3).padStart(9)} ${(flop / (med(ms) * 1e6)).toFixed(1).padStart(12)}` +
      ` ${(flop / (ms[0] * 1e6)).toFixed(1).padStart(16)} ${(100 * ofPeak).toFixed(0).padStart(15)}%` +
      `${bad ? `   ${bad} WRONG` : ""}`,
    );
  }
  return ok;
}

let ok = true;
if (doCheck) ok = check() && ok;
if (doBench) ok = runBench() && ok;
process.exit(ok ? 0 : 1);
