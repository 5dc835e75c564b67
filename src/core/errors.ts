/** Stable error codes: callers may branch on `err.code`; messages may change. */
export const ErrorCode = {
  SHAPE: 'SHAPE',
  DTYPE: 'DTYPE',
  OPTION: 'OPTION',
  TOO_LARGE: 'TOO_LARGE',
  BACKEND: 'BACKEND',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Every invalid input to simdconv throws this. The message names the argument, the expectation and what was given. */
export class SimdconvError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'SimdconvError';
    this.code = code;
  }
}

/** One factory for all errors so messages keep one shape: "<arg>: expected <what>, got <given>". */
export function fail(code: ErrorCode, arg: string, expected: string, given?: unknown): never {
  const got = given === undefined ? '' : `, got ${describe(given)}`;
  throw new SimdconvError(code, `${arg}: expected ${expected}${got}`);
}

/** Short, safe description of a user value for error messages (never dumps a whole array). */
function describe(value: unknown): string {
  if (value === null) return 'null';
  // A short array of plain values is shown whole: "got [NaN, 2]".
  if (Array.isArray(value)) {
    const plain = value.length <= 8 && value.every((v) => v === null || (typeof v !== 'object' && typeof v !== 'function'));
    return plain ? `[${value.map(describe).join(', ')}]` : `an array of length ${value.length}`;
  }
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    return 'length' in value ? `a ${name} of length ${(value as { length: number }).length}` : `a ${name}`;
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'bigint':
      return `${value}n`;
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'function':
      return 'a function';
    default:
      return typeof value === 'object' && Array.isArray((value as { shape?: unknown }).shape)
        ? `a tensor of shape [${(value as { shape: unknown[] }).shape.join(', ')}]`
        : 'an object';
  }
}
