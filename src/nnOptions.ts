import { fail } from './errors';
import type { PadMode } from './padding';

/** torch's padding_mode names -> the padding helper's numpy names (SEMANTICS A.0.3). */
export const PADDING_MODES = { zeros: 'constant', reflect: 'reflect', replicate: 'edge', circular: 'wrap' } as const satisfies Record<
  string,
  PadMode
>;
export type PaddingMode = keyof typeof PADDING_MODES;

/** An integer option at least `min`. */
export function intOption(arg: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < min) fail('OPTION', arg, `an integer >= ${min}`, value);
  return value as number;
}

/** An integer option the caller must give, at least `min`. */
export function requiredInt(arg: string, value: unknown, min: number): number {
  if (value === undefined) fail('OPTION', arg, `an integer >= ${min}`, undefined);
  return intOption(arg, value, min, min);
}

/**
 * torch's `_pair` / `_single`: an integer applies to every spatial axis, an array gives one
 * value per axis. Returns `dims` integers, each at least `min`.
 */
export function tupleOption(arg: string, value: unknown, fallback: number, dims: number, min: number): number[] {
  if (value === undefined) return Array(dims).fill(fallback);
  if (Array.isArray(value)) {
    if (value.length !== dims || value.some((v) => !Number.isSafeInteger(v) || v < min)) {
      fail('OPTION', arg, `an integer >= ${min} or ${dims} of them`, value);
    }
    return value.slice();
  }
  return Array(dims).fill(intOption(arg, value, fallback, min));
}

export type PaddingSpec = 'same' | 'valid' | number[];

/** conv padding: 'same', 'valid', an integer, or one integer per spatial axis. */
export function paddingOption(arg: string, value: unknown, dims: number): PaddingSpec {
  if (value === 'same' || value === 'valid') return value;
  if (typeof value === 'string') fail('OPTION', arg, "'same', 'valid', or non-negative integers", value);
  return tupleOption(arg, value, 0, dims, 0);
}

/**
 * Padding before and after one axis. 'same' (stride 1 only) pads dilation * (k - 1) in all,
 * the odd element going after, as torch does (SEMANTICS A.0.4).
 */
export function axisPads(spec: PaddingSpec, axis: number, k: number, dilation: number): [number, number] {
  if (spec === 'valid') return [0, 0];
  if (spec === 'same') {
    const total = dilation * (k - 1);
    return [total >> 1, total - (total >> 1)];
  }
  return [spec[axis], spec[axis]];
}

/** Axis names in messages: 1-D layers have one spatial axis, 2-D ones two. */
export function axisNames(dims: number): string[] {
  return dims === 1 ? ['length'] : ['height', 'width'];
}
