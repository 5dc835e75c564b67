// The published tarball, installed into an empty project, imports through ESM and CommonJS
// and runs on Wasm SIMD after ready(), with no loader or wasm path to configure.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
let dir = '';

const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'simdconv-pack-'));
  // `npm test` has just built dist/; a bare `vitest` run lets prepack build it.
  const built = existsSync(join(root, 'dist', 'index.js')) && existsSync(join(root, 'dist', 'index.cjs'));
  npm(['pack', '--pack-destination', dir, ...(built ? ['--ignore-scripts'] : [])], root);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  // The tarball's own dependencies come from the registry (or the cache where an earlier install
  // left them): a fresh machine has an empty cache and must still install the package.
  npm(['install', '--no-audit', '--no-fund', '--prefer-offline', join(dir, tarball as string)], dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const program = (load: string) => `
${load}
(async () => {
  const before = getBackend();
  const backend = await ready();
  const out = convolve2d([[0,0,0],[0,1,0],[0,0,0]], [[1,2,3],[4,5,6],[7,8,9]], { mode: 'same' });
  console.log(JSON.stringify({ before, backend, data: Array.from(out.data), type: out.data.constructor.name }));
})();
`;

const expected = { backend: 'wasm-simd', data: [1, 2, 3, 4, 5, 6, 7, 8, 9], type: 'Float64Array' };

test('ESM import', () => {
  writeFileSync(join(dir, 'esm.mjs'), program(`import { convolve2d, getBackend, ready } from 'simdconv';`));
  const out = JSON.parse(execFileSync('node', ['esm.mjs'], { cwd: dir, encoding: 'utf8' }));
  expect(out).toMatchObject(expected);
});

test('CommonJS require', () => {
  writeFileSync(join(dir, 'cjs.cjs'), program(`const { convolve2d, getBackend, ready } = require('simdconv');`));
  const out = JSON.parse(execFileSync('node', ['cjs.cjs'], { cwd: dir, encoding: 'utf8' }));
  expect(out).toMatchObject(expected);
});

const poolProgram = (load: string) => `
${load}
(async () => {
  const x = { data: Float32Array.from({ length: 64 * 64 }, (_, i) => Math.sin(i)), shape: [64, 64] };
  const k = [[1, 2, 1], [0, 0, 0], [-1, -2, -1]];
  const pool = await createPool({ threads: 2 });
  const pooled = await pool.correlate2d(x, k, { mode: 'same' });
  const sync = correlate2d(x, k, { mode: 'same' });
  console.log(JSON.stringify({ mode: pool.mode, same: pooled.data.every((v, i) => Object.is(v, sync.data[i])) }));
  await pool.close();
})();
`;

test('a pool from the installed package, through ESM and CommonJS, gives the synchronous bits', () => {
  writeFileSync(join(dir, 'pool.mjs'), poolProgram(`import { correlate2d, createPool } from 'simdconv';`));
  writeFileSync(join(dir, 'pool.cjs'), poolProgram(`const { correlate2d, createPool } = require('simdconv');`));
  for (const file of ['pool.mjs', 'pool.cjs']) {
    expect(JSON.parse(execFileSync('node', [file], { cwd: dir, encoding: 'utf8', timeout: 60_000 }))).toEqual({ mode: 'shared', same: true });
  }
});

test('the tarball ships the bundle and types, not sources or the raw build', () => {
  const files = execFileSync('tar', ['-tzf', join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz')) as string)], { encoding: 'utf8' });
  expect(files).toMatch(/package\/dist\/index\.js/);
  expect(files).toMatch(/package\/dist\/index\.cjs/);
  expect(files).toMatch(/package\/dist\/index\.d\.ts/);
  expect(files).not.toMatch(/package\/src\//);
  expect(files).not.toMatch(/\.wasm\b/);
});

test('the ESM bundle builds for a browser: no Node built-ins', async () => {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(root, 'dist', 'index.js')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  expect(result.errors).toEqual([]);
  expect(result.outputFiles[0].text).not.toMatch(/\brequire\(|from\s*["'](node:)?(fs|path|worker_threads)["']/);
});

test('the installed bin runs: npx simdconv filter writes a filtered PNG', () => {
  writeFileSync(
    join(dir, 'make-png.cjs'),
    `const { PNG } = require('pngjs');
const p = new PNG({ width: 9, height: 7 });
for (let i = 0; i < p.data.length; i++) p.data[i] = (i * 29) % 256;
require('fs').writeFileSync('in.png', PNG.sync.write(p));`,
  );
  execFileSync('node', ['make-png.cjs'], { cwd: dir });
  expect(execFileSync('npx', ['--no-install', 'simdconv', '--help'], { cwd: dir, encoding: 'utf8' })).toMatch(/Usage: simdconv <command>/);
  execFileSync('npx', ['--no-install', 'simdconv', 'filter', 'in.png', 'out.png', '--kernel', 'box:3'], { cwd: dir, encoding: 'utf8' });
  expect(existsSync(join(dir, 'out.png'))).toBe(true);
});
