// release() gives memory back: after a 4096x4096 layer on each backend, a process that calls
// release() returns near the resident size it started at, and the next call is right.
import { execFileSync } from 'node:child_process';
import { expect, test } from 'vitest';

const dist = new URL('../../dist/index.js', import.meta.url).href;

const script = `
const s = await import(${JSON.stringify(dist)});
const mb = () => process.memoryUsage().rss / 2 ** 20;
const settle = async () => { for (let i = 0; i < 4; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); } };
const small = () => Array.from(s.correlate2d([[1, 2], [3, 4]], [[1, 0], [0, -1]], { mode: 'valid' }).data);
const want = small();
await settle();
const start = mb();
const n = 4096;
let peak = 0;
for (const backend of ['wasm-simd', 'js']) {
  s.setBackend(backend);
  // A layer holds a whole padded item and its output in compute memory (128 MiB here).
  let r = s.conv2d({ data: new Float32Array(n * n).fill(1), shape: [1, 1, n, n] }, { data: new Float32Array(9).fill(0.5), shape: [1, 1, 3, 3] }, { padding: 1, stride: 1, groups: 1 });
  peak = Math.max(peak, mb());
  r = null;
}
s.setBackend('wasm-simd');
await settle();
const held = mb();
s.release();
await settle();
const after = mb();
const again = small();
console.log(JSON.stringify({ start, peak, held, after, same: JSON.stringify(again) === JSON.stringify(want) }));
`;

test('after a 4096x4096 layer on Wasm and on the fallback, release() brings the process back near where it started', () => {
  const out = execFileSync('node', ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
  const r = JSON.parse(out.trim().split('\n').pop() as string) as { start: number; peak: number; held: number; after: number; same: boolean };
  // Without release() the process keeps the Wasm memory and the fallback's buffer (128 MiB each)...
  expect(r.held - r.start).toBeGreaterThan(100);
  // ...with it, the process is back within a few pages of where it started.
  expect(r.after - r.start).toBeLessThan(48);
  expect(r.same).toBe(true);
});
