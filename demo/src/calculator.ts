// The convolution calculator: a 5x5 input, a kernel from the gallery, and every output cell
// explained by trace(): its window, the kernel as applied, the products and their sum.
import { conv2d, convolve2d, correlate2d, flip, SimdconvError, trace, type Trace } from 'simdconv';
import { card, fmt, grid, h, numberInput, rows, select } from './dom';
import { GALLERY, entry, kernelRows } from './kernels';

type Op = 'correlate' | 'convolve';
type Mode = 'valid' | 'same' | 'full' | 'custom';
type Boundary = 'fill' | 'wrap' | 'symm';

export interface CalculatorState {
  input: number[][];
  kernelName: string;
  kernel: number[][];
  op: Op;
  mode: Mode;
  boundary: Boundary;
  stride: number;
  /** Samples added on each side when mode is 'custom'. */
  padding: number;
  dilation: number;
  indices: 'top-left' | 'centred';
  selected: [number, number] | null;
}

/** The worked example: 10 (r + 1)(c + 1), a gradient that grows to the bottom right. */
export const GRADIENT = Array.from({ length: 5 }, (_, r) => Array.from({ length: 5 }, (_, c) => 10 * (r + 1) * (c + 1)));

const MODES: [Mode, string][] = [
  ['valid', 'valid: windows inside the input'],
  ['same', 'same: output as large as the input'],
  ['full', 'full: every overlap'],
  ['custom', 'custom: the padding below'],
];

/** What one state computes: the output (every cell traced) and a library call that agrees. */
interface Computed {
  shape: [number, number];
  out: number[][];
  traces: Trace[][];
  /** Padding before/after per axis, as the window geometry uses it. */
  before: [number, number];
  after: [number, number];
  check: { call: string; agrees: boolean } | null;
}

function traceOptions(s: CalculatorState) {
  return {
    op: s.op,
    mode: s.mode === 'custom' ? ('valid' as const) : s.mode,
    boundary: s.boundary,
    stride: s.stride,
    dilation: s.dilation,
    ...(s.mode === 'custom' ? { padding: s.padding } : {}),
  };
}

function compute(s: CalculatorState): Computed {
  const opts = traceOptions(s);
  const first = trace(s.input, s.kernel, [0, 0], opts);
  const [oh, ow] = first.shape;
  const traces = Array.from({ length: oh }, (_, r) => Array.from({ length: ow }, (_, c) => (r === 0 && c === 0 ? first : trace(s.input, s.kernel, [r, c], opts))));
  const out = traces.map((row) => row.map((t) => t.sum));
  // The padding on each side: what 'custom' gives, or what the mode adds for the dilated kernel
  // (the first window starts `before` samples ahead; 'full' and 'same' pad reach - 1 in all).
  const reach = [s.dilation * (s.kernel.length - 1) + 1, s.dilation * (s.kernel[0].length - 1) + 1];
  const before: [number, number] = [-first.origin[0], -first.origin[1]];
  const total = (a: number) => (s.mode === 'custom' ? 2 * s.padding : s.mode === 'valid' ? 0 : s.mode === 'full' ? 2 * (reach[a] - 1) : reach[a] - 1);
  const after: [number, number] = [total(0) - before[0], total(1) - before[1]];
  return { shape: [oh, ow], out, traces, before, after, check: libraryCheck(s, out) };
}

/** The same output from the library's own functions, where one takes these options. */
function libraryCheck(s: CalculatorState, out: number[][]): Computed['check'] {
  const flat = out.flat();
  const same = (data: ArrayLike<number>) => data.length === flat.length && flat.every((v, i) => Math.abs(v - data[i]) <= 1e-9 * (1 + Math.abs(v)));
  if (s.stride === 1 && s.dilation === 1 && s.mode !== 'custom') {
    const fn = s.op === 'convolve' ? convolve2d : correlate2d;
    const r = fn(s.input, s.kernel, { mode: s.mode, boundary: s.boundary });
    return { call: `${s.op === 'convolve' ? 'convolve2d' : 'correlate2d'}(input, kernel, { mode: '${s.mode}', boundary: '${s.boundary}' })`, agrees: same(r.data) };
  }
  if (s.mode === 'custom' && s.boundary !== 'symm') {
    const x = { data: Float64Array.from(s.input.flat()), shape: [1, 1, 5, 5] };
    const k = s.op === 'convolve' ? flip(s.kernel) : { data: Float64Array.from(s.kernel.flat()), shape: [3, 3] };
    const paddingMode = s.boundary === 'wrap' ? 'circular' : 'zeros';
    const r = conv2d(x, { data: k.data, shape: [1, 1, 3, 3] }, { stride: s.stride, dilation: s.dilation, padding: s.padding, paddingMode });
    const kernelText = s.op === 'convolve' ? 'flip(kernel)' : 'kernel';
    return { call: `conv2d(input, ${kernelText}, { stride: ${s.stride}, padding: ${s.padding}, dilation: ${s.dilation}, paddingMode: '${paddingMode}' })`, agrees: same(r.data) };
  }
  return null;
}

/** The input with `before`/`after` samples of the boundary around it, from correlate2d itself. */
function padded(s: CalculatorState, before: [number, number], after: [number, number]): number[][] {
  const P = Math.max(...before, ...after);
  if (P === 0) return s.input;
  // Correlating with a 1 in the middle of a (2P+1)-square kernel in 'full' mode reads the padded input.
  const pick = Array.from({ length: 2 * P + 1 }, (_, r) => Array.from({ length: 2 * P + 1 }, (_, c) => (r === P && c === P ? 1 : 0)));
  const full = correlate2d(s.input, pick, { mode: 'full', boundary: s.boundary });
  const all = rows(full.data, 5 + 2 * P, 5 + 2 * P);
  return all.slice(P - before[0], P + 5 + after[0]).map((row) => row.slice(P - before[1], P + 5 + after[1]));
}

const sub = (n: number) => (n < 0 ? `−${-n}` : String(n));

export function calculator(onInput: (input: number[][]) => void = () => {}): HTMLElement {
  const state: CalculatorState = {
    input: GRADIENT.map((r) => r.slice()),
    kernelName: 'sobelX',
    kernel: kernelRows('sobelX'),
    op: 'correlate',
    mode: 'valid',
    boundary: 'fill',
    stride: 1,
    padding: 0,
    dilation: 1,
    indices: 'top-left',
    selected: null,
  };
  const root = h('div', { class: 'calculator' });
  let timer: ReturnType<typeof setInterval> | null = null;
  let speed = 500;

  const set = (patch: Partial<CalculatorState>) => {
    Object.assign(state, patch);
    render();
  };

  function stopAnimation(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  function animate(): void {
    if (timer) {
      stopAnimation();
      render();
      return;
    }
    const step = () => {
      let shape: [number, number];
      try {
        shape = compute(state).shape;
      } catch {
        stopAnimation();
        return;
      }
      const [r, c] = state.selected ?? [0, -1];
      const next = c + 1 < shape[1] ? [r, c + 1] : r + 1 < shape[0] ? [r + 1, 0] : [0, 0];
      set({ selected: next as [number, number] });
    };
    step();
    timer = setInterval(step, speed);
    render();
  }

  function controls(c: Computed | null): HTMLElement {
    const g = entry(state.kernelName);
    const n = 5;
    const k = 3;
    const d = state.dilation;
    const s = state.stride;
    const formula = c
      ? `out = ⌊(n + p₁ + p₂ − d·(k − 1) − 1) / s⌋ + 1 = ⌊(${n} + ${c.before[0]} + ${c.after[0]} − ${d}·${k - 1} − 1) / ${s}⌋ + 1 = ${c.shape[0]}`
      : 'out = ⌊(n + p₁ + p₂ − d·(k − 1) − 1) / s⌋ + 1';
    const kernelOptions: [string, string][] = [...GALLERY.map((e): [string, string] => [e.name, e.title]), ['custom', 'Custom (edited)']];
    return h(
      'div',
      { class: 'controls' },
      select('kernel', 'Kernel', kernelOptions, state.kernelName, (v) => v !== 'custom' && set({ kernelName: v, kernel: kernelRows(v), selected: state.selected })),
      h('p', { class: 'kernel-note' }, g ? g.description : 'Your own weights: edit any cell of the kernel.', g ? h('code', {}, g.formula) : null),
      select('op', 'Operation', [['correlate', 'correlate: slide the kernel as given'], ['convolve', 'convolve: rotate it 180° first']], state.op, (v) => set({ op: v as Op })),
      select('mode', 'Mode', MODES, state.mode, (v) => set({ mode: v as Mode, padding: v === 'custom' ? state.padding : state.padding, selected: null })),
      select('boundary', 'Boundary', [['fill', 'fill: zeros past the edge'], ['wrap', 'wrap: the image repeats'], ['symm', 'symm: mirrored, edge repeated']], state.boundary, (v) => set({ boundary: v as Boundary })),
      h(
        'div',
        { class: 'knobs' },
        numberInput('stride', 'Stride', state.stride, 1, 3, (v) => set({ stride: v, selected: null })),
        numberInput('padding', 'Padding', c && state.mode !== 'custom' ? c.before[0] : state.padding, 0, 4, (v) => set({ padding: v, mode: 'custom', selected: null })),
        numberInput('dilation', 'Dilation', state.dilation, 1, 3, (v) => set({ dilation: v, selected: null })),
      ),
      h('p', { class: 'formula', 'data-formula': '' }, h('span', {}, 'Output size (rows and columns alike): '), h('code', {}, formula)),
      select('indices', 'Kernel indices', [['top-left', 'top-left: h[0..2, 0..2]'], ['centred', 'centred: h[−1..1, −1..1]']], state.indices, (v) => set({ indices: v as 'top-left' | 'centred' })),
    );
  }

  /** Which original kernel index multiplies window sample (u, v), in the chosen index view. */
  function kernelIndex(u: number, v: number): [number, number] {
    const [kh, kw] = [state.kernel.length, state.kernel[0].length];
    const [a, b] = state.op === 'convolve' ? [kh - 1 - u, kw - 1 - v] : [u, v];
    return state.indices === 'centred' ? [a - (kh >> 1), b - (kw >> 1)] : [a, b];
  }

  function grids(c: Computed | null): HTMLElement {
    const t = c && state.selected ? c.traces[state.selected[0]]?.[state.selected[1]] : null;
    // Input samples under the selected window, with the tap (u, v) that reads each.
    const taps = new Map<string, [number, number]>();
    if (t) {
      for (let u = 0; u < state.kernel.length; u++) for (let v = 0; v < state.kernel[0].length; v++) taps.set(`${t.origin[0] + u * state.dilation},${t.origin[1] + v * state.dilation}`, [u, v]);
    }
    const before = c ? c.before : [0, 0];
    const view = c ? padded(state, c.before, c.after) : state.input;
    const centred = state.indices === 'centred';
    const kLabels = (n: number) => Array.from({ length: n }, (_, i) => sub(centred ? i - (n >> 1) : i));
    const label = (u: number, v: number) => {
      const [a, b] = kernelIndex(u, v);
      return `h[${sub(a)},${sub(b)}]`;
    };
    // The input, ringed by the padding the window geometry reads (greyed, not editable).
    const inputTable = h(
      'table',
      { class: 'grid', 'data-grid': 'input', 'aria-label': 'input' },
      h('thead', {}, h('tr', {}, h('th', { class: 'corner' }), ...view[0].map((_, j) => h('th', { scope: 'col' }, sub(j - before[1]))))),
      h(
        'tbody',
        {},
        ...view.map((row, pi) => {
          const i = pi - before[0];
          return h(
            'tr',
            {},
            h('th', { scope: 'row' }, sub(i)),
            ...row.map((value, pj) => {
              const j = pj - before[1];
              const tap = taps.get(`${i},${j}`);
              const inside = i >= 0 && i < 5 && j >= 0 && j < 5;
              const cls = [inside ? '' : 'pad', tap ? 'in-window' : ''].filter(Boolean).join(' ') || undefined;
              const note = tap ? h('small', { class: 'note' }, `×${label(tap[0], tap[1])}`) : null;
              if (!inside) return h('td', { class: cls, 'data-pad-row': i, 'data-pad-col': j, title: `padding (${state.boundary})` }, h('span', {}, fmt(value)), note);
              return h(
                'td',
                { class: cls, 'data-row': i, 'data-col': j },
                h('input', {
                  type: 'number',
                  step: 'any',
                  inputmode: 'decimal',
                  value: String(state.input[i][j]),
                  'aria-label': `input row ${i}, column ${j}`,
                  onchange: (e: Event) => {
                    const v = Number((e.target as HTMLInputElement).value);
                    if (!Number.isFinite(v)) return;
                    state.input[i][j] = v;
                    render();
                  },
                }),
                note,
              );
            }),
          );
        }),
      ),
    );
    const kernelTable = grid(state.kernel, {
      name: 'kernel',
      label: 'kernel',
      rowLabels: kLabels(state.kernel.length),
      colLabels: kLabels(state.kernel[0].length),
      onEdit: (r, col, v) => {
        state.kernel[r][col] = v;
        set({ kernelName: 'custom' });
      },
    });
    const applied = t ? t.kernel : state.op === 'convolve' ? state.kernel.map((r) => r.slice().reverse()).reverse() : state.kernel;
    const appliedTable = grid(applied, {
      name: 'applied',
      label: 'kernel as applied',
      cellClass: () => (state.op === 'convolve' ? 'flipped' : ''),
      note: (u, v) => label(u, v),
    });
    const outputTable = c
      ? grid(c.out, {
          name: 'output',
          label: 'output',
          onPick: (r, col) => {
            stopAnimation();
            set({ selected: [r, col] });
          },
          cellClass: (r, col) => (state.selected && state.selected[0] === r && state.selected[1] === col ? 'selected' : ''),
        })
      : h('p', { class: 'error', role: 'alert' }, 'No output for these settings.');
    const figure = (title: string, body: Node, caption?: string) => h('figure', {}, h('figcaption', {}, title), body, caption ? h('p', { class: 'caption' }, caption) : null);
    return h(
      'div',
      { class: 'grids' },
      figure('Input (padding greyed)', inputTable),
      figure('Kernel', kernelTable, 'Edit any weight.'),
      figure(state.op === 'convolve' ? 'Kernel as applied: rotated 180°' : 'Kernel as applied: as given', appliedTable),
      figure(`Output ${c ? `${c.shape[0]}×${c.shape[1]}` : ''}`, outputTable, 'Click a cell, or Tab to it and press Enter.'),
    );
  }

  function tracePanel(c: Computed | null): HTMLElement {
    const t = c && state.selected ? c.traces[state.selected[0]]?.[state.selected[1]] : null;
    const animateLabel = timer ? 'Pause' : 'Animate';
    const bar = h(
      'div',
      { class: 'animate' },
      h('button', { type: 'button', name: 'animate', 'aria-pressed': timer ? 'true' : 'false', onclick: animate }, animateLabel),
      h(
        'label',
        { class: 'field inline' },
        h('span', {}, 'Speed'),
        h('input', {
          type: 'range',
          name: 'speed',
          min: 100,
          max: 1500,
          step: 100,
          value: 1600 - speed,
          'aria-label': 'animation speed',
          onchange: (e: Event) => {
            speed = 1600 - Number((e.target as HTMLInputElement).value);
            if (timer) {
              stopAnimation();
              animate();
            }
          },
        }),
      ),
    );
    if (!t || !state.selected) {
      return h('div', { class: 'trace', 'data-trace': '', 'aria-live': 'polite' }, bar, h('p', { class: 'hint' }, 'Pick an output cell to see how it is computed.'));
    }
    const [m, n] = state.selected;
    const products = t.products.flat();
    const sumText = products.map((p, i) => (i === 0 ? fmt(p) : p < 0 ? ` − ${fmt(-p)}` : ` + ${fmt(p)}`)).join('');
    const centreRow = t.origin[0] + (state.kernel.length >> 1) * state.dilation;
    const centreCol = t.origin[1] + (state.kernel[0].length >> 1) * state.dilation;
    const rule =
      state.op === 'convolve'
        ? `convolution: y[m, n] = Σ h[m − i, n − j] · x[i, j]: the sample up and left of the centre meets the kernel's bottom-right weight, which is why the kernel appears rotated.`
        : `correlation: y[m, n] = Σ h[i − m, j − n] · x[i, j]: each sample meets the weight in the same position.`;
    return h(
      'div',
      { class: 'trace', 'data-trace': '', 'aria-live': 'polite' },
      bar,
      h('h3', {}, `Output [${m}, ${n}]: the window centred on input [${centreRow}, ${centreCol}]`),
      h(
        'div',
        { class: 'trace-grids' },
        h('figure', {}, h('figcaption', {}, 'Window'), grid(t.window, { name: 'window', label: 'window' })),
        h('span', { class: 'op', 'aria-hidden': 'true' }, '⊙'),
        h('figure', {}, h('figcaption', {}, 'Kernel as applied'), grid(t.kernel, { name: 'trace-kernel', label: 'kernel as applied' })),
        h('span', { class: 'op', 'aria-hidden': 'true' }, '='),
        h('figure', {}, h('figcaption', {}, 'Products'), grid(t.products, { name: 'products', label: 'products' })),
      ),
      h('p', { class: 'sum' }, h('span', {}, `sum = ${sumText} = `), h('strong', { 'data-trace-sum': '' }, fmt(t.sum))),
      h('p', { class: 'rule' }, state.indices === 'centred' ? `With centred indices (m = ${centreRow}, n = ${centreCol} in the input), ${rule}` : `In ${rule}`),
      c?.check ? h('p', { class: 'check' }, h('code', {}, c.check.call), c.check.agrees ? ' gives the same output ✓' : ' disagrees ✗') : null,
    );
  }

  function render(): void {
    // Keep keyboard focus on the same cell or control across the re-render.
    const active = document.activeElement as HTMLElement | null;
    const cell = active?.closest('td');
    const gridName = active?.closest('[data-grid]')?.getAttribute('data-grid');
    const key = cell && gridName ? `[data-grid="${gridName}"] td[data-row="${cell.dataset.row}"][data-col="${cell.dataset.col}"] :is(button, input)` : active?.getAttribute('name') ? `[name="${active.getAttribute('name')}"]` : null;
    let c: Computed | null = null;
    let error = '';
    try {
      c = compute(state);
      if (state.selected && (state.selected[0] >= c.shape[0] || state.selected[1] >= c.shape[1])) state.selected = null;
    } catch (e) {
      error = e instanceof SimdconvError ? e.message : String(e);
      stopAnimation();
    }
    root.replaceChildren(controls(c), h('div', { class: 'work' }, grids(c), error ? h('p', { class: 'error', role: 'alert' }, error) : null, tracePanel(c)));
    if (key && root.contains(active) === false) (root.querySelector(key) as HTMLElement | null)?.focus();
    onInput(state.input);
  }

  render();
  return card(
    'calculator',
    'The convolution calculator',
    h(
      'p',
      { class: 'intro' },
      'Cross-correlation slides the kernel over the input as it is; true convolution rotates it 180° first. Pick an output cell to see its window, the kernel as applied, every product and their sum, computed by ',
      h('code', {}, 'trace()'),
      '.',
    ),
    root,
  );
}
