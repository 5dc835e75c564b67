import { defineConfig } from 'tsup';

/**
 * What the library's builds share. Shipped minified: the bundle stays small for pages (the
 * browser tests hold it under 60 KB gzipped). SimdconvError sets its name itself.
 */
const library = { target: 'es2022', platform: 'neutral', sourcemap: false, treeshake: true, minify: true } as const;

export default defineConfig([
  {
    // ESM: the pool (loaded by createPool's dynamic import) shares the library's chunk with
    // index.js, so a page that never makes a pool loads index.js and that chunk.
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    splitting: true,
    dts: true,
    clean: false,
    ...library,
  },
  {
    entry: ['src/index.ts'],
    format: ['cjs'],
    dts: true,
    clean: false,
    ...library,
  },
  {
    // The pool's worker script, whole (no chunks, no dynamic imports): bundlers build workers as
    // single files by default (Vite's iife), and it loads only where a pool is made.
    entry: { worker: 'src/pool/worker.ts' },
    format: ['esm'],
    splitting: false,
    ...library,
  },
  {
    // The command-line tool: Node only, kept out of the library entry so browser bundles never see node: imports.
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    target: 'es2022',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
    external: ['pngjs', 'tinybench'],
    splitting: false,
    sourcemap: false,
  },
]);
