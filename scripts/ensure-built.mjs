// `npm start` on a fresh clone: build the Wasm module, the bundle and the command first if any is missing.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const built = ['../dist/index.js', '../dist/cli.js'].every((f) => existsSync(new URL(f, import.meta.url)));
if (!built) execSync('npm run build', { stdio: 'inherit', cwd: new URL('..', import.meta.url) });
