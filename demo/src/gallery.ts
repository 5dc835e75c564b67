// Every gallery kernel on a real photograph with filter2d, and on an image of your own. Signed
// responses (Sobel, Laplacian) are filtered to int16 (ddepth) and shown in a signed colour map.
import { filter2d, type ImageLike } from 'simdconv';
import { card, h } from './dom';
import { GALLERY } from './kernels';

const MAX_SIDE = 480;

/** An image file (or URL) drawn into a canvas no wider or taller than MAX_SIDE, as RGBA pixels. */
async function load(source: string | Blob): Promise<ImageData> {
  const blob = typeof source === 'string' ? await (await fetch(source)).blob() : source;
  const bitmap = await createImageBitmap(blob);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const hgt = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(w, hgt);
  const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
  ctx.drawImage(bitmap, 0, 0, w, hgt);
  bitmap.close();
  return ctx.getImageData(0, 0, w, hgt);
}

/** Luma (BT.601) of an RGBA image as a one-channel uint8 image. */
function gray(img: ImageData): ImageLike<Uint8ClampedArray> {
  const out = new Uint8ClampedArray(img.width * img.height);
  for (let i = 0; i < out.length; i++) out[i] = 0.299 * img.data[4 * i] + 0.587 * img.data[4 * i + 1] + 0.114 * img.data[4 * i + 2];
  return { data: out, width: img.width, height: img.height, channels: 1 };
}

/** Signed values to colour: orange for positive, blue for negative, black for zero, scaled by the largest |value|. */
function signedColours(values: Int16Array, width: number, height: number): ImageData {
  let peak = 1;
  for (const v of values) peak = Math.max(peak, Math.abs(v));
  const out = new ImageData(width, height);
  for (let i = 0; i < values.length; i++) {
    const t = Math.sqrt(Math.abs(values[i]) / peak);
    const [r, g, b] = values[i] >= 0 ? [255, 165, 36] : [64, 156, 255];
    out.data.set([r * t, g * t, b * t, 255], 4 * i);
  }
  return out;
}

function paint(canvas: HTMLCanvasElement, img: ImageData): void {
  canvas.width = img.width;
  canvas.height = img.height;
  (canvas.getContext('2d') as CanvasRenderingContext2D).putImageData(img, 0, 0);
}

export function gallery(): { element: HTMLElement; ready: Promise<void>; photo(): ImageData | null } {
  const original = h('canvas', { 'aria-label': 'the photograph, unfiltered', 'data-kernel': 'original' });
  const tiles = GALLERY.map((g) => ({ g, canvas: h('canvas', { 'aria-label': `the photograph filtered with ${g.title}`, 'data-kernel': g.name }) }));
  const status = h('p', { class: 'caption', 'aria-live': 'polite' });

  let current: ImageData | null = null;

  function show(img: ImageData, name: string): void {
    current = img;
    const t0 = performance.now();
    paint(original, img);
    const luma = gray(img);
    for (const { g, canvas } of tiles) {
      if (g.signed) {
        const r = filter2d(luma, g.kernel(), { ddepth: 'int16' }) as ImageLike<Int16Array>;
        paint(canvas, signedColours(r.data, r.width, r.height));
      } else {
        const r = filter2d(img, (g.photo ?? g).kernel()) as ImageLike<Uint8ClampedArray>;
        paint(canvas, new ImageData(r.data as Uint8ClampedArray<ArrayBuffer>, r.width, r.height));
      }
    }
    status.textContent = `${name}: ${img.width}×${img.height}, ${tiles.length} filters in ${(performance.now() - t0).toFixed(1)} ms.`;
  }

  const picker = h('input', {
    type: 'file',
    name: 'photo',
    accept: 'image/*',
    onchange: async (e: Event) => {
      const file = (e.target as HTMLInputElement).files?.[0];
      if (!file) return;
      try {
        show(await load(file), file.name);
      } catch {
        status.textContent = `${file.name}: not an image this browser can decode.`;
      }
    },
  });
  const ready = load('chelsea.jpg').then((img) => show(img, 'Chelsea the cat (CC0)'));
  const figure = (canvas: HTMLCanvasElement, title: string, caption: string) => h('figure', { class: 'tile' }, canvas, h('figcaption', {}, h('strong', {}, title), h('span', {}, caption)));
  const element = card(
    'gallery',
    'The gallery on a photograph',
    'Each classic kernel, applied with filter2d (OpenCV’s filter2D, border reflect101) to every colour channel of the photo. Sobel X, Sobel Y and the Laplacian respond with negative values too: they are filtered from the grey image into int16 (ddepth: \'int16\') and drawn in a signed map, orange for positive and blue for negative, brighter for larger, rather than clamped to black.',
    h('label', { class: 'field inline' }, h('span', {}, 'Use your own image'), picker),
    status,
    h('div', { class: 'tiles', 'data-gallery': '' }, figure(original, 'Original', 'Chelsea the cat, CC0 (scikit-image sample data)'), ...tiles.map(({ g, canvas }) => figure(canvas, g.title, g.signed ? 'signed: orange +, blue −' : (g.photo?.note ?? g.formula)))),
  );
  return { element, ready, photo: () => current };
}
