import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: false,
    target: 'es2022',
    platform: 'neutral',
    sourcemap: false,
    treeshake: true,
    // Shipped minified: the bundle stays small for pages (the browser tests hold it under 60 KB
    // gzipped). SimdconvError sets its name itself.
    minify: true,
  },
  {
    // The command-line tool: Node only, kept out of the library entry so browser bundles never see node: imports.
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    target: 'es2022',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
    external: ['pngjs', 'tinybench'],
    sourcemap: false,
  },
]);
