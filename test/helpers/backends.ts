import { afterAll, beforeAll } from 'vitest';
import { features, ready, setBackend, type BackendName } from '../../src/index';

/** Every backend this host runs: relaxed SIMD where it validates (the test runner passes Node its flag). */
export const BACKENDS: BackendName[] = features().relaxedSimd ? ['wasm-relaxed-simd', 'wasm-simd', 'js'] : ['wasm-simd', 'js'];

/** Runs the enclosing describe block on one backend and restores Wasm SIMD afterwards. */
export function useBackend(name: BackendName): void {
  beforeAll(async () => {
    await ready();
    setBackend(name);
  });
  afterAll(() => setBackend('wasm-simd'));
}

/** Runs `f` on one backend, then returns to Wasm SIMD even when `f` throws. */
export function onBackend<T>(name: BackendName, f: () => T): T {
  setBackend(name);
  try {
    return f();
  } finally {
    setBackend('wasm-simd');
  }
}
