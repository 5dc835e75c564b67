// A few DOM helpers: elements from attributes and children, number formatting, grids of cells.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | ((e: Event) => void) | undefined>;

/** An element with attributes (`on*` functions become listeners, `false`/undefined are left out) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = String(value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

/** Numbers as a person writes them: integers plain, others to at most 3 decimals, a real minus sign. */
export function fmt(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const r = Math.round(v * 1000) / 1000;
  const text = Number.isInteger(r) ? String(Math.abs(r)) : Math.abs(r).toFixed(3).replace(/0+$/, '');
  return (r < 0 ? '−' : '') + text;
}

/** 1,792 */
export const thousands = (n: number) => n.toLocaleString('en-US');

/** Rows of a row-major array. */
export function rows(data: ArrayLike<number>, h: number, w: number): number[][] {
  return Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, c) => data[r * w + c]));
}

export interface GridOptions {
  /** data-grid name. */
  name: string;
  /** Accessible name of the grid and prefix of each cell's label. */
  label: string;
  /** Editable cells are number inputs; `onEdit(row, col, value)` is called on change. */
  onEdit?: (row: number, col: number, value: number) => void;
  /** Cells are buttons; `onPick(row, col)` on click (Enter and Space included). */
  onPick?: (row: number, col: number) => void;
  /** Row and column labels (default 0..n-1). */
  rowLabels?: string[];
  colLabels?: string[];
  /** Extra class per cell. */
  cellClass?: (row: number, col: number) => string;
  /** A small note under the value per cell. */
  note?: (row: number, col: number) => string;
  /** Small cells, for grids that only illustrate. */
  compact?: boolean;
}

/** A table of numbers with row/column headers, data-grid, and data-row/data-col on each cell. */
export function grid(values: number[][], o: GridOptions): HTMLTableElement {
  const cols = values[0]?.length ?? 0;
  const colLabels = o.colLabels ?? Array.from({ length: cols }, (_, c) => String(c));
  const rowLabels = o.rowLabels ?? values.map((_, r) => String(r));
  const head = h('tr', {}, h('th', { scope: 'col', class: 'corner' }), ...colLabels.map((t) => h('th', { scope: 'col' }, t)));
  const body = values.map((row, r) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, rowLabels[r]),
      ...row.map((v, c) => {
        const label = `${o.label} row ${r}, column ${c}`;
        const extra = o.cellClass?.(r, c) ?? '';
        const note = o.note?.(r, c);
        let content: Node;
        if (o.onEdit) {
          content = h('input', {
            type: 'number',
            step: 'any',
            inputmode: 'decimal',
            value: Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6),
            'aria-label': label,
            onchange: (e: Event) => {
              const value = Number((e.target as HTMLInputElement).value);
              if (Number.isFinite(value)) o.onEdit?.(r, c, value);
            },
          });
        } else if (o.onPick) {
          content = h('button', { type: 'button', 'aria-label': `${label}: ${fmt(v)}`, onclick: () => o.onPick?.(r, c) }, fmt(v));
        } else {
          content = h('span', {}, fmt(v));
        }
        return h('td', { 'data-row': r, 'data-col': c, class: extra || undefined }, content, note ? h('small', { class: 'note' }, note) : null);
      }),
    ),
  );
  return h('table', { class: o.compact ? 'grid compact' : 'grid', 'data-grid': o.name, 'aria-label': o.label }, h('thead', {}, head), h('tbody', {}, ...body));
}

/** A card section with a heading and an intro paragraph. */
export function card(id: string, title: string, intro: string | Node, ...content: Child[]): HTMLElement {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), typeof intro === 'string' ? h('p', { class: 'intro' }, intro) : intro, ...content);
}

/** A labelled <select>. */
export function select(name: string, label: string, options: [string, string][], value: string, onChange: (v: string) => void): HTMLLabelElement {
  const el = h('select', { name, onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value) }, ...options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
  return h('label', { class: 'field' }, h('span', {}, label), el);
}

/** A labelled number input. */
export function numberInput(name: string, label: string, value: number, min: number, max: number, onChange: (v: number) => void): HTMLLabelElement {
  const el = h('input', {
    type: 'number',
    name,
    min,
    max,
    step: 1,
    value,
    onchange: (e: Event) => {
      const v = Number((e.target as HTMLInputElement).value);
      if (Number.isInteger(v) && v >= min && v <= max) onChange(v);
      else (e.target as HTMLInputElement).value = String(value);
    },
  });
  return h('label', { class: 'field' }, h('span', {}, label), el);
}
