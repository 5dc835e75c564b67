// Wasm SIMD against simdconv's own TypeScript fallback, in this browser, and the same call on a
// pool of workers (createPool) where the browser has more than one core: the same filter on a
// 1024x1024 image and on the photo, with what the host offers.
import { createPool, features, filter2d, getBackend, kernels, setBackend, type ImageLike, type Pool } from 'simdconv';
import { card, h } from './dom';

const pause = () => new Promise((ok) => setTimeout(ok, 0));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Median call time on one backend, yielding between calls so the page stays responsive. */
async function time(backend: 'wasm-simd' | 'js', run: () => unknown, calls: number): Promise<number> {
  setBackend(backend);
  try {
    run();
    const t: number[] = [];
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now();
      run();
      t.push(performance.now() - t0);
      await pause();
    }
    return median(t);
  } finally {
    setBackend('wasm-simd');
  }
}

/** Median pool call time; the page keeps running while the workers compute. */
async function timePool(pool: Pool, image: ImageLike, k: ReturnType<typeof kernels.gaussian>, calls: number): Promise<number> {
  await pool.filter2d(image, k);
  const t: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await pool.filter2d(image, k);
    t.push(performance.now() - t0);
  }
  return median(t);
}

/** How many workers the pool gets: two at least, the cores at most four. */
const poolThreads = () => Math.max(2, Math.min(4, navigator.hardwareConcurrency || 2));

export function speed(photo: () => ImageData | null): { element: HTMLElement; refresh(): void } {
  const body = h('tbody', {});
  const note = h('p', { class: 'caption', 'aria-live': 'polite' });
  const host = h('p', { class: 'host' });
  const button = h('button', { type: 'button', name: 'bench', 'data-bench-run': '', onclick: () => void run() }, 'Run');

  function describeHost(): void {
    const f = features();
    const chip = (on: boolean, text: string) => h('span', { class: `chip ${on ? 'on' : 'off'}` }, `${on ? '✓' : '✗'} ${text}`);
    host.replaceChildren(
      h('span', {}, `Computing on ${getBackend()}. This browser offers: `),
      chip(f.simd, 'Wasm SIMD'),
      chip(f.relaxedSimd, 'relaxed SIMD'),
      chip(f.threads, 'shared-memory threads'),
      chip(f.crossOriginIsolated, 'cross-origin isolated'),
      ...(f.wasmUnavailable ? [h('span', { class: 'error' }, ` Wasm unavailable: ${f.wasmUnavailable}`)] : []),
    );
  }

  async function run(): Promise<void> {
    if (getBackend() === 'js') {
      note.textContent = 'Wasm SIMD is not available here, so there is nothing to compare.';
      return;
    }
    button.disabled = true;
    note.textContent = 'Timing…';
    const big = new Uint8ClampedArray(1024 * 1024 * 4);
    for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
    const square: ImageLike = { data: big, width: 1024, height: 1024, channels: 4 };
    const k = kernels.gaussian(5);
    const rowsOut: HTMLElement[] = [];
    // A pool made for the comparison and closed after it: the page itself stays synchronous.
    // It copies each band over (transfer mode) on pages that are not cross-origin isolated.
    let pool: Pool | null = null;
    try {
      setBackend('wasm-simd');
      pool = await createPool({ threads: poolThreads() });
    } catch (e) {
      note.textContent = `No pool here: ${(e as Error).message}`;
    }
    const cases: [string, ImageLike | null, string][] = [
      ['1024×1024 RGBA, 5×5 Gaussian', square, 'square'],
      ['the photo, 5×5 Gaussian', photo(), 'photo'],
    ];
    for (const [label, image, key] of cases) {
      if (!image) continue;
      const call = () => filter2d(image, k);
      const wasm = await time('wasm-simd', call, 7);
      const pooled = pool ? await timePool(pool, image, k, 7) : null;
      const js = await time('js', call, 3);
      const ratio = js / wasm;
      const square = key === 'square';
      rowsOut.push(
        h(
          'tr',
          { 'data-bench-row': key },
          h('th', { scope: 'row' }, label),
          h('td', {}, `${wasm.toFixed(2)} ms`),
          h('td', square && pooled !== null ? { 'data-bench-pool': (wasm / pooled).toFixed(2) } : {}, pooled === null ? '–' : `${pooled.toFixed(2)} ms (${(wasm / pooled).toFixed(2)}×)`),
          h('td', {}, `${js.toFixed(1)} ms`),
          h('td', square ? { 'data-bench-ratio': ratio.toFixed(2) } : {}, `${ratio.toFixed(1)}×`),
        ),
      );
      body.replaceChildren(...rowsOut);
    }
    note.textContent = `Medians of 7 Wasm, 7 pool and 3 JS calls each, results copied out as a caller gets them; ${pool ? `the pool: ${pool.threads} workers in ${pool.mode} mode (${pool.mode === 'shared' ? 'SharedArrayBuffers' : 'each band copied over: this page is not cross-origin isolated'}), identical results` : 'no pool'}.`;
    await pool?.close();
    button.disabled = false;
    describeHost();
  }

  describeHost();
  const element = card(
    'speed',
    'How fast, in this browser',
    'The same filter2d call on Wasm SIMD, on a pool of workers (createPool) and on simdconv’s TypeScript fallback, timed here and now.',
    h(
      'div',
      { 'data-bench': '' },
      host,
      button,
      h('div', { class: 'scroll' }, h('table', { class: 'bench', 'aria-label': 'timings' }, h('thead', {}, h('tr', {}, ...['workload', 'Wasm SIMD', 'pool (vs one thread)', 'JS fallback', 'Wasm / JS'].map((t) => h('th', { scope: 'col' }, t)))), body)),
      note,
    ),
  );
  return { element, refresh: describeHost };
}
