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

test("where relaxed SIMD validates it is the backend ready() picks; setBackend('wasm-simd') gives the plain build; they differ by FMA's rounding only", async () => {
  const { correlate2d, getBackend, setBackend } = await import('../../src/index');
  expect(features().relaxedSimd).toBe(true); // the test runner starts Node with the flag
  expect(await ready()).toBe('wasm-relaxed-simd');
  const x = { data: Float32Array.from({ length: 96 * 96 }, (_, i) => Math.sin(i * 0.37) * 3), shape: [96, 96] };
  const k = { data: Float32Array.from({ length: 25 }, (_, i) => Math.cos(i) / 7), shape: [5, 5] };
  const fused = correlate2d(x, k, { mode: 'same' });
  setBackend('wasm-simd');
  expect(getBackend()).toBe('wasm-simd');
  const plain = correlate2d(x, k, { mode: 'same' });
  setBackend('wasm-relaxed-simd');
  expect(getBackend()).toBe('wasm-relaxed-simd');
  let differ = 0;
  let worst = 0;
  for (let i = 0; i < plain.data.length; i++) {
    if (plain.data[i] !== fused.data[i]) differ++;
    worst = Math.max(worst, Math.abs(plain.data[i] - fused.data[i]));
  }
  // One rounding per tap instead of two: some results move by an ulp or so, none by more.
  expect(differ).toBeGreaterThan(0);
  expect(worst).toBeLessThan(1e-5);
});

test("without relaxed SIMD, setBackend('wasm-relaxed-simd') is a BACKEND error naming the flag, and plain SIMD runs", () => {
  const dist = new URL('../../dist/index.js', import.meta.url).href;
  const script = `import(${JSON.stringify(dist)}).then(async (m) => { await m.ready(); let e = null; try { m.setBackend('wasm-relaxed-simd'); } catch (x) { e = x.code + ' ' + x.message; } console.log(JSON.stringify({ backend: m.getBackend(), e })); })`;
  const out = JSON.parse(execFileSync('node', ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim());
  expect(out.backend).toBe('wasm-simd');
  expect(out.e).toMatch(/^BACKEND backend: expected a host with relaxed SIMD for 'wasm-relaxed-simd' \(Node 20 needs --experimental-wasm-relaxed-simd\)/);
});
