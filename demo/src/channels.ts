// One 3x3x3 kernel makes one output channel of an RGB image: the per-channel sums add up.
import { conv2d, paramCount, toNested, trace } from 'simdconv';
import { card, fmt, grid, h, numberInput, thousands } from './dom';

const CH = ['R', 'G', 'B'];
/** A 4x4x3 input, channels first: small integers so every product can be read. */
const INPUT = [0, 1, 2].map((c) => Array.from({ length: 4 }, (_, r) => Array.from({ length: 4 }, (_, q) => ((r * 4 + q + 3 * c) % 5) + c)));
const KERNELS = [
  [
    [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
    [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
  ],
  [
    [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    [[1, 2, 1], [2, 4, 2], [1, 2, 1]],
    [[0, 0, 0], [0, -1, 0], [0, 0, 0]],
  ],
];

export function channels(): HTMLElement {
  const root = h('div', { class: 'channels' });
  let two = false;
  let selected: [number, number, number] = [0, 0, 0];
  const params = { inChannels: 3, outChannels: 64, kernelSize: 3, bias: true };

  function render(): void {
    const outC = two ? 2 : 1;
    const weight = { data: Float64Array.from(KERNELS.slice(0, outC).flat(3)), shape: [outC, 3, 3, 3] };
    const x = { data: Float64Array.from(INPUT.flat(2)), shape: [3, 4, 4] };
    const y = conv2d(x, weight);
    const out = toNested(y) as number[][][];
    const [o, m, n] = selected[0] < outC ? selected : [0, 0, 0];
    const parts = [0, 1, 2].map((c) => trace(INPUT[c], KERNELS[o][c], [m, n]));
    const inputs = h('div', { class: 'row-of-grids' }, ...INPUT.map((plane, c) => h('figure', { class: `ch-${CH[c]}` }, h('figcaption', {}, `Input ${CH[c]}`), grid(plane, { name: `rgb-${CH[c]}`, label: `input channel ${CH[c]}`, cellClass: (r, q) => (r >= m && r < m + 3 && q >= n && q < n + 3 ? 'in-window' : '') }))));
    const kernels = Array.from({ length: outC }, (_, k) => h('div', { class: 'row-of-grids' }, ...KERNELS[k].map((plane, c) => h('figure', { class: `ch-${CH[c]}` }, h('figcaption', {}, `Kernel ${k}, ${CH[c]}`), grid(plane, { name: `w${k}-${CH[c]}`, label: `kernel ${k} channel ${CH[c]}` })))));
    const outputs = out.map((plane, k) =>
      h('figure', {}, h('figcaption', {}, `Output channel ${k} (2×2, 'valid')`), grid(plane, { name: `rgb-out-${k}`, label: `output channel ${k}`, onPick: (r, q) => ((selected = [k, r, q]), render()), cellClass: (r, q) => (k === o && r === m && q === n ? 'selected' : '') })),
    );
    const products = h(
      'div',
      { class: 'row-of-grids' },
      ...parts.map((t, c) => h('figure', { class: `ch-${CH[c]}` }, h('figcaption', {}, `${CH[c]}: window ⊙ kernel, sum ${fmt(t.sum)}`), grid(t.products, { name: `rgb-products-${CH[c]}`, label: `products of channel ${CH[c]}` }))),
    );
    const total = parts.reduce((s, t) => s + t.sum, 0);
    const explain = h(
      'p',
      { class: 'sum', 'data-channels-sum': '' },
      `Output ${o}[${m}, ${n}] = `,
      ...parts.flatMap((t, c) => [c ? ' + ' : '', h('span', { class: `ch-${CH[c]}` }, `${CH[c]}: ${fmt(t.sum)}`)]),
      ` = ${fmt(total)}`,
      Math.abs(total - out[o][m][n]) < 1e-9 ? ' ✓ conv2d' : ' ✗',
    );
    let count = '';
    try {
      count = `${params.kernelSize}×${params.kernelSize}×${params.inChannels}×${params.outChannels}${params.bias ? ` + ${params.outChannels}` : ''} = ${thousands(paramCount(params))}`;
    } catch (e) {
      count = (e as Error).message;
    }
    root.replaceChildren(
      inputs,
      h('label', { class: 'field inline' }, h('input', { type: 'checkbox', name: 'second-kernel', checked: two, onchange: (e: Event) => ((two = (e.target as HTMLInputElement).checked), render()) }), h('span', {}, 'A second kernel: two output channels')),
      ...kernels,
      h('div', { class: 'row-of-grids' }, ...outputs),
      h('h3', {}, `Output ${o}[${m}, ${n}], channel by channel`),
      products,
      explain,
      h(
        'div',
        { class: 'params' },
        h('h3', {}, 'Parameters of a conv layer'),
        h(
          'div',
          { class: 'knobs' },
          numberInput('inChannels', 'in channels', params.inChannels, 1, 4096, (v) => ((params.inChannels = v), render())),
          numberInput('outChannels', 'out channels', params.outChannels, 1, 4096, (v) => ((params.outChannels = v), render())),
          numberInput('kernelSize', 'kernel size', params.kernelSize, 1, 15, (v) => ((params.kernelSize = v), render())),
          h('label', { class: 'field inline bias' }, h('input', { type: 'checkbox', name: 'bias', checked: params.bias, onchange: (e: Event) => ((params.bias = (e.target as HTMLInputElement).checked), render()) }), h('span', {}, 'bias')),
        ),
        h('p', {}, h('code', { 'data-param-count': '' }, `paramCount: k×k×in×out${params.bias ? ' + out' : ''} = ${count}`)),
        h('p', { class: 'caption' }, `Quick check: nn.Conv2d(64, 128, 3) has ${thousands(paramCount({ inChannels: 64, outChannels: 128, kernelSize: 3 }))} parameters (3×3×64×128 + 128).`),
      ),
    );
  }

  render();
  return card(
    'channels',
    'Many channels, one output',
    'A layer’s kernel has one 3×3 slice per input channel. Each slice slides over its own channel, and the three sums add up to one output value: one kernel, one output channel. conv2d does exactly this for every kernel of a layer (and, like every deep-learning library, it correlates).',
    root,
  );
}
