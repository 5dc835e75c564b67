import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Node 20 runs relaxed SIMD behind a flag: with it the suite covers the relaxed build too. The
    // soak reads memory after a full collection.
    poolOptions: { forks: { execArgv: ['--experimental-wasm-relaxed-simd', '--expose-gc'] } },
  },
});
