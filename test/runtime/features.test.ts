// features(): what the host offers, probed with tiny validated modules. Node 20 has Wasm SIMD
// and shared memory; relaxed SIMD only behind --experimental-wasm-relaxed-simd.
import { execFileSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { features, ready } from '../../src/index';

test('Node: SIMD, shared-memory threads and isolation yes; nothing makes Wasm unavailable', async () => {
  await ready();
  const f = features();
  expect(f).toMatchObject({ simd: true, threads: true, crossOriginIsolated: true, wasmUnavailable: null });
  expect(typeof f.relaxedSimd).toBe('boolean');
});

test('the relaxed-SIMD probe validates exactly where the host has relaxed SIMD', () => {
  const dist = new URL('../../dist/index.js', import.meta.url).href;
  const probe = `import(${JSON.stringify(dist)}).then((m) => console.log(m.features().relaxedSimd))`;
  const plain = execFileSync('node', ['--input-type=module', '-e', probe], { encoding: 'utf8' }).trim();
  const flagged = execFileSync('node', ['--experimental-wasm-relaxed-simd', '--input-type=module', '-e', probe], { encoding: 'utf8' }).trim();
  expect(plain).toBe('false');
  expect(flagged).toBe('true');
});
