/** A command line split into positionals and `--name value` / `--flag` options. */
export interface Parsed {
  positionals: string[];
  options: Map<string, string | true>;
}

/** Options that take no value. */
const FLAGS = new Set(['help', 'quiet', 'abs', 'normalize']);

export function parseArgs(argv: string[]): Parsed {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h') {
      options.set('help', true);
    } else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      if (eq >= 0) options.set(name, a.slice(eq + 1));
      else if (FLAGS.has(name)) options.set(name, true);
      else {
        if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
        options.set(name, argv[++i]);
      }
    } else {
      positionals.push(a);
    }
  }
  return { positionals, options };
}

/** A mistake on the command line: reported in one line with exit code 1. */
export class UsageError extends Error {}

export function stringOption(p: Parsed, name: string, fallback: string): string {
  const v = p.options.get(name);
  if (v === undefined) return fallback;
  if (v === true) throw new UsageError(`--${name} needs a value`);
  return v;
}

export function numberArg(p: Parsed, name: string, fallback: number): number {
  const v = stringOption(p, name, String(fallback));
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} expects a number, got "${v}"`);
  return n;
}

/** Rejects options the command does not know, so a typo is not silently ignored. */
export function checkKnown(p: Parsed, known: string[]): void {
  for (const name of p.options.keys()) {
    if (name !== 'help' && !known.includes(name)) throw new UsageError(`unknown option --${name}`);
  }
}
