// The one option parser every family uses: enumerations, numbers, booleans, integers and
// torch-style integer tuples, each naming the option in its error.
import { fail } from './errors';
import type { DType } from './tensor';

/** Reads an enumerated option, naming it in the error when the value is not one of `allowed`. */
export function oneOf<T extends string>(arg: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail('OPTION', arg, allowed.map((a) => `'${a}'`).join(' | '), value);
  }
  return value as T;
}

/** The compute dtype option, or undefined when the caller leaves it to the operands. */
export function dtypeOption(arg: string, value: unknown): DType | undefined {
  return value === undefined ? undefined : oneOf<DType>(arg, value, ['float32', 'float64'], 'float64');
}

/** A numeric option; NaN and infinities are data, as everywhere in simdconv. */
export function numberOption(arg: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') fail('OPTION', arg, 'a number', value);
  return value;
}

/** A true/false option. */
export function boolOption(arg: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail('OPTION', arg, 'true or false', value);
  return value;
}

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

/** Options objects may be omitted but must be objects when given. */
/** An optional caller-owned result array (`out`): an instance of one of `types`, exactly `size` long. */
export function outOption<T extends ArrayLike<number>>(arg: string, value: unknown, types: readonly (abstract new (...args: never[]) => T)[], size: number): T | undefined {
  if (value === undefined) return undefined;
  if (!types.some((t) => value instanceof t) || (value as T).length !== size) {
    fail('OPTION', arg, `a ${types.map((t) => t.name).join(' or ')} of length ${size}`, value);
  }
  return value as T;
}

export function optionsObject<T extends object>(arg: string, value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('OPTION', arg, 'an options object', value);
  return value;
}
