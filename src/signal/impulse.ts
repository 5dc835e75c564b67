import { fail } from '../core/errors';
import { dtypeOption, optionsObject } from '../core/options';
import { allocFloat, sizeOf, type DType, type FloatArray, type Tensor } from '../core/tensor';

/**
 * A unit impulse (discrete delta), as scipy.signal.unit_impulse: zeros with a single 1 at
 * `idx` (default: the origin; 'mid': shape[i] // 2 on every axis; a number: that index on every axis).
 * dtype defaults to float64.
 */
export function unitImpulse(
  shape: number | number[],
  idx?: 'mid' | number | number[] | null,
  options?: { dtype?: DType },
): Tensor<FloatArray> {
  const dims = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(dims) || dims.length === 0 || dims.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    fail('SHAPE', 'shape', 'a non-negative integer or a non-empty array of them', shape);
  }
  const dtype = dtypeOption('options.dtype', optionsObject('options', options, 'dtype').dtype) ?? 'float64';
  const out = allocFloat(dtype, sizeOf(dims));
  let at: number[];
  if (idx === undefined || idx === null) at = dims.map(() => 0);
  else if (idx === 'mid') at = dims.map((d) => d >> 1);
  else if (typeof idx === 'number') at = dims.map(() => idx);
  else if (Array.isArray(idx) && idx.length === dims.length) at = idx.slice();
  else return fail('OPTION', 'idx', `'mid', an integer or ${dims.length} integers`, idx);
  let flat = 0;
  for (let a = 0; a < dims.length; a++) {
    const i = at[a];
    if (!Number.isInteger(i) || i < -dims[a] || i >= dims[a]) {
      fail('OPTION', 'idx', `an index in [${-dims[a]}, ${dims[a] - 1}] on axis ${a}`, i);
    }
    flat = flat * dims[a] + (i < 0 ? i + dims[a] : i);
  }
  out[flat] = 1;
  return { data: out, shape: dims.slice() };
}
