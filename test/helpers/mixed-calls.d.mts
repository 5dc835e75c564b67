/** See mixed-calls.mjs. */
export function mixedCalls(seed: number, count: number): [string, unknown[]][];
export function digest(results: unknown[]): number;
