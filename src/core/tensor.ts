import { SimdconvError, fail } from './errors';

/** Floating-point storage simdconv computes in. */
export type FloatArray = Float32Array | Float64Array;

/** Any typed array simdconv accepts as input data (integers are converted on the way in). */
export type NumericArray =
  | FloatArray
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

export type DType = 'float32' | 'float64';

/** Bytes per element of each dtype. */
export const BYTES: Record<DType, 4 | 8> = { float32: 4, float64: 8 };

const FLOAT_ARRAYS = { float32: Float32Array, float64: Float64Array } as const;

/** A dense row-major (C order) n-dimensional array. */
export interface Tensor<T extends FloatArray = FloatArray> {
  data: T;
  shape: number[];
}

/** Nested plain arrays: `1`, `[1, 2]`, `[[1, 2], [3, 4]]`, ... */
export type NestedArray = number | NestedArray[];

/** What every compute function accepts as an array argument. */
export type TensorLike =
  | { data: NumericArray | readonly number[]; shape: readonly number[] }
  | NestedArray
  | NumericArray;

/** A validated input: data is untouched user memory unless it had to be flattened from nested arrays. */
export interface Operand {
  data: NumericArray;
  shape: number[];
  size: number;
  /** The dtype this operand asks for, or null when it follows the other operand (integers, nested arrays). */
  dtype: DType | null;
  /** Nested arrays compute in float64 unless a typed float operand says otherwise. */
  nested: boolean;
}

const INTEGER_ARRAYS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array];

function isNumericArray(x: unknown): x is NumericArray {
  return x instanceof Float32Array || x instanceof Float64Array || INTEGER_ARRAYS.some((C) => x instanceof C);
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function checkShape(arg: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    fail('SHAPE', `${arg}.shape`, 'an array of non-negative integers', shape);
  }
  return shape.slice() as number[];
}

/** Shape and flat float64 data of nested plain arrays; throws on ragged or non-numeric input. */
function flattenNested(arg: string, value: NestedArray): { data: Float64Array; shape: number[] } {
  const shape: number[] = [];
  for (let v: unknown = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  const out = new Float64Array(sizeOf(shape));
  let k = 0;
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') fail('DTYPE', `${arg}${path}`, 'a number', v);
      out[k++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      fail('SHAPE', `${arg}${path}`, `an array of length ${shape[depth]} (nested arrays must not be ragged)`, v);
    }
    for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, `${path}[${i}]`);
  };
  walk(value, 0, '');
  return { data: out, shape };
}

/**
 * Validates one array argument without copying typed data.
 * `arg` is the parameter name used in error messages ("in1", "kernel", ...).
 */
export function toOperand(arg: string, value: unknown): Operand {
  if (isNumericArray(value)) {
    return operand(arg, value, [value.length], false);
  }
  if (Array.isArray(value) || typeof value === 'number') {
    const { data, shape } = flattenNested(arg, value as NestedArray);
    return operand(arg, data, shape, true);
  }
  if (value !== null && typeof value === 'object' && 'data' in value && 'shape' in value) {
    const { data, shape } = value as { data: unknown; shape: unknown };
    const dims = checkShape(arg, shape);
    if (Array.isArray(data)) {
      const flat = flattenNested(`${arg}.data`, data as NestedArray);
      if (flat.shape.length !== 1) fail('SHAPE', `${arg}.data`, 'a flat array', data);
      return operand(arg, flat.data, dims, true);
    }
    if (!isNumericArray(data)) {
      fail('DTYPE', `${arg}.data`, 'a Float32Array, Float64Array, integer typed array or number[]', data);
    }
    return operand(arg, data, dims, false);
  }
  return fail('DTYPE', arg, 'a tensor {data, shape}, a typed array or nested number arrays', value);
}

function operand(arg: string, data: NumericArray, shape: number[], nested: boolean): Operand {
  const size = sizeOf(shape);
  if (data.length !== size) {
    fail('SHAPE', arg, `data of length ${size} for shape [${shape.join(', ')}]`, data.length);
  }
  // Flattened nested arrays are Float64Array storage but carry no dtype of their own.
  const dtype = nested ? null : data instanceof Float64Array ? 'float64' : data instanceof Float32Array ? 'float32' : null;
  return { data, shape, size, dtype, nested };
}

/**
 * The dtype a call computes in: an explicit option wins; otherwise typed float operands must
 * agree, integer arrays and nested arrays follow them, and nested arrays alone mean float64.
 */
export function resolveDType(explicit: DType | undefined, ...ops: { name: string; op: Operand }[]): DType {
  if (explicit) return explicit;
  const typed = ops.filter((o) => o.op.dtype !== null);
  if (typed.length > 1 && typed.some((o) => o.op.dtype !== typed[0].op.dtype)) {
    const list = typed.map((o) => `${o.name} is ${o.op.dtype}`).join(', ');
    fail('DTYPE', typed.map((o) => o.name).join(' and '), `the same dtype (or pass { dtype })`, list);
  }
  if (typed.length > 0) return typed[0].op.dtype as DType;
  return ops.some((o) => o.op.nested) ? 'float64' : 'float32';
}

/** The most bytes one array (or one call's working memory) may take: what wasm32 addresses. */
export const MAX_BYTES = 2 ** 32;

/**
 * Refuses, before anything is allocated, an array of `n` elements of `bytes` each that cannot
 * fit (TOO_LARGE, not the host's RangeError); `arg` names what it is for.
 */
export function checkFits(arg: string, n: number, bytes: number): void {
  if (!(n * bytes <= MAX_BYTES)) throw new SimdconvError('TOO_LARGE', `${arg}: expected at most ${MAX_BYTES} bytes, got a request for ${n * bytes} bytes (${n} elements)`);
}

/** Node's uninitialised allocation, where there is one (browsers have no Buffer). */
const allocUnsafe = (globalThis as { Buffer?: { allocUnsafeSlow(size: number): Uint8Array<ArrayBuffer> } }).Buffer?.allocUnsafeSlow;

/**
 * A fresh array holding view[start, start + n). In Node the memory comes uninitialised (its own
 * ArrayBuffer, not the Buffer pool): it is overwritten at once, and zeroing a 4 MiB result first
 * costs about as much as copying it.
 */
export function copyOut(view: FloatArray, start: number, n: number): FloatArray {
  if (!allocUnsafe) return view.slice(start, start + n);
  const out = allocUnset(dtypeOf(view), n);
  out.set(view.subarray(start, start + n));
  return out;
}

/** A fresh float array whose every element the caller overwrites: uninitialised memory where the host has it (Node), zeros otherwise. */
export function allocUnset(dtype: DType, n: number): FloatArray {
  return allocUnsetOf(FLOAT_ARRAYS[dtype] as unknown as Float32ArrayConstructor, n);
}

/** allocUnset for any typed array type (image results: bytes, int16), for arrays whose every element gets written. */
export function allocUnsetOf<T extends NumericArray>(Type: { new (n: number): T; new (b: ArrayBuffer, offset: number, n: number): T; BYTES_PER_ELEMENT: number }, n: number): T {
  checkFits('result', n, Type.BYTES_PER_ELEMENT);
  if (!allocUnsafe) return new Type(n);
  const bytes = allocUnsafe(n * Type.BYTES_PER_ELEMENT);
  return new Type(bytes.buffer, bytes.byteOffset, n);
}

export function allocFloat(dtype: DType, length: number): FloatArray {
  checkFits('result', length, BYTES[dtype]);
  return new FLOAT_ARRAYS[dtype](length);
}

/** The dtype of a float array. */
function dtypeOf(data: FloatArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

/** Nested plain arrays of a tensor, for printing and for code that wants JS arrays back. */
export function toNested(t: Tensor | { data: ArrayLike<number>; shape: readonly number[] }): NestedArray {
  if (t === null || typeof t !== 'object' || !('data' in t) || !('shape' in t)) return fail('DTYPE', 't', 'a tensor { data, shape }', t);
  const shape = checkShape('t', t.shape);
  const { data } = t;
  if (!isNumericArray(data) && !(Array.isArray(data) && data.every((v) => typeof v === 'number'))) fail('DTYPE', 't.data', 'a typed array or an array of numbers', data);
  const size = sizeOf(shape);
  // A nested array takes about as much memory per number as a float64 array.
  checkFits('t', size, 8);
  if (data.length !== size) fail('SHAPE', 't.data', `length ${size} for shape [${shape.join(', ')}]`, data.length);
  if (shape.length === 0) return data[0];
  let k = 0;
  const build = (depth: number): NestedArray[] => {
    const out: NestedArray[] = new Array(shape[depth]);
    for (let i = 0; i < shape[depth]; i++) out[i] = depth === shape.length - 1 ? data[k++] : build(depth + 1);
    return out;
  };
  return build(0);
}
