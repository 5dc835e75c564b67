// The command-line tool end to end: the built bin (dist/cli.js) as a user runs it, on PNGs the
// test writes. Exit codes, one-line errors and no partial output for bad inputs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { filter2d, kernels, ready, type ImageLike } from '../src/index';

const bin = new URL('../dist/cli.js', import.meta.url).pathname;
let dir = '';

function run(...args: string[]) {
  const r = spawnSync('node', [bin, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function writeImage(name: string, width: number, height: number, seed: number): Uint8ClampedArray {
  const png = new PNG({ width, height });
  let s = seed;
  for (let i = 0; i < png.data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    png.data[i] = s >>> 24;
  }
  writeFileSync(join(dir, name), PNG.sync.write(png));
  return new Uint8ClampedArray(png.data);
}

function readImage(name: string): PNG {
  return PNG.sync.read(readFileSync(join(dir, name)));
}

beforeAll(async () => {
  await ready();
  dir = mkdtempSync(join(tmpdir(), 'simdconv-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('simdconv filter', () => {
  test('writes the filtered PNG: the same pixels filter2d gives, alpha kept', () => {
    const data = writeImage('in.png', 23, 17, 7);
    const r = run('filter', 'in.png', 'out.png', '--kernel', 'gaussian:5:1.2', '--border', 'replicate');
    expect(r.code, r.err).toBe(0);
    const out = readImage('out.png');
    expect([out.width, out.height]).toEqual([23, 17]);
    const want = filter2d({ data, width: 23, height: 17 }, kernels.gaussian(5, 1.2), { border: 'replicate' }) as ImageLike;
    expect(Array.from(out.data)).toEqual(Array.from(want.data));
    for (let i = 3; i < data.length; i += 4) expect(out.data[i]).toBe(data[i]);
    // The filter did something.
    expect(Array.from(out.data)).not.toEqual(Array.from(data));
  });

  test('JSON kernels, --op convolve, --delta and --anchor reach filter2d', () => {
    const data = writeImage('a.png', 8, 6, 3);
    const r = run('filter', 'a.png', 'b.png', '--kernel', '[[1,2],[0,-1]]', '--op', 'convolve', '--delta', '12', '--anchor', '0,1', '--alpha', 'filter');
    expect(r.code, r.err).toBe(0);
    const want = filter2d({ data, width: 8, height: 6 }, [[1, 2], [0, -1]], { op: 'convolve', delta: 12, anchor: [0, 1], alpha: 'filter' }) as ImageLike;
    expect(Array.from(readImage('b.png').data)).toEqual(Array.from(want.data));
  });

  test('several inputs go to --out DIR with progress lines', () => {
    writeImage('p1.png', 5, 5, 1);
    writeImage('p2.png', 6, 4, 2);
    const r = run('filter', 'p1.png', 'p2.png', '--out', 'results', '--kernel', 'sharpen');
    expect(r.code, r.err).toBe(0);
    expect(readdirSync(join(dir, 'results')).sort()).toEqual(['p1.png', 'p2.png']);
    expect(r.out).toMatch(/\[1\/2\] p1\.png -> results\/p1\.png/);
    expect(r.out).toMatch(/\[2\/2\] p2\.png -> results\/p2\.png/);
  });

  test('--ddepth int16 with --abs writes |response|; with --normalize min..max becomes 0..255', () => {
    const data = writeImage('edge.png', 12, 9, 11);
    const image = { data, width: 12, height: 9 };
    const signed = filter2d(image, kernels.sobelX, { ddepth: 'int16' }) as ImageLike;
    expect(Math.min(...signed.data)).toBeLessThan(0);
    let r = run('filter', 'edge.png', 'abs.png', '--kernel', 'sobelX', '--ddepth', 'int16', '--abs');
    expect(r.code, r.err).toBe(0);
    const abs = readImage('abs.png').data;
    for (let i = 0; i < data.length; i++) expect(abs[i]).toBe(i % 4 === 3 ? data[i] : Math.min(255, Math.abs(signed.data[i])));
    r = run('filter', 'edge.png', 'norm.png', '--kernel', 'sobelX', '--ddepth', 'float32', '--normalize');
    expect(r.code, r.err).toBe(0);
    const norm = readImage('norm.png').data;
    const colours = Array.from(norm).filter((_, i) => i % 4 !== 3);
    expect(Math.min(...colours)).toBe(0);
    expect(Math.max(...colours)).toBe(255);
    // The most negative response maps to 0.
    const at = Array.from(signed.data).findIndex((v) => v === Math.min(...signed.data));
    expect(norm[at]).toBe(0);
  });

  test.each([
    ['signed output without a mapping', ['filter', 'in.png', 'x7.png', '--ddepth', 'int16'], /^simdconv: --ddepth int16 gives signed values a PNG cannot hold: add --abs/, 'x7.png'],
    ['--abs without a signed ddepth', ['filter', 'in.png', 'x8.png', '--abs'], /^simdconv: --abs maps signed results to bytes/, 'x8.png'],
    ['a missing input', ['filter', 'missing.png', 'x1.png'], /^simdconv: missing\.png: no such file\n$/, 'x1.png'],
    ['a non-PNG input', ['filter', 'text.png', 'x2.png'], /^simdconv: text\.png: not a PNG file\n$/, 'x2.png'],
    ['a truncated PNG', ['filter', 'cut.png', 'x3.png'], /^simdconv: cut\.png: damaged PNG/, 'x3.png'],
    ['an unknown kernel', ['filter', 'in.png', 'x4.png', '--kernel', 'blurry'], /^simdconv: --kernel: unknown kernel "blurry"/, 'x4.png'],
    ['an unknown border', ['filter', 'in.png', 'x5.png', '--border', 'mirror'], /^simdconv: options\.border: expected/, 'x5.png'],
    ['an unknown option', ['filter', 'in.png', 'x6.png', '--colour', 'red'], /^simdconv: unknown option --colour\n$/, 'x6.png'],
  ])('%s: one-line error, exit code 1, no output file', (_, args, message, output) => {
    writeImage('in.png', 4, 4, 9);
    writeFileSync(join(dir, 'text.png'), 'not an image');
    writeFileSync(join(dir, 'cut.png'), readFileSync(join(dir, 'in.png')).subarray(0, 40));
    const r = run(...(args as string[]));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message as RegExp);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, output as string))).toBe(false);
  });

  test('a bad input in a batch writes none of the outputs', () => {
    writeImage('ok.png', 4, 4, 5);
    const r = run('filter', 'ok.png', 'missing.png', '--out', 'batch');
    expect(r.code).toBe(1);
    expect(existsSync(join(dir, 'batch', 'ok.png'))).toBe(false);
  });
});

describe('help, demo and bench', () => {
  test.each(['filter', 'demo', 'bench'])('simdconv %s --help', (command) => {
    const r = run(command, '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`Usage: simdconv ${command}`));
  });

  test('no command prints the usage and exits 1; an unknown command is an error', () => {
    expect(run().code).toBe(1);
    const r = run('blur');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown command "blur"/);
  });

  test('demo prints the impulse example both ways and the timing', () => {
    const r = run('demo');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/convolve2d\(impulse, kernel/);
    expect(r.out).toMatch(/ 0 +1 +2 +3 +0\n +0 +4 +5 +6 +0\n +0 +7 +8 +9 +0/);
    expect(r.out).toMatch(/ 0 +9 +8 +7 +0\n +0 +6 +5 +4 +0\n +0 +3 +2 +1 +0/);
    expect(r.out).toMatch(/faster on wasm-simd/);
  });

  test('bench on a small image reports both backends', () => {
    const r = run('bench', '--size', '64x48', '--rounds', '1', '--time', '20');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/filter2d 64x48x4 uint8, kernel sobelX/);
    expect(r.out).toMatch(/wasm-simd\s+[\d.]+ ms/);
    expect(r.out).toMatch(/js\s+[\d.]+ ms/);
  });
});
