// Convolution stamps the kernel, correlation stamps it rotated: both run on a unit impulse.
import { convolve2d, correlate2d, toNested, unitImpulse } from 'simdconv';
import { card, grid, h } from './dom';

const NUMBERED = [
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 9],
];

export function impulse(): HTMLElement {
  const x = unitImpulse([7, 7], 'mid');
  const conv = toNested(convolve2d(x, NUMBERED, { mode: 'same' })) as number[][];
  const corr = toNested(correlate2d(x, NUMBERED, { mode: 'same' })) as number[][];
  const mark = (t: number[][]) => (r: number, c: number) => (t[r][c] !== 0 ? 'stamp' : '');
  const impulseRows = toNested(x) as number[][];
  return card(
    'impulse',
    'An impulse shows the flip',
    'A unit impulse (a single 1 in a field of zeros) picks out the kernel: convolving it writes the kernel as it is, correlating writes it rotated 180°. That is the whole difference between the two.',
    h(
      'div',
      { class: 'row-of-grids' },
      h('figure', {}, h('figcaption', {}, 'unitImpulse([7, 7], "mid")'), grid(impulseRows, { name: 'impulse', label: 'impulse', compact: true, cellClass: mark(impulseRows) })),
      h('figure', {}, h('figcaption', {}, 'Kernel'), grid(NUMBERED, { name: 'impulse-kernel', label: 'numbered kernel', compact: true })),
      h('figure', {}, h('figcaption', {}, 'convolve2d(…, "same"): the kernel'), grid(conv, { name: 'impulse-convolve', label: 'convolution of the impulse', compact: true, cellClass: mark(conv) })),
      h('figure', {}, h('figcaption', {}, 'correlate2d(…, "same"): rotated 180°'), grid(corr, { name: 'impulse-correlate', label: 'correlation of the impulse', compact: true, cellClass: mark(corr) })),
    ),
  );
}
