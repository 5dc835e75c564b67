// OpenCV's own uint8 arithmetic for filter2D and sepFilter2D, one output sample at a time.
//
// simdconv computes an image's samples exactly (float64, or float32 where that is exact) and rounds
// half to even. OpenCV (4.x on x86-64 with AVX2 + FMA, the build the fixtures come from) rounds
// the result of its own arithmetic instead: float32 fused multiply-add chains, or 8-bit fixed
// point whose scalar tail rounds half up. The two differ only on samples within a hair of a .5
// tie, so filter.ts finds those samples (within `bound` of a tie) and asks the model here for
// OpenCV's byte. The rules, measured against OpenCV 4.6, are in scripts/gen_opencv_fixtures.py.
//
// Not modelled: filter2D with a kernel of 130 or more elements, which OpenCV correlates through
// a float32 DFT whose round-off no direct method reproduces; there simdconv keeps exact rounding.
import { sourceIndex, type PadMode } from '../core/padding';

/** The source image and its border, as the filters read it. */
export interface ByteSource {
  data: ArrayLike<number>;
  width: number;
  height: number;
  channels: number;
  border: PadMode;
  /** The sample past the edge for border 'constant'. */
  value: number;
  /** The largest |sample| (border value included): 255 for bytes. */
  largest: number;
}

/** The saturation range of an integer output: [0, 255] for uint8, [-32768, 32767] for int16. */
export type Range = readonly [number, number];

export interface ByteModel {
  /**
   * How far the exact result can be from the value OpenCV rounds (plus the fast path's own
   * round-off): samples farther than this from a .5 tie round the same in both.
   */
  bound: number;
  /** OpenCV's output at (y, x, c), rounded and saturated to the output's range. */
  sample(y: number, x: number, c: number): number;
}

/** Kernels this large go through OpenCV's DFT for uint8 images (kernel area, measured). */
export const OPENCV_DFT_AREA = 130;

const F32_ULP = 2 ** -24;
const FLT_EPSILON = 2 ** -23;

const bits = new DataView(new ArrayBuffer(8));

/**
 * float32 fma(a, b, c) for float32 a, b, c with a * b exact in float64 (24 x 24 bits at most).
 * The float64 sum can round onto a float32 midpoint that the exact sum is not on; then it is
 * moved one float64 ulp towards the exact sum, so the float32 rounding sees the right side.
 */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const t = s - p;
  const err = p - (s - t) + (c - t);
  if (err !== 0) {
    bits.setFloat64(0, s);
    const low = bits.getUint32(4);
    if ((low & 0x1fffffff) === 0x10000000) {
      bits.setUint32(4, err > 0 === s > 0 ? low + 1 : low - 1);
      return Math.fround(bits.getFloat64(0));
    }
  }
  return Math.fround(s);
}

/** cvRound: nearest, ties to even. */
function roundEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** cvRound then saturate_cast to the range (NaN: 0, as the Wasm narrowing does). */
function roundSaturate(v: number, [lo, hi]: Range): number {
  // + 0 turns -0 into 0: integer outputs have no negative zero.
  const r = roundEven(v) + 0;
  return r > hi ? hi : r >= lo ? r : r < lo ? lo : 0;
}

function reader(src: ByteSource): (y: number, x: number, c: number) => number {
  const { data, width, height, channels, border, value } = src;
  return (y, x, c) => {
    if (y >= 0 && y < height && x >= 0 && x < width) return data[(y * width + x) * channels + c];
    const sy = sourceIndex(y, height, 0, border);
    const sx = sourceIndex(x, width, 0, border);
    return sy < 0 || sx < 0 ? value : data[(sy * width + sx) * channels + c];
  };
}

function sumAbs(k: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < k.length; i++) s += Math.abs(k[i]);
  return s;
}

/** sum |k - float32(k)|: OpenCV filters with float32 copies of the weights. */
function sumRounding(k: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < k.length; i++) s += Math.abs(k[i] - Math.fround(k[i]));
  return s;
}

/**
 * filter2D, direct path: acc = float32(delta), then acc = fma(k, x, acc) over the non-zero
 * weights in row-major order. `kernel` is row-major and already flipped for convolution.
 */
export function filter2dModel(src: ByteSource, kernel: ArrayLike<number>, kh: number, kw: number, anchor: [number, number], delta: number, range: Range): ByteModel | null {
  if (kh * kw >= OPENCV_DFT_AREA) return null;
  const { data, width, height, channels } = src;
  const [ax, ay] = anchor;
  const dy: number[] = [];
  const dx: number[] = [];
  const k: number[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const w = Math.fround(kernel[i * kw + j]);
      if (w !== 0) dy.push(i - ay), dx.push(j - ax), k.push(w);
    }
  }
  // A window inside the image reads its samples at fixed offsets from the centre sample.
  const offset = dy.map((v, t) => (v * width + dx[t]) * channels);
  const at = reader(src);
  const d32 = Math.fround(delta);
  const reach = Math.abs(delta) + src.largest * sumAbs(kernel);
  return {
    bound: (k.length + 2) * F32_ULP * reach + src.largest * sumRounding(kernel) + Math.abs(delta - d32),
    sample(y, x, c) {
      let acc = d32;
      if (y >= ay && y + kh - ay <= height && x >= ax && x + kw - ax <= width) {
        const centre = (y * width + x) * channels + c;
        for (let t = 0; t < k.length; t++) acc = fma32(k[t], data[centre + offset[t]], acc);
      } else {
        for (let t = 0; t < k.length; t++) acc = fma32(k[t], at(y + dy[t], x + dx[t], c), acc);
      }
      return roundSaturate(acc, range);
    },
  };
}

/**
 * The exact result (a float64 sum) rounded half to even: what simdconv gives where OpenCV's own
 * arithmetic is not modelled (filter2D's DFT path), for the samples its float32 pass might misround.
 */
export function exactModel(src: ByteSource, kernel: ArrayLike<number>, kh: number, kw: number, anchor: [number, number], delta: number, range: Range): ByteModel {
  const at = reader(src);
  const [ax, ay] = anchor;
  return {
    bound: (kh * kw + 2) * 2 ** -53 * (Math.abs(delta) + src.largest * sumAbs(kernel)),
    sample(y, x, c) {
      let acc = delta;
      for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) acc += kernel[i * kw + j] * at(y + i - ay, x + j - ax, c);
      return roundSaturate(acc, range);
    },
  };
}

/** Symmetry of a 1-D kernel as OpenCV's getKernelType sees it (anchor in the middle of an odd length). */
function kernelType(k: Float32Array, anchor: number) {
  const n = k.length;
  const centred = anchor * 2 + 1 === n;
  let symmetric = centred;
  let antisymmetric = centred;
  let smooth = true;
  let integer = true;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const a = k[i];
    const b = k[n - 1 - i];
    if (a !== b) symmetric = false;
    if (a !== -b) antisymmetric = false;
    if (a < 0) smooth = false;
    if (a !== Math.round(a)) integer = false;
    sum += a;
  }
  if (Math.abs(sum - 1) > FLT_EPSILON * (Math.abs(sum) + 1)) smooth = false;
  return { symmetric, antisymmetric, smooth, integer };
}

/** OpenCV's 8-bit fixed point for smooth symmetric kernels: the weights x 256, when that is (nearly) exact. */
function fixedPoint(k: Float32Array, anchor: number): Int32Array | null {
  const t = kernelType(k, anchor);
  if (!(t.smooth && t.symmetric && !t.integer)) return null;
  const q = Int32Array.from(k, (v) => Math.round(v * 256));
  for (let i = 0; i < k.length; i++) if (Math.abs(k[i] * 256 - q[i]) > 10 * FLT_EPSILON * 256) return null;
  return q;
}

/**
 * The delta sepFilter2D really adds: where a uint8 image goes to int16 with integer kernels that
 * are both (anti)symmetric about a centred anchor, OpenCV filters in exact integers and first
 * rounds delta to an integer (half to even); otherwise delta as given.
 */
export function sepFilter2dDelta(kx: ArrayLike<number>, ky: ArrayLike<number>, anchor: [number, number], delta: number, bytesToInt16: boolean): number {
  const tx = kernelType(Float32Array.from(kx), anchor[0]);
  const ty = kernelType(Float32Array.from(ky), anchor[1]);
  const paired = (t: typeof tx) => t.integer && (t.symmetric || t.antisymmetric);
  return bytesToInt16 && paired(tx) && paired(ty) ? roundEven(delta) : delta;
}

/**
 * sepFilter2D: rows with kx, then columns with ky (both already reversed for convolution),
 * anchored at [ax, ay]. Returns null where OpenCV's result is always the exactly rounded one:
 * `exact` says the float path has no rounding for these kernels. OpenCV's 8-bit fixed point
 * serves uint8 results only.
 */
export function sepFilter2dModel(src: ByteSource, kx: ArrayLike<number>, ky: ArrayLike<number>, anchor: [number, number], delta: number, exact: boolean, range: Range): ByteModel | null {
  const fx = Float32Array.from(kx);
  const fy = Float32Array.from(ky);
  const [ax, ay] = anchor;
  const at = reader(src);
  const L = src.largest;
  const reach = Math.abs(delta) + L * sumAbs(kx) * sumAbs(ky);
  const bytesOut = range[0] === 0 && range[1] === 255;
  const qx = bytesOut ? fixedPoint(fx, ax) : null;
  const qy = qx && fixedPoint(fy, ay);
  if (qx && qy) {
    // Integer sums; the vector lanes round S / 2^16 half to even, the scalar tail (the last
    // (width * channels) % 4 samples of a row) computes (S + 2^15) >> 16, rounding ties up.
    const d = roundEven(delta * 65536);
    const rowLength = src.width * src.channels;
    const tailFrom = rowLength - (rowLength % 4);
    const quantisation =
      255 * (sumAbs(fx.map((v, i) => v - qx[i] / 256)) * sumAbs(ky) + sumAbs(fy.map((v, i) => v - qy[i] / 256)) * (sumAbs(kx) + 1)) +
      2 ** -16 + 255 * (sumRounding(kx) * sumAbs(ky) + sumRounding(ky) * sumAbs(kx));
    return {
      bound: quantisation + 4 * F32_ULP * reach,
      sample(y, x, c) {
        let s = d;
        for (let i = 0; i < qy.length; i++) {
          let r = 0;
          for (let j = 0; j < qx.length; j++) r += qx[j] * at(y + i - ay, x + j - ax, c);
          s += qy[i] * r;
        }
        if (x * src.channels + c >= tailFrom) return Math.min(255, Math.max(0, Math.floor((s + 32768) / 65536)));
        return roundSaturate(s / 65536, range);
      },
    };
  }
  if (exact) return null;
  const t = kernelType(fy, ay);
  const d32 = Math.fround(delta);
  const row = (y: number, x: number, c: number) => {
    let r = 0;
    for (let j = 0; j < fx.length; j++) r = fma32(fx[j], at(y, x + j - ax, c), r);
    return r;
  };
  return {
    bound: 2 * (fx.length + fy.length + 2) * F32_ULP * reach + L * (sumRounding(kx) * sumAbs(ky) + sumRounding(ky) * sumAbs(kx)) + Math.abs(delta - d32),
    sample(y, x, c) {
      if (t.symmetric || t.antisymmetric) {
        const r = (i: number) => row(y + i, x, c);
        let acc = t.symmetric ? fma32(fy[ay], r(0), d32) : d32;
        for (let i = 1; i <= ay; i++) {
          const pair = t.symmetric ? Math.fround(r(i) + r(-i)) : Math.fround(r(i) - r(-i));
          acc = fma32(fy[ay + i], pair, acc);
        }
        return roundSaturate(acc, range);
      }
      let acc = d32;
      for (let i = 0; i < fy.length; i++) acc = fma32(fy[i], row(y + i - ay, x, c), acc);
      return roundSaturate(acc, range);
    },
  };
}
