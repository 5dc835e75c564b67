import { afterAll, beforeAll } from 'vitest';
import { ready, setBackend, type BackendName } from '../../src/index';

export const BACKENDS: BackendName[] = ['wasm-simd', 'js'];

/** Runs the enclosing describe block on one backend and restores Wasm SIMD afterwards. */
export function useBackend(name: BackendName): void {
  beforeAll(async () => {
    await ready();
    setBackend(name);
  });
  afterAll(() => setBackend('wasm-simd'));
}
