import { fail } from './errors';

/** Reads an enumerated option, naming it in the error when the value is not one of `allowed`. */
export function oneOf<T extends string>(arg: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail('OPTION', arg, allowed.map((a) => `'${a}'`).join(' | '), value);
  }
  return value as T;
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

/** Options objects may be omitted but must be objects when given. */
export function optionsObject<T extends object>(arg: string, value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('OPTION', arg, 'an options object', value);
  return value;
}
