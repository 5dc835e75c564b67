import { fail } from '../core/errors';
import { dtypeOption, optionsObject } from '../core/options';
import { allocFloat, resolveDType, toOperand, type DType, type FloatArray, type Tensor, type TensorLike } from '../core/tensor';

/** Normalises numpy-style axes (negative counts from the end) and rejects repeats and out-of-range axes. */
function normaliseAxes(axis: unknown, ndim: number): number[] {
  if (axis === undefined || axis === null) return [...Array(ndim).keys()];
  const list = Array.isArray(axis) ? axis : [axis];
  const seen = new Set<number>();
  for (const a of list) {
    if (!Number.isInteger(a) || a < -ndim || a >= ndim) {
      fail('OPTION', 'axis', `integers in [${-ndim}, ${ndim - 1}] for a ${ndim}-D array`, a);
    }
    const n = a < 0 ? a + ndim : a;
    if (seen.has(n)) fail('OPTION', 'axis', 'no repeated axis', axis);
    seen.add(n);
  }
  return [...seen];
}

/**
 * Reverses the order of elements along the given axes, as numpy.flip. With no axis every axis
 * is reversed: for a 2-D kernel that is the 180° rotation true convolution applies.
 */
export function flip(t: TensorLike, axis?: number | number[] | null, options?: { dtype?: DType }): Tensor<FloatArray> {
  const op = toOperand('t', t);
  const dtype = resolveDType(dtypeOption('options.dtype', optionsObject('options', options, 'dtype').dtype), { name: 't', op });
  if (op.size === 0) fail('SHAPE', 't', 'a non-empty array (empty arrays are refused everywhere)', `shape [${op.shape.join(', ')}]`);
  const { shape, data, size } = op;
  const flipped = new Set(normaliseAxes(axis, shape.length));
  const out = allocFloat(dtype, size);
  const strides = shape.map((_, a) => shape.slice(a + 1).reduce((p, d) => p * d, 1));
  const index = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < size; k++) {
    let src = 0;
    for (let a = 0; a < shape.length; a++) src += (flipped.has(a) ? shape[a] - 1 - index[a] : index[a]) * strides[a];
    out[k] = data[src];
    for (let a = shape.length - 1; a >= 0 && ++index[a] === shape[a]; a--) index[a] = 0;
  }
  return { data: out, shape: shape.slice() };
}
