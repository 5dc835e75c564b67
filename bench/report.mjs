// Shared helpers for the benchmark scripts: argument parsing, medians, machine line, markdown table.
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';

export function parseArgs(defaults) {
  const out = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(\w+)$/.exec(argv[i]);
    if (m && m[1] in out) out[m[1]] = argv[++i];
  }
  return out;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function machine() {
  const version = (name) => JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url))).version;
  return `machine: nproc ${cpus().length}, ${cpus()[0].model}; node ${process.version}; assemblyscript ${version('assemblyscript')}; tinybench ${version('tinybench')}; ${new Date().toISOString().slice(0, 10)}`;
}

export function table(rows) {
  const cols = Object.keys(rows[0]);
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(cols), line(cols.map(() => '---')), ...rows.map((r) => line(cols.map((c) => r[c])))].join('\n');
}
