// The one option parser every family uses: enumerations, numbers, booleans, integers and
// torch-style integer tuples, each naming the option in its error.
import { SimdconvError, fail } from './errors';
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

/** An optional caller-owned result array (`out`): an instance of one of `types`, exactly `size` long. */
export function outOption<T extends ArrayLike<number>>(arg: string, value: unknown, types: readonly (abstract new (...args: never[]) => T)[], size: number): T | undefined {
  if (value === undefined) return undefined;
  if (!types.some((t) => value instanceof t) || (value as T).length !== size) {
    fail('OPTION', arg, `a ${types.map((t) => t.name).join(' or ')} of length ${size}`, value);
  }
  return value as T;
}

/** The option names of each function that takes an options object (space separated). */
const NAMES = {
  signal2d: 'mode boundary fillvalue dtype out',
  signal: 'mode method dtype out',
  fft: 'mode axes dtype',
  method: 'mode dtype',
  trace: 'op mode boundary fillvalue stride dilation padding',
  conv: 'bias stride padding dilation groups paddingMode layout dtype',
  transposed: 'bias stride padding outputPadding groups dilation layout dtype',
  maxPool: 'kernelSize stride padding dilation ceilMode layout dtype returnIndices',
  avgPool: 'kernelSize stride padding ceilMode countIncludePad divisorOverride layout dtype',
  image: 'op border borderValue anchor delta alpha ddepth out',
  layer: 'inChannels outChannels kernelSize groups bias',
  field: 'kernelSize stride padding dilation',
  dtype: 'dtype',
};
export type OptionSet = keyof typeof NAMES;

/** Other libraries' names for options simdconv spells its own way. */
const SPELLINGS: Record<string, string> = { borderType: 'border', axis: 'axes', ksize: 'kernelSize' };

/** Levenshtein distance. */
function edits(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The closest known name: another library's spelling, the camelCase of a snake_case name, another case, or two edits away. */
function closest(key: string, known: string[]): string | undefined {
  const lower = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()).toLowerCase();
  return known.find((k) => k === SPELLINGS[key]) ?? known.find((k) => k.toLowerCase() === lower) ?? known.find((k) => edits(k.toLowerCase(), lower) <= 2 || k.toLowerCase().startsWith(lower));
}

/**
 * Options objects may be omitted but must be objects when given, holding only the names of
 * `set` (an unknown name is an OPTION error naming it and, where one is close, the right one).
 */
export function optionsObject<T extends object>(arg: string, value: T | undefined, set: OptionSet, why: Record<string, string> = {}): Partial<T> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('OPTION', arg, 'an options object', value);
  const known = NAMES[set].split(' ');
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const near = closest(key, known);
    const hint = why[key] ?? (near ? (SPELLINGS[key] === near ? `simdconv calls it '${near}'` : `did you mean '${near}'?`) : '');
    throw new SimdconvError('OPTION', `${arg}.${key}: expected one of ${known.join(', ')}, got an option named ${JSON.stringify(key)}${hint ? `: ${hint}` : ''}`);
  }
  return value;
}
