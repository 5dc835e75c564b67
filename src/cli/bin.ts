import { main } from './main';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`simdconv: internal error: ${(e as Error)?.stack ?? String(e)}`);
    process.exitCode = 2;
  },
);
