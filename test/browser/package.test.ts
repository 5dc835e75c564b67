// The package in a browser without a bundler: a plain module script with an import map (calls
// before ready() on the fallback, ready() not blocking), a module Web Worker, a page whose
// Content-Security-Policy forbids compiling WebAssembly and one that allows it; and the package
// bundled by Vite, loaded in Chromium.
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as simdconv from '../../src/index';
import { checks } from './pages/checks.js';
import { launch, startServer, watchErrors, type Server } from './harness';

const root = new URL('../../', import.meta.url).pathname;
let browser: Browser;
let server: Server;
let bundled = '';

type Checks = ReturnType<typeof checks>;
// The same calls in Node, on Wasm SIMD: the browser must give these exact values.
const expected = (): Omit<Checks, 'backend'> => {
  const { backend: _b, ...values } = checks(simdconv);
  return values;
};

/** Vite bundles a page that imports 'simdconv' by name, resolved through node_modules like an installed package. */
async function viteBundle(): Promise<{ dir: string; warnings: string[] }> {
  const { build, createLogger } = await import('vite');
  const dir = mkdtempSync(join(tmpdir(), 'simdconv-vite-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'simdconv'), 'dir');
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>bundled</title></head><body><script type="module" src="./main.js"></script></body></html>');
  writeFileSync(join(dir, 'checks.js'), readFileSync(new URL('./pages/checks.js', import.meta.url)));
  writeFileSync(join(dir, 'main.js'), "import * as simdconv from 'simdconv';\nimport { checks } from './checks.js';\nconst backend = await simdconv.ready();\nwindow.__result = { ...checks(simdconv), backend };\n");
  const warnings: string[] = [];
  const logger = createLogger('warn');
  logger.warn = (msg) => void warnings.push(msg);
  logger.warnOnce = (msg) => void warnings.push(msg);
  await build({ root: dir, base: './', logLevel: 'warn', customLogger: logger, configFile: false, build: { outDir: join(dir, 'dist'), target: 'es2022' } });
  return { dir, warnings };
}

beforeAll(async () => {
  await simdconv.ready();
  browser = await launch();
  const vite = await viteBundle();
  bundled = vite.dir;
  expect(vite.warnings).toEqual([]);
  server = await startServer(join(bundled, 'dist'));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (bundled) rmSync(bundled, { recursive: true, force: true });
});

async function resultOf(path: string): Promise<Record<string, unknown> & { errors: string[] }> {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}${path}`);
  await page.waitForFunction(() => (window as { __result?: unknown }).__result !== undefined, undefined, { timeout: 30_000 });
  const result = (await page.evaluate(() => (window as { __result?: unknown }).__result)) as Record<string, unknown>;
  await page.close();
  return { ...result, errors };
}

test('the impulse example is what Node computes', () => {
  const e = expected();
  expect(e.convolve).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  expect(e.correlate).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
  expect(Math.min(...e.sobel)).toBeLessThan(0);
});

test('a plain <script type="module"> with an import map: the fallback answers before ready(), which does not block; then relaxed SIMD, chosen by the probe; plain SIMD on request', async () => {
  const r = await resultOf('/pages/importmap.html');
  expect(r.errors).toEqual([]);
  const before = r.before as Checks;
  const after = r.after as Checks;
  expect(before.backend).toBe('js');
  expect(r.readyCallMs as number).toBeLessThan(50);
  expect(r.backend).toBe('wasm-relaxed-simd');
  expect(after.backend).toBe('wasm-relaxed-simd');
  const plain = r.plain as Checks;
  expect(plain.backend).toBe('wasm-simd');
  for (const values of [before, after, plain]) {
    const { backend: _b, ...rest } = values;
    expect(rest).toEqual(expected());
  }
  expect(r.features).toMatchObject({ simd: true, relaxedSimd: true, crossOriginIsolated: false, wasmUnavailable: null });
});

test('inside a module Web Worker', async () => {
  const r = await resultOf('/pages/worker.html');
  expect(r.errors).toEqual([]);
  expect(r.error).toBeUndefined();
  const { backend, ...rest } = r as unknown as Checks & { errors: string[] };
  expect(backend).toBe('wasm-relaxed-simd');
  expect({ convolve: rest.convolve, correlate: rest.correlate, sobel: rest.sobel }).toEqual(expected());
});

test("under script-src 'self': ready() resolves to 'js', features() names 'wasm-unsafe-eval', setBackend('wasm-simd') is a BACKEND error, calls work", async () => {
  const r = await resultOf('/pages/csp-strict.html');
  expect(r.readyError).toBeNull();
  expect(r.backend).toBe('js');
  const f = r.features as simdconv.Features;
  expect(f.simd).toBe(true);
  expect(f.wasmUnavailable).toMatch(/CompileError: WebAssembly\.compile\(\).*Content Security Policy/);
  expect(f.wasmUnavailable).toMatch(/'wasm-unsafe-eval'/);
  expect(r.setBackendError).toMatchObject({ name: 'SimdconvError', code: 'BACKEND' });
  expect((r.setBackendError as { message: string }).message).toMatch(/backend: expected a WebAssembly module that compiles here for 'wasm-simd', got CompileError/);
  for (const values of [r.before, r.after] as Checks[]) {
    expect(values.backend).toBe('js');
    const { backend: _b, ...rest } = values;
    expect(rest).toEqual(expected());
  }
});

test("with script-src 'self' 'wasm-unsafe-eval' (the policy the README gives) the page runs on Wasm (relaxed) SIMD", async () => {
  const r = await resultOf('/pages/csp-wasm.html');
  expect(r.errors).toEqual([]);
  expect(r.backend).toBe('wasm-relaxed-simd');
  expect(r.setBackendError).toBeNull();
  expect((r.features as simdconv.Features).wasmUnavailable).toBeNull();
});

test('bundled by Vite with no warnings and no Node built-ins, the page runs on Wasm (relaxed) SIMD', async () => {
  const assets = readdirSync(join(bundled, 'dist', 'assets'));
  const js = assets.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(bundled, 'dist', 'assets', f), 'utf8')).join('\n');
  expect(js).not.toMatch(/\brequire\(|from\s*["'](node:)?(fs|path|worker_threads|module)["']/);
  const r = await resultOf('/extra/index.html');
  expect(r.errors).toEqual([]);
  expect(r.backend).toBe('wasm-relaxed-simd');
  const { backend: _b, errors: _e, ...rest } = r;
  expect(rest).toEqual(expected());
});

/** dist/index.js and every file it imports statically: what a page loads before its first call (the pool's code loads on createPool). */
function coreFiles(): string[] {
  const files = new Set<string>();
  const queue = ['index.js'];
  while (queue.length) {
    const file = queue.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(join(root, 'dist', file), 'utf8');
    for (const m of text.matchAll(/(?:^|[;}\s])import\s*(?:[^'"()]*?from\s*)?["']\.\/([^"']+)["']/g)) queue.push(m[1]);
  }
  return [...files];
}

test('the core bundle (JS and the inlined Wasm) is under 60 KB gzipped', () => {
  const files = coreFiles();
  // The split is real: index.js imports the library's chunk, and the pool is not among them.
  expect(files.length).toBeGreaterThan(1);
  expect(files.some((f) => f.startsWith('pool'))).toBe(false);
  const bytes = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(root, 'dist', f)), { level: 9 }).length, 0);
  expect(bytes).toBeLessThan(60 * 1024);
});
