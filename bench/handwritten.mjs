// The loop a user writes by hand for 'same' 2-D cross-correlation with zero padding
// (anchor floor((k-1)/2), as scipy's correlate2d): the baseline simdconv must beat.
export function handwrittenCorrelateSame(img, h, w, ker, kh, kw) {
  const out = new Float32Array(h * w);
  const top = (kh - 1) >> 1;
  const left = (kw - 1) >> 1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let u = 0; u < kh; u++) {
        const yy = y + u - top;
        if (yy < 0 || yy >= h) continue;
        for (let v = 0; v < kw; v++) {
          const xx = x + v - left;
          if (xx < 0 || xx >= w) continue;
          s += ker[u * kw + v] * img[yy * w + xx];
        }
      }
      out[y * w + x] = s;
    }
  }
  return out;
}
