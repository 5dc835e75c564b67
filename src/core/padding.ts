// The padding helper: one set of pad modes, the one table that maps every family's border names
// onto them, and the copies that pad (and un-pad, for gradients) a block of samples.
import { oneOf } from './options';
import type { FloatArray, NumericArray } from './tensor';

/**
 * Border rules, named after numpy.pad (the vocabulary every other library maps onto):
 *   constant   k k | a b c d | k k   scipy 'fill', torch 'zeros', OpenCV BORDER_CONSTANT
 *   wrap       c d | a b c d | a b   scipy 'wrap', torch 'circular', OpenCV BORDER_WRAP
 *   symmetric  b a | a b c d | d c   scipy 'symm', OpenCV BORDER_REFLECT (edge repeated)
 *   reflect    c b | a b c d | c b   torch 'reflect', OpenCV BORDER_REFLECT_101 (edge not repeated)
 *   edge       a a | a b c d | d d   torch 'replicate', OpenCV BORDER_REPLICATE
 */
export type PadMode = 'constant' | 'wrap' | 'symmetric' | 'reflect' | 'edge';

/**
 * Each family's border names for the pad modes above. The same word means different things in
 * different families: scipy's 'symm' is OpenCV's 'reflect', and torch's 'reflect' is OpenCV's
 * 'reflect101'.
 */
const BORDER_NAMES = {
  /** scipy.signal convolve2d / correlate2d `boundary`. */
  scipy: { fill: 'constant', wrap: 'wrap', symm: 'symmetric' },
  /** torch.nn.Conv2d `padding_mode`. */
  torch: { zeros: 'constant', reflect: 'reflect', replicate: 'edge', circular: 'wrap' },
  /** OpenCV BORDER_* (filter2D's borderType). */
  opencv: { constant: 'constant', replicate: 'edge', reflect: 'symmetric', reflect101: 'reflect', wrap: 'wrap' },
} as const satisfies Record<string, Record<string, PadMode>>;

export type BorderVocabulary = keyof typeof BORDER_NAMES;
export type BorderName<V extends BorderVocabulary> = keyof (typeof BORDER_NAMES)[V] & string;

/** Reads a border option in one family's vocabulary and returns its pad mode. */
export function borderOption<V extends BorderVocabulary>(arg: string, value: unknown, vocabulary: V, fallback: BorderName<V>): PadMode {
  const names = BORDER_NAMES[vocabulary] as Record<string, PadMode>;
  return names[oneOf(arg, value, Object.keys(names), fallback)];
}

/** Rows at least this long are copied to their padded place one by one rather than moved there after one block copy. */
const LONG_ROW = 256;

/** Padding of a 3-D block (depth, rows, columns); lower-rank data uses leading axes of length 1. */
export interface Padding {
  before: readonly [number, number, number];
  after: readonly [number, number, number];
  mode: PadMode;
  /** The constant for mode 'constant'. */
  value: number;
}

const mod = (a: number, n: number): number => ((a % n) + n) % n;

/**
 * Source index that padded position `p` reads on an axis of length `n` padded by `before`,
 * or -1 where the constant is used. Pads wider than the axis keep repeating the pattern.
 */
export function sourceIndex(p: number, n: number, before: number, mode: PadMode): number {
  const s = p - before;
  if (s >= 0 && s < n) return s;
  switch (mode) {
    case 'constant':
      return -1;
    case 'wrap':
      return mod(s, n);
    case 'symmetric': {
      const t = mod(s, 2 * n);
      return t < n ? t : 2 * n - 1 - t;
    }
    case 'reflect': {
      if (n === 1) return 0;
      const t = mod(s, 2 * n - 2);
      return t < n ? t : 2 * n - 2 - t;
    }
    case 'edge':
      return s < 0 ? 0 : n - 1;
  }
}

/** sourceIndex of padded positions from, from + 1, ..., from + count - 1 on one axis. */
function sourceIndices(from: number, count: number, n: number, before: number, mode: PadMode): Int32Array {
  const at = new Int32Array(count);
  for (let i = 0; i < count; i++) at[i] = sourceIndex(from + i, n, before, mode);
  return at;
}

export function paddedShape(shape: readonly number[], pad: Padding): [number, number, number] {
  return [0, 1, 2].map((a) => shape[a] + pad.before[a] + pad.after[a]) as [number, number, number];
}

/**
 * Moves `planes` x `rows` packed rows of `rowIn` samples, starting at element `offset`, to
 * element offset + first + z * planeOut + y * rowOut, last row first; with a `value`, the
 * `left` samples before and `right` after each moved row are set to it.
 */
export type RowSpreader = (offset: number, planes: number, rows: number, rowIn: number, planeOut: number, rowOut: number, first: number, left: number, right: number, value: number | null) => void;

/**
 * Writes the padded copy of a 3-D block `src` (shape [d, h, w], its planes `srcPlane` samples
 * apart: h * w, or more for a band of rows of taller planes) into `dest` at element `offset`,
 * row-major. With `grid` (at least the padded shape) the copy sits in a larger block of
 * that shape whose extra rows, columns and planes are zeros: overlap-save tiles then read whole
 * windows without edge cases.
 *
 * Copying row by row through `subarray` costs an object per row, which dominates for small
 * rows; instead the whole block goes in with one `TypedArray.set` (which also converts integer
 * or float64 input to the destination type) at the start of the destination, and each row then
 * moves to its padded place with `copyWithin`, last row first: a row's padded place never lies
 * before its packed place, so no row is overwritten before it moves. `spread`, where the
 * destination has one (a Wasm kernel), makes those moves in one call instead of one per row.
 */
export function padInto(
  src: NumericArray,
  shape: readonly [number, number, number],
  pad: Padding,
  dest: FloatArray | Uint8ClampedArray,
  offset: number,
  elem = 1,
  grid?: readonly [number, number, number],
  srcPlane = shape[1] * shape[2] * elem,
  spread?: RowSpreader,
): void {
  // Columns are `elem` samples wide (a channels-last pixel); everything below counts samples.
  const [d, h, w] = shape;
  const [pd, ph, pw] = paddedShape(shape, pad);
  const [gd, gh, gw] = grid ?? [pd, ph, pw];
  const [front, top, left] = pad.before;
  const rowIn = w * elem;
  const rowOut = gw * elem;
  // Whether `spread` wrote the constant columns beside the rows it moved.
  let filled = false;
  if (rowIn >= LONG_ROW) {
    // Long rows: one pass, each row straight to its padded place (the subarray is cheap next to the row).
    for (let z = 0; z < d; z++) {
      for (let y = 0; y < h; y++) {
        const from = z * srcPlane + y * rowIn;
        dest.set(src.subarray(from, from + rowIn), offset + ((z + front) * gh + y + top) * rowOut + left * elem);
      }
    }
  } else {
    if (srcPlane === h * rowIn) dest.set(src.subarray(0, d * h * rowIn), offset);
    else for (let z = 0; z < d; z++) dest.set(src.subarray(z * srcPlane, z * srcPlane + h * rowIn), offset + z * h * rowIn);
    if (gw !== w || gh !== h || pd !== d) {
      const first = (front * gh + top) * rowOut + left * elem;
      if (spread) {
        filled = pad.mode === 'constant';
        spread(offset, d, h, rowIn, gh * rowOut, rowOut, first, left * elem, (pw - left - w) * elem, filled ? pad.value : null);
      } else {
        for (let z = d - 1; z >= 0; z--) {
          for (let y = h - 1; y >= 0; y--) {
            const from = offset + (z * h + y) * rowIn;
            const to = offset + first + (z * gh + y) * rowOut;
            if (to !== from) dest.copyWithin(to, from, from + rowIn);
          }
        }
      }
    }
  }
  // Borders: columns of interior rows, then whole rows (and planes) read from interior rows.
  const right = left + w;
  const cols = sourceIndices(0, pw, w, left, pad.mode);
  for (let z = front; z < front + d && (!filled || gw > pw); z++) {
    for (let y = top; y < top + h; y++) {
      const row = offset + (z * gh + y) * rowOut;
      for (let p = filled ? pw : 0; p < pw; p = p === left - 1 ? right : p + 1) {
        if (p >= left && p < right) continue;
        const at = row + p * elem;
        if (cols[p] < 0) {
          for (let e = 0; e < elem; e++) dest[at + e] = pad.value;
        } else {
          const from = row + (left + cols[p]) * elem;
          for (let e = 0; e < elem; e++) dest[at + e] = dest[from + e];
        }
      }
      if (gw > pw) dest.fill(0, row + pw * elem, row + rowOut);
    }
  }
  for (let z = 0; z < pd; z++) {
    const sz = sourceIndex(z, d, front, pad.mode);
    for (let y = 0; y < ph; y++) {
      if (z >= front && z < front + d && y >= top && y < top + h) continue;
      const row = offset + (z * gh + y) * rowOut;
      const sy = sz < 0 ? -1 : sourceIndex(y, h, top, pad.mode);
      if (sy < 0) {
        dest.fill(pad.value, row, row + pw * elem);
        if (gw > pw) dest.fill(0, row + pw * elem, row + rowOut);
        continue;
      }
      const from = offset + ((sz + front) * gh + sy + top) * rowOut;
      dest.copyWithin(row, from, from + rowOut);
    }
    if (gh > ph) dest.fill(0, offset + (z * gh + ph) * rowOut, offset + (z + 1) * gh * rowOut);
  }
  if (gd > pd) dest.fill(0, offset + pd * gh * rowOut, offset + gd * gh * rowOut);
}

/**
 * Writes rows [r0, r1) x columns [c0, c1) of the padded version of the 2-D plane `src` (h x w
 * pixels of `elem` interleaved samples, row-major) into `dest` at `offset`, row-major with rows
 * (c1 - c0) * elem long: a window of what padInto writes, for the outputs near the edge whose
 * kernel windows reach into the padding.
 */
export function padWindowInto(
  src: NumericArray,
  h: number,
  w: number,
  before: readonly [number, number],
  pad: Pick<Padding, 'mode' | 'value'>,
  dest: FloatArray | Uint8ClampedArray,
  offset: number,
  rows: readonly [number, number],
  cols: readonly [number, number],
  elem = 1,
): void {
  const [r0, r1] = rows;
  const [c0, c1] = cols;
  const width = c1 - c0;
  const rowLen = width * elem;
  const sx = sourceIndices(c0, width, w, before[1], pad.mode);
  for (let r = r0; r < r1; r++) {
    const sy = sourceIndex(r, h, before[0], pad.mode);
    const at = offset + (r - r0) * rowLen;
    if (sy < 0) {
      dest.fill(pad.value, at, at + rowLen);
      continue;
    }
    const from = sy * w * elem;
    if (elem === 1) {
      for (let i = 0; i < width; i++) dest[at + i] = sx[i] < 0 ? pad.value : src[from + sx[i]];
      continue;
    }
    for (let i = 0; i < width; i++) {
      const to = at + i * elem;
      if (sx[i] < 0) {
        dest.fill(pad.value, to, to + elem);
        continue;
      }
      const f = from + sx[i] * elem;
      for (let e = 0; e < elem; e++) dest[to + e] = src[f + e];
    }
  }
}

/**
 * The zero-stuffed copy a transposed convolution slides over: sample i of each axis lands at
 * before + i * dilation, every other element is 0, and a negative before/after crops that many
 * elements (torch's convTranspose padding larger than the kernel reach).
 */
export function stuffInto(
  src: NumericArray,
  shape: readonly [number, number, number],
  dilation: readonly [number, number, number],
  before: readonly [number, number, number],
  after: readonly [number, number, number],
  dest: FloatArray | Uint8ClampedArray,
  offset: number,
): void {
  const [d, h, w] = shape;
  const size = [0, 1, 2].map((a) => (shape[a] - 1) * dilation[a] + 1 + before[a] + after[a]);
  dest.fill(0, offset, offset + size[0] * size[1] * size[2]);
  for (let z = 0; z < d; z++) {
    const pz = before[0] + z * dilation[0];
    if (pz < 0 || pz >= size[0]) continue;
    for (let y = 0; y < h; y++) {
      const py = before[1] + y * dilation[1];
      if (py < 0 || py >= size[1]) continue;
      const row = offset + (pz * size[1] + py) * size[2];
      const from = (z * h + y) * w;
      for (let x = 0; x < w; x++) {
        const px = before[2] + x * dilation[2];
        if (px >= 0 && px < size[2]) dest[row + px] = src[from + x];
      }
    }
  }
}

/**
 * The adjoint of padInto for the last two axes: adds every element of the padded planes
 * `grad` ([planes, ph, pw], each column `elem` samples wide) onto the input sample it was copied
 * from, so a gradient with respect to the padded input becomes one with respect to the input.
 * Constant padding reads no sample and contributes nothing.
 */
export function foldPadding(
  grad: FloatArray,
  planes: number,
  h: number,
  w: number,
  top: number,
  left: number,
  ph: number,
  pw: number,
  mode: PadMode,
  out: FloatArray,
  elem = 1,
): void {
  const rows = sourceIndices(0, ph, h, top, mode);
  const cols = sourceIndices(0, pw, w, left, mode);
  for (let c = 0; c < planes; c++) {
    for (let py = 0; py < ph; py++) {
      const sy = rows[py];
      if (sy < 0) continue;
      const from = (c * ph + py) * pw;
      const to = (c * h + sy) * w;
      for (let px = 0; px < pw; px++) {
        const sx = cols[px];
        if (sx < 0) continue;
        for (let e = 0; e < elem; e++) out[(to + sx) * elem + e] += grad[(from + px) * elem + e];
      }
    }
  }
}
