// Headless Chromium for the browser tests: Debian's chromium driven by playwright-core (no browser
// download), and one static server for the demo page, the package's dist/ and the test pages.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_CSP, ISOLATION, serve } from '../../scripts/serve.mjs';

const root = new URL('../../', import.meta.url).pathname;
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = `${root}test/browser/screenshots`;

/** Policies the test pages are served with, by path. */
export const STRICT_CSP = "script-src 'self'";
export const WASM_CSP = "script-src 'self' 'wasm-unsafe-eval'";

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; npm test's pretest does it as root) or set CHROMIUM_PATH`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The flags keep Chromium off the network this machine does not have.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface Server {
  url: string;
  close(): Promise<void>;
}

/**
 * / -> demo/dist (with the demo's CSP), /dist/ -> the package bundle, /pages/ -> test pages
 * (csp-strict* with script-src 'self', csp-wasm* with 'wasm-unsafe-eval', isolated* cross-origin
 * isolated; /dist/ carries the isolation headers too, for the pool worker of an isolated page), /extra/ -> `extra` when given.
 */
export function startServer(extra?: string): Promise<Server> {
  return serve({
    mounts: { '/': `${root}demo/dist`, '/dist/': `${root}dist`, '/pages/': `${root}test/browser/pages`, ...(extra ? { '/extra/': extra } : {}) },
    headers: (path: string): Record<string, string> => {
      if (path.startsWith('/pages/csp-strict')) return { 'Content-Security-Policy': STRICT_CSP };
      if (path.startsWith('/pages/csp-wasm')) return { 'Content-Security-Policy': WASM_CSP };
      // A worker started by an isolated page must itself be served with COEP (the pool's worker.js comes from /dist/).
      if (path.startsWith('/pages/isolated') || path.startsWith('/dist/')) return ISOLATION;
      if (path.startsWith('/pages/') || path.startsWith('/dist/') || path.startsWith('/extra/')) return {};
      return { 'Content-Security-Policy': DEMO_CSP };
    },
  });
}

/** Every console error and uncaught exception of a page, for the tests to assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return errors;
}

/** A number as the page prints it (with a real minus sign). */
export const number = (text: string | null) => Number((text ?? '').trim().replace('−', '-'));
