// `npm start` / `npm run demo` on a fresh clone: build the Wasm module, the bundle, the command and
// the demo page first if any is missing.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const has = (f) => existsSync(new URL(f, root));
if (!['dist/index.js', 'dist/cli.js'].every(has)) execSync('npm run build', { stdio: 'inherit', cwd: root });
if (!has('demo/dist/index.html')) execSync('npm run demo:build', { stdio: 'inherit', cwd: root });
