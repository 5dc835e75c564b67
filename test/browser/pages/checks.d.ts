// Types of checks.js for the tests that run it in Node too.
import type * as simdconv from '../../../src/index';
export function checks(s: typeof simdconv): { backend: string; convolve: number[]; correlate: number[]; sobel: number[] };
