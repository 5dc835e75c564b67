import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SimdconvError } from '../core/errors';
import { filter2d, ready, type Border, type Filter2dOptions, type ImageLike } from '../index';
import { checkKnown, numberArg, parseArgs, stringOption, UsageError, type Parsed } from './args';
import { bench, parseSize } from './bench';
import { demo } from './demo';
import { KERNEL_HELP, parseKernel } from './kernelSpec';
import { readPng, writePng } from './png';
import { signedToBytes, toBytesOption } from './signed';

const HELP: Record<string, string> = {
  main: `simdconv: 2-D convolution on WebAssembly SIMD

Usage: simdconv <command> [options]

Commands:
  filter   filter PNG images (OpenCV filter2D semantics)
  demo     convolution vs correlation on an impulse, and Wasm vs JS timing
  bench    Wasm SIMD vs the JS fallback on an image size of your choice

Run simdconv <command> --help for a command's options.`,
  filter: `Usage: simdconv filter IN.png OUT.png [options]
       simdconv filter IN.png... --out DIR [options]

Filters every colour channel of each PNG (read as 8-bit RGBA) and writes a PNG.
Several inputs need --out DIR; each result keeps its input's file name.

Options:
  --kernel K        ${KERNEL_HELP} (default sobelX)
  --op O            correlate (default, as OpenCV's filter2D) | convolve (kernel rotated 180°)
  --border B        reflect101 (default) | reflect | replicate | constant | wrap
  --border-value V  value past the edge for --border constant (default 0)
  --delta D         added to every result before rounding (default 0)
  --anchor X,Y      kernel element over the output pixel (default the centre)
  --alpha A         keep (default: alpha copied through) | filter
  --ddepth D        same (default: bytes, saturated to 0..255) | int16 | float32 (signed results)
  --abs             with --ddepth int16/float32: write |value| (OpenCV's convertScaleAbs)
  --normalize       with --ddepth int16/float32: map min..max to 0..255
  --out DIR         output folder (created if missing)
  --quiet           no progress lines`,
  demo: `Usage: simdconv demo

Prints the impulse example (convolution returns the kernel, correlation returns it rotated)
and times Sobel-X on a 1024x1024 image on Wasm SIMD and on the JS fallback.`,
  bench: `Usage: simdconv bench [options]

tinybench comparison of filter2d on Wasm SIMD and on the JS fallback.

Options:
  --size WxH      image size (default 1920x1080)
  --channels N    samples per pixel (default 4, RGBA)
  --kernel K      ${KERNEL_HELP} (default sobelX)
  --rounds N      rounds; the median is reported (default 5)
  --time MS       tinybench time per round and backend (default 300)`,
};

type Log = (line: string) => void;

function filterOptions(p: Parsed): Filter2dOptions {
  const anchor = p.options.get('anchor');
  let parsedAnchor: [number, number] | undefined;
  if (anchor !== undefined) {
    const m = typeof anchor === 'string' ? /^(-?\d+),(-?\d+)$/.exec(anchor) : null;
    if (!m) throw new UsageError(`--anchor expects X,Y integers, got "${String(anchor)}"`);
    parsedAnchor = [Number(m[1]), Number(m[2])];
  }
  return {
    op: stringOption(p, 'op', 'correlate') as Filter2dOptions['op'],
    border: stringOption(p, 'border', 'reflect101') as Border,
    borderValue: numberArg(p, 'border-value', 0),
    delta: numberArg(p, 'delta', 0),
    alpha: stringOption(p, 'alpha', 'keep') as Filter2dOptions['alpha'],
    ddepth: stringOption(p, 'ddepth', 'same') as Filter2dOptions['ddepth'],
    anchor: parsedAnchor,
  };
}

async function filterCommand(p: Parsed, log: Log): Promise<void> {
  checkKnown(p, ['kernel', 'op', 'border', 'border-value', 'delta', 'anchor', 'alpha', 'ddepth', 'abs', 'normalize', 'out', 'quiet']);
  const kernel = parseKernel(stringOption(p, 'kernel', 'sobelX'));
  const opts = filterOptions(p);
  const toBytes = toBytesOption(p.options.has('abs'), p.options.has('normalize'), opts.ddepth ?? 'same');
  const outDir = p.options.get('out');
  let jobs: [string, string][];
  if (typeof outDir === 'string') {
    if (p.positionals.length === 0) throw new UsageError('filter: no input files');
    if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new UsageError(`--out ${outDir}: not a directory`);
    mkdirSync(outDir, { recursive: true });
    jobs = p.positionals.map((f) => [f, join(outDir, basename(f))]);
  } else {
    if (p.positionals.length !== 2) throw new UsageError('filter: expected IN.png OUT.png, or several inputs with --out DIR');
    jobs = [[p.positionals[0], p.positionals[1]]];
  }
  await ready();
  const progress = jobs.length > 1 && !p.options.has('quiet');
  // Read every input before writing anything: a bad input in a batch leaves no outputs behind.
  const images = jobs.map(([input]) => readPng(input));
  jobs.forEach(([input, output], i) => {
    const t0 = performance.now();
    const image: ImageLike = { ...images[i], channels: 4 };
    const result = filter2d(image, kernel, opts) as ImageLike;
    const data = toBytes ? signedToBytes(result.data, toBytes, opts.alpha !== 'filter') : (result.data as Uint8ClampedArray);
    writePng(output, { data, width: result.width, height: result.height });
    if (progress) log(`[${i + 1}/${jobs.length}] ${input} -> ${output} (${images[i].width}x${images[i].height}, ${(performance.now() - t0).toFixed(1)} ms)`);
  });
}

async function benchCommand(p: Parsed, log: Log): Promise<void> {
  checkKnown(p, ['size', 'channels', 'kernel', 'rounds', 'time']);
  const [width, height] = parseSize(stringOption(p, 'size', '1920x1080'));
  const kernelName = stringOption(p, 'kernel', 'sobelX');
  const channels = numberArg(p, 'channels', 4);
  const rounds = numberArg(p, 'rounds', 5);
  if (!Number.isInteger(channels) || channels < 1) throw new UsageError(`--channels expects a positive integer, got ${channels}`);
  if (!Number.isInteger(rounds) || rounds < 1) throw new UsageError(`--rounds expects a positive integer, got ${rounds}`);
  await bench({ width, height, channels, kernel: parseKernel(kernelName), kernelName, time: numberArg(p, 'time', 300), rounds }, log);
}

/** Runs the command line; returns the exit code. Errors are one line on `err`. */
export async function main(argv: string[], out: Log = console.log, err: Log = console.error): Promise<number> {
  try {
    const p = parseArgs(argv);
    const [command, ...rest] = p.positionals;
    p.positionals = rest;
    if (command === undefined || command === 'help') {
      out(HELP[rest[0] ?? 'main'] ?? HELP.main);
      return command === undefined && !p.options.has('help') ? 1 : 0;
    }
    if (!(command in HELP) || command === 'main') throw new UsageError(`unknown command "${command}" (try simdconv --help)`);
    if (p.options.has('help')) {
      out(HELP[command]);
      return 0;
    }
    if (command === 'filter') await filterCommand(p, out);
    else if (command === 'demo') {
      checkKnown(p, []);
      await demo(out);
    } else await benchCommand(p, out);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof SimdconvError) {
      err(`simdconv: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
