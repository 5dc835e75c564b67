// The pool in headless Chromium, bit for bit against the synchronous calls in the same page:
// on a page that is not cross-origin isolated (transfer mode is all it can have) and on one that
// is (shared mode by default, and transfer mode too).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launch, startServer, watchErrors, type Server } from './harness';

let browser: Browser;
let server: Server;

beforeAll(async () => {
  browser = await launch();
  server = await startServer();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type ModeReport = { mode: string; compared: number; mismatches: string[]; rejected: string | null };
type Report = { crossOriginIsolated: boolean; poolMode: string; modes: Record<string, ModeReport>; errors: string[]; blocking: string; error?: string };

async function reportOf(path: string): Promise<Report> {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}${path}`);
  await page.waitForFunction(() => (window as { __result?: unknown }).__result !== undefined, undefined, { timeout: 60_000 });
  const result = (await page.evaluate(() => (window as { __result?: unknown }).__result)) as Report;
  await page.close();
  return { ...result, errors };
}

function expectIdentical(m: ModeReport | undefined, mode: string): void {
  expect(m?.mode).toBe(mode);
  expect(m?.compared).toBeGreaterThan(10);
  expect(m?.mismatches).toEqual([]);
  expect(m?.rejected).toBe('SimdconvError DTYPE');
}

test('without cross-origin isolation the pool runs in transfer mode and matches the synchronous calls bit for bit', async () => {
  const r = await reportOf('/pages/pool.html');
  expect(r.error).toBeUndefined();
  expect(r.errors).toEqual([]);
  expect(r.crossOriginIsolated).toBe(false);
  expect(r.poolMode).toBe('transfer');
  expect(r.blocking).toBe('SimdconvError BACKEND');
  expect(Object.keys(r.modes)).toEqual(['transfer']);
  expectIdentical(r.modes.transfer, 'transfer');
});

test('cross-origin isolated, the pool shares memory by default, and both modes match the synchronous calls bit for bit', async () => {
  const r = await reportOf('/pages/isolated-pool.html');
  expect(r.error).toBeUndefined();
  expect(r.errors).toEqual([]);
  expect(r.crossOriginIsolated).toBe(true);
  expect(r.poolMode).toBe('shared');
  expect(r.blocking).toBe('SimdconvError BACKEND');
  expectIdentical(r.modes.shared, 'shared');
  expectIdentical(r.modes.transfer, 'transfer');
});
