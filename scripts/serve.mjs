// A small static server for the demo page and the browser tests: files from mounted folders on
// 127.0.0.1, with the security headers a page asks for. `npm run demo` runs it on demo/dist with
// the Content-Security-Policy the page needs (it compiles WebAssembly: 'wasm-unsafe-eval').
//   node scripts/serve.mjs [--root demo/dist] [--port 5173] [--isolated]
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** The policy the demo page is served with: nothing from elsewhere, and WebAssembly allowed to compile. */
export const DEMO_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' blob: data:; worker-src 'self' blob:";

/** Cross-origin isolation (SharedArrayBuffer, and with it shared Wasm memory). */
export const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/**
 * Serves `mounts` ({ '/url/prefix/': folder }) on 127.0.0.1:`port` (0: any free port);
 * `headers(pathname)` adds response headers. Resolves to { url, close }.
 */
export function serve({ mounts, port = 0, headers = () => ({}) }) {
  const roots = Object.entries(mounts).map(([prefix, dir]) => [prefix, resolve(dir)]).sort((a, b) => b[0].length - a[0].length);
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const mount = roots.find(([prefix]) => pathname.startsWith(prefix));
    let file = mount && normalize(join(mount[1], pathname.slice(mount[0].length)));
    if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!mount || !file.startsWith(mount[1]) || !existsSync(file)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store', ...headers(pathname) });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => {
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address();
      ok({ url: `http://127.0.0.1:${bound}`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const arg = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
  const root = resolve(arg('root', 'demo/dist'));
  if (!existsSync(join(root, 'index.html'))) {
    console.error(`${root}/index.html is missing: run npm run demo:build first`);
    process.exit(1);
  }
  const isolated = args.includes('--isolated');
  const { url } = await serve({
    mounts: { '/': root },
    port: Number(arg('port', 5173)),
    headers: () => ({ 'Content-Security-Policy': DEMO_CSP, ...(isolated ? ISOLATION : {}) }),
  });
  console.log(`simdconv demo: ${url}/  (Ctrl-C to stop)`);
}
