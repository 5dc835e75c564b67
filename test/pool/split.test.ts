// How the pool splits a call (src/pool/split.ts), with the workers replaced by runTask on this
// thread behind structuredClone, as a message would carry the tasks: which tasks a call becomes,
// what each one is sent, and that the pieces put back together are the synchronous call's bits.
import { beforeAll, describe, expect, test } from 'vitest';
import { conv2d, correlate, correlate2d, filter2d, ready } from '../../src/index';
import { fftTiling, runInputRows } from '../../src/engines/fft';
import { lowerSignal } from '../../src/signal/convolve';
import { planCall, type Dispatch, type Exchange, type Sent } from '../../src/pool/split';
import { runTask, transferables, type Task } from '../../src/pool/tasks';
import type { NumericArray, TensorLike } from '../../src/core/tensor';
import { random } from '../helpers/random';

const f32 = (n: number, seed: number) => Float32Array.from(random(n, seed, 1));

function exchange(mode: 'shared' | 'transfer'): Exchange {
  const shared = <T extends NumericArray>(Type: new (b: SharedArrayBuffer, o: number, n: number) => T, n: number, bytes: number) => new Type(new SharedArrayBuffer(n * bytes), 0, n);
  return {
    mode,
    local: -1,
    share<T extends NumericArray>(a: T): T {
      if (mode !== 'shared') throw new Error('transfer mode shares nothing');
      const copy = shared(a.constructor as never, a.length, (a as unknown as Float32Array).BYTES_PER_ELEMENT) as T;
      copy.set(a as never);
      return copy;
    },
    sharedOut(Type, length) {
      if (mode !== 'shared') throw new Error('transfer mode shares nothing');
      return shared(Type, length, Type.BYTES_PER_ELEMENT);
    },
  };
}

/** Runs the plan with every task answered on this thread, as a worker would; returns the result and the tasks as sent. */
async function split(fn: 'correlate2d' | 'correlate', args: unknown[], mode: 'shared' | 'transfer', threads = 2) {
  const sent: Task[] = [];
  const dispatch: Dispatch = async ({ task, transfer }: Sent) => {
    // Shared arrays stay shared through a clone, as through postMessage.
    const copy = structuredClone(task, { transfer: transfer ?? [] });
    sent.push(copy);
    // A worker's Wasm memory holds whatever its last task left: NaNs there, so a task that
    // reads rows it was not sent shows.
    correlate(poison, k31, { method: 'fft', mode: 'same' });
    const reply = runTask(copy);
    return structuredClone(reply, { transfer: transferables(reply.value) });
  };
  const plan = planCall(fn, args, threads, exchange(mode));
  if (!plan) return { result: null, sent };
  return { result: (await plan.run(dispatch)) as { data: Float32Array; shape: number[] }, sent };
}

const wide = { data: f32(300 * 280, 44), shape: [300, 280] };
const k31 = { data: f32(31 * 31, 45), shape: [31, 31] };
const poison = { data: new Float32Array(300 * 280).fill(Number.NaN), shape: [300, 280] };

const bitsEqual = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.from(b).every((v, i) => Object.is(a[i], v));

describe('runs of FFT tiles', () => {
  beforeAll(() => ready());

  for (const mode of ['shared', 'transfer'] as const) {
    test(`${mode} mode: one run per worker, each sent only the input rows it reads, the same bits as the whole call`, async () => {
      const before = wide.data.slice();
      const { result, sent } = await split('correlate2d', [wide, k31, { mode: 'same' }], mode);
      expect(sent.map((t) => t.kind)).toEqual(['fftTiles', 'fftTiles']);
      const runs = sent.map((t) => (t as Extract<Task, { kind: 'fftTiles' }>).job.tiles);
      const { N } = fftTiling(lowerSignal('correlate2d', wide, k31, { mode: 'same' }).job);
      // Runs start on even tiles and cover every tile once.
      expect(runs[0]?.[0]).toBe(0);
      expect(runs[0]?.[1]).toBe(runs[1]?.[0]);
      expect((runs[1]?.[0] ?? 1) % 2).toBe(0);
      expect(runs[1]?.[1]).toBe(N[1] * N[2]);
      if (mode === 'transfer') {
        for (const task of sent as Extract<Task, { kind: 'fftTiles' }>[]) {
          expect(task.out).toBeNull();
          const [r0, r1] = runInputRows(task.job, fftTiling(task.job));
          expect(r1 - r0).toBeLessThan(300);
          const rows = (r: number) => Array.from(task.job.input.subarray(r * 280, (r + 1) * 280));
          for (let r = 0; r < 300; r++) expect(rows(r)).toEqual(r >= r0 && r < r1 ? Array.from(wide.data.subarray(r * 280, (r + 1) * 280)) : new Array(280).fill(0));
        }
      }
      expect(result).not.toBeNull();
      expect(bitsEqual(result!.data, correlate2d(wide, k31, { mode: 'same' }).data)).toBe(true);
      expect(bitsEqual(wide.data, before)).toBe(true);
    });
  }

  test('transfer mode: a padded boundary sends every input row (the padded copy is made whole)', async () => {
    const opts = { mode: 'same', boundary: 'symm' } as const;
    const { result, sent } = await split('correlate2d', [wide, k31, opts], 'transfer');
    expect(sent.map((t) => t.kind)).toEqual(['fftTiles', 'fftTiles']);
    for (const task of sent as Extract<Task, { kind: 'fftTiles' }>[]) expect(bitsEqual(task.job.input, wide.data)).toBe(true);
    expect(bitsEqual(result!.data, correlate2d(wide, k31, opts).data)).toBe(true);
  });

  test("transfer mode: a run that is not finite turns 'auto' to the direct sum in bands of rows, as the whole call does", async () => {
    const withNaN = { data: wide.data.slice(), shape: wide.shape };
    withNaN.data[150 * 280 + 17] = Number.NaN;
    const { result, sent } = await split('correlate2d', [withNaN, k31, { mode: 'same' }], 'transfer');
    expect(sent.map((t) => t.kind)).toEqual(['fftTiles', 'fftTiles', 'rows', 'rows']);
    expect(bitsEqual(result!.data, correlate2d(withNaN, k31, { mode: 'same' }).data)).toBe(true);
    // method 'fft' keeps the tiles, NaN and all.
    const fft = await split('correlate', [withNaN as TensorLike, k31, { method: 'fft', mode: 'same' }], 'transfer');
    expect(fft.sent.map((t) => t.kind)).toEqual(['fftTiles', 'fftTiles']);
    expect(bitsEqual(fft.result!.data, correlate(withNaN, k31, { method: 'fft', mode: 'same' }).data)).toBe(true);
  });
});

describe("share 0 on the calling thread (a blocking pool's)", () => {
  beforeAll(() => ready());

  /** Shared buffers as a reused store hands them out: full of NaN, so a task reading rows it was not sent shows. */
  function poisoned(): Exchange {
    const x = exchange('shared');
    return {
      ...x,
      local: 0,
      sharedOut(Type, length) {
        const a = x.sharedOut(Type, length);
        (a as unknown as Float32Array).fill(Number.NaN);
        return a;
      },
    };
  }

  /** Share 0 runs as given (the caller's arrays, no clone), the rest behind structuredClone as a worker gets them. */
  async function blockingSplit(fn: Parameters<typeof planCall>[0], args: unknown[]) {
    const sent: Task[] = [];
    const dispatch: Dispatch = async ({ task }: Sent, share: number) => {
      // By share, whichever order the plan posts them in.
      sent[share] = task;
      const run = share === 0 ? task : structuredClone(task);
      const reply = runTask(run);
      return share === 0 ? reply : structuredClone(reply);
    };
    const plan = planCall(fn, args, 2, poisoned());
    return { result: plan ? await plan.run(dispatch) : null, sent };
  }

  const isSharedView = (a: unknown) => ArrayBuffer.isView(a) && a.buffer instanceof SharedArrayBuffer;
  const x64 = { data: f32(64 * 18 * 17, 50), shape: [1, 64, 18, 17] };
  const w64 = { data: f32(40 * 64 * 9, 51), shape: [40, 64, 3, 3] };
  const rgba = { data: Float32Array.from(random(83 * 61 * 4, 52, 255)), width: 83, height: 61 };
  const rgbaBytes = { data: Uint8ClampedArray.from(random(83 * 61 * 4, 55, 255)), width: 83, height: 61 };
  // Kernels with enough taps per byte for a blocking pool to split the call (see the test after these).
  const k7 = { data: f32(49, 53), shape: [7, 7] };
  const gauss5 = { data: Float32Array.from({ length: 25 }, (_, i) => ([1, 4, 6, 4, 1][i % 5] * [1, 4, 6, 4, 1][Math.floor(i / 5)]) / 256), shape: [5, 5] };
  const cases: [string, Parameters<typeof planCall>[0], unknown[], (r: unknown) => NumericArray, () => NumericArray][] = [
    ['correlate2d in bands of rows', 'correlate2d', [wide, k7, { mode: 'same', boundary: 'symm' }], (r) => (r as { data: NumericArray }).data, () => correlate2d(wide, k7, { mode: 'same', boundary: 'symm' }).data],
    ['conv2d Winograd in bands of rows', 'conv2d', [x64, w64, { padding: 1 }], (r) => (r as { data: NumericArray }).data, () => conv2d(x64, w64, { padding: 1 }).data],
    ['filter2d single pass', 'filter2d', [rgba, k7, { border: 'reflect' }], (r) => (r as { data: NumericArray }).data, () => (filter2d(rgba, k7, { border: 'reflect' }) as { data: NumericArray }).data],
    ['filter2d two passes', 'filter2d', [rgbaBytes, gauss5, { border: 'replicate' }], (r) => (r as { data: NumericArray }).data, () => (filter2d(rgbaBytes, gauss5, { border: 'replicate' }) as { data: NumericArray }).data],
  ];

  test.each(cases)('%s: share 0 reads the caller\'s arrays and writes the result in place; the worker\'s rows alone travel; the same bits', async (_name, fn, args, data, sync) => {
    const { result, sent } = await blockingSplit(fn, args);
    expect(sent.length).toBe(2);
    const [own, theirs] = sent as (Task & { job?: { input: NumericArray }; out?: unknown; args?: unknown[] })[];
    const inputOf = (t: typeof own) => t.job?.input ?? ((t.args?.[0] as { data: NumericArray }).data);
    expect(isSharedView(inputOf(own))).toBe(false);
    expect(isSharedView(inputOf(theirs))).toBe(true);
    const out = own.kind === 'filterRows' ? (own.args![2] as { out: unknown }).out : own.out;
    expect(isSharedView(out)).toBe(false);
    expect(bitsEqual(data(result), sync())).toBe(true);
  });

  test('a direct call with few multiply-adds per byte runs whole on a blocking pool (its calling thread), and split on an ordinary one', () => {
    const k3 = { data: f32(9, 56), shape: [3, 3] };
    const thin: [Parameters<typeof planCall>[0], unknown[]][] = [
      ['correlate2d', [wide, k3, { mode: 'same' }]],
      ['filter2d', [rgba, k3]],
      ['filter2d', [rgba, gauss5]],
      ['conv2d', [{ data: f32(32 * 40 * 40, 57), shape: [1, 32, 40, 40] }, { data: f32(32 * 9, 58), shape: [32, 1, 3, 3] }, { padding: 1, groups: 32 }]],
    ];
    for (const [fn, args] of thin) {
      expect(planCall(fn, args, 2, poisoned())).toBeNull();
      expect(planCall(fn, args, 2, exchange('shared'))).not.toBeNull();
    }
    // Thick ones split on both; so do byte images, whose widening and rounding the multiply-adds do not count.
    for (const [, fn, args] of cases) expect(planCall(fn, args, 2, poisoned())).not.toBeNull();
    expect(planCall('filter2d', [rgbaBytes, k3], 2, poisoned())).not.toBeNull();
  });
});
