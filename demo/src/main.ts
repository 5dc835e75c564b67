// The page: the calculator first, then the impulse, channels, layer stacks, the gallery and speed.
// Everything computes with simdconv itself; until ready() resolves it runs on the TypeScript
// fallback (same results), then on Wasm SIMD.
import { getBackend, ready } from 'simdconv';
import { calculator } from './calculator';
import { channels } from './channels';
import { h } from './dom';
import { gallery } from './gallery';
import { impulse } from './impulse';
import { speed } from './speed';
import { stack } from './stack';
import './style.css';

const status = h('span', { 'data-backend': getBackend() }, getBackend());
const layers = stack();
const photos = gallery();
const bench = speed(photos.photo);

document.querySelector('header .backend')?.append('Computing on ', status);
document.querySelector('main')?.append(calculator((input) => layers.setInput(input)), impulse(), channels(), layers.element, photos.element, bench.element);

void ready().then((name) => {
  status.textContent = name;
  status.dataset.backend = name;
  bench.refresh();
  document.body.dataset.ready = 'true';
});
void photos.ready.then(() => (document.body.dataset.gallery = 'ready'));
