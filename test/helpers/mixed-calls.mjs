// A seeded sequence of mixed compute calls over small random shapes, as [function name, args],
// and a digest of results: the concurrency tests run the same sequence in workers, on the main
// thread and on a pool, and compare digests. Plain JS so worker threads import it as it is.

function rng(seed) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/** `count` calls for `seed`: [name, args], every input drawn up front. */
export function mixedCalls(seed, count) {
  const r = rng(seed);
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const floats = (n) => Float32Array.from({ length: n }, () => int(-8, 8) / 4);
  const calls = [];
  for (let i = 0; i < count; i++) {
    const h = int(3, 24);
    const w = int(3, 24);
    const k = int(1, 3) * 2 - 1;
    const img = { data: floats(h * w), shape: [h, w] };
    const ker = { data: floats(k * k), shape: [k, k] };
    switch (i % 6) {
      case 0:
        calls.push(['correlate2d', [img, ker, { mode: 'same', boundary: ['fill', 'wrap', 'symm'][int(0, 2)] }]]);
        break;
      case 1:
        calls.push(['convolve', [img, ker]]);
        break;
      case 2: {
        const c = int(1, 4);
        const oc = int(1, 9);
        calls.push(['conv2d', [{ data: floats(c * h * w), shape: [1, c, h, w] }, { data: floats(oc * c * k * k), shape: [oc, c, k, k] }, { padding: k >> 1 }]]);
        break;
      }
      case 3:
        calls.push(['filter2d', [{ data: new Uint8ClampedArray(h * w * 4).map(() => int(0, 255)), width: w, height: h }, ker]]);
        break;
      case 4:
        calls.push(['maxPool2d', [{ data: floats(2 * h * w), shape: [1, 2, h, w] }, { kernelSize: 2 }]]);
        break;
      default:
        calls.push(['fftconvolve', [img, ker, { mode: 'same' }]]);
    }
  }
  return calls;
}

/** FNV-1a over the bytes of every result's samples, in order. */
export function digest(results) {
  let hash = 0x811c9dc5;
  for (const r of results) {
    const d = r.data;
    const bytes = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
    for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 16777619) >>> 0;
  }
  return hash;
}
