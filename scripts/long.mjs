// The long versions of the fuzzing and soak suites (npm run fuzz, npm run soak): the same tests as
// in npm test with a larger budget, set through the environment on every platform.
//   node scripts/long.mjs fuzz [runs]   (default 20000 runs per property)
//   node scripts/long.mjs soak [calls]  (default 100000 calls)
import { spawnSync } from 'node:child_process';

const [what, count] = process.argv.slice(2);
const suites = { fuzz: ['test/fuzz', 'FUZZ_RUNS', '20000'], soak: ['test/soak', 'SOAK_CALLS', '100000'] };
if (!suites[what]) {
  console.error('usage: node scripts/long.mjs fuzz|soak [count]');
  process.exit(2);
}
const [dir, variable, fallback] = suites[what];
const env = { ...process.env, [variable]: count ?? fallback };
const vitest = new URL('../node_modules/vitest/vitest.mjs', import.meta.url).pathname;
const r = spawnSync(process.execPath, [vitest, 'run', dir, '--reporter=verbose'], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
