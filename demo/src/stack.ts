// A stack of conv and pool layers: receptive field, jump and start after each (receptiveField),
// and pooling (maxPool2d, avgPool2d) on the calculator's input.
import { avgPool2d, maxPool2d, receptiveField, toNested, type ReceptiveFieldLayer } from 'simdconv';
import { card, fmt, grid, h } from './dom';

interface Layer extends Required<ReceptiveFieldLayer> {
  kind: 'conv' | 'max pool' | 'avg pool';
}

export function stack(): { element: HTMLElement; setInput(input: number[][]): void } {
  const layers: Layer[] = [
    { kind: 'conv', kernelSize: 3, stride: 1, padding: 1, dilation: 1 },
    { kind: 'conv', kernelSize: 3, stride: 1, padding: 1, dilation: 1 },
    { kind: 'max pool', kernelSize: 2, stride: 2, padding: 0, dilation: 1 },
    { kind: 'conv', kernelSize: 3, stride: 1, padding: 1, dilation: 1 },
    { kind: 'conv', kernelSize: 3, stride: 2, padding: 1, dilation: 2 },
  ];
  let input: number[][] = [[0]];
  let poolSize = 2;
  const table = h('div', { class: 'stack' });
  const pools = h('div', { class: 'row-of-grids' });

  function cellInput(i: number, key: 'kernelSize' | 'stride' | 'padding' | 'dilation', min: number): HTMLElement {
    return h('input', {
      type: 'number',
      min,
      max: 15,
      value: layers[i][key],
      'aria-label': `layer ${i + 1} ${key}`,
      onchange: (e: Event) => {
        const v = Number((e.target as HTMLInputElement).value);
        if (Number.isInteger(v) && v >= min) layers[i][key] = v;
        renderTable();
      },
    });
  }

  function renderTable(): void {
    let steps: ReturnType<typeof receptiveField> = [];
    let error = '';
    try {
      steps = receptiveField(layers.map(({ kernelSize, stride, padding, dilation }) => ({ kernelSize, stride, padding, dilation })));
    } catch (e) {
      error = (e as Error).message;
    }
    const head = h('tr', {}, ...['layer', 'kind', 'kernel', 'stride', 'padding', 'dilation', 'receptive field', 'jump', 'start', ''].map((t) => h('th', { scope: 'col' }, t)));
    const body = layers.map((l, i) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, String(i + 1)),
        h(
          'td',
          {},
          h(
            'select',
            { 'aria-label': `layer ${i + 1} kind`, onchange: (e: Event) => ((l.kind = (e.target as HTMLSelectElement).value as Layer['kind']), renderTable()) },
            ...(['conv', 'max pool', 'avg pool'] as const).map((k) => h('option', { value: k, selected: k === l.kind }, k)),
          ),
        ),
        h('td', {}, cellInput(i, 'kernelSize', 1)),
        h('td', {}, cellInput(i, 'stride', 1)),
        h('td', {}, cellInput(i, 'padding', 0)),
        h('td', {}, cellInput(i, 'dilation', 1)),
        h('td', { 'data-rf': '' }, steps[i] ? String(steps[i].receptiveField) : '–'),
        h('td', {}, steps[i] ? String(steps[i].jump) : '–'),
        h('td', {}, steps[i] ? fmt(steps[i].start) : '–'),
        h('td', {}, h('button', { type: 'button', 'aria-label': `remove layer ${i + 1}`, onclick: () => (layers.splice(i, 1), renderTable()), disabled: layers.length === 1 }, '✕')),
      ),
    );
    table.replaceChildren(
      // A wide table scrolls inside its box on a phone instead of widening the page.
      h('div', { class: 'scroll' }, h('table', { class: 'layers', 'aria-label': 'layer stack' }, h('thead', {}, head), h('tbody', {}, ...body))),
      h('button', { type: 'button', onclick: () => (layers.push({ kind: 'conv', kernelSize: 3, stride: 1, padding: 1, dilation: 1 }), renderTable()) }, 'Add a layer'),
      ...(error ? [h('p', { class: 'error', role: 'alert' }, error)] : []),
      h('p', { class: 'caption' }, 'Receptive field: input samples one output of the layer sees (along one axis). Jump: input samples between neighbouring outputs. Start: where the first output’s field is centred (0 = the first input sample; negative reaches into the padding).'),
    );
  }

  function renderPools(): void {
    const x = { data: Float64Array.from(input.flat()), shape: [1, input.length, input[0].length] };
    const opts = { kernelSize: poolSize, stride: poolSize };
    const figures: HTMLElement[] = [h('figure', {}, h('figcaption', {}, 'Calculator input'), grid(input, { name: 'pool-input', label: 'pooling input', compact: true }))];
    for (const [name, fn] of [['maxPool2d', maxPool2d], ['avgPool2d', avgPool2d]] as const) {
      try {
        const out = (toNested(fn(x, opts)) as number[][][])[0];
        figures.push(h('figure', {}, h('figcaption', {}, `${name}({ kernelSize: ${poolSize} })`), grid(out, { name, label: name, compact: true })));
      } catch (e) {
        figures.push(h('p', { class: 'error' }, (e as Error).message));
      }
    }
    pools.replaceChildren(
      h(
        'label',
        { class: 'field' },
        h('span', {}, 'Pool size (stride the same)'),
        h('select', { name: 'pool', onchange: (e: Event) => ((poolSize = Number((e.target as HTMLSelectElement).value)), renderPools()) }, ...[2, 3].map((n) => h('option', { value: n, selected: n === poolSize }, `${n}×${n}`))),
      ),
      ...figures,
    );
  }

  renderTable();
  renderPools();
  const element = card(
    'stack',
    'Stacks of layers: what one output sees',
    'Every layer widens what an output sample depends on. Stride multiplies the jump between outputs, and dilation spreads a kernel without adding weights. Edit the stack:',
    table,
    h('h3', {}, 'Pooling the calculator’s input'),
    pools,
  );
  return {
    element,
    setInput(next) {
      input = next.map((r) => r.slice());
      renderPools();
    },
  };
}
