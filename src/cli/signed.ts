// Signed filter results (--ddepth int16 / float32) as PNG bytes: --abs as OpenCV's
// convertScaleAbs, --normalize as its normalize(NORM_MINMAX) to 0..255.
import { UsageError } from './args';

export type ToBytes = 'abs' | 'normalize';

/**
 * The colour channels of an RGBA result mapped to bytes; with `keepAlpha` the 4th channel is the
 * input's alpha, copied as it is.
 */
export function signedToBytes(data: ArrayLike<number>, mode: ToBytes, keepAlpha: boolean): Uint8ClampedArray {
  const out = new Uint8ClampedArray(data.length);
  const colour = (i: number) => !(keepAlpha && i % 4 === 3);
  let lo = Infinity;
  let hi = -Infinity;
  if (mode === 'normalize') {
    for (let i = 0; i < data.length; i++) {
      if (!colour(i) || !Number.isFinite(data[i])) continue;
      lo = Math.min(lo, data[i]);
      hi = Math.max(hi, data[i]);
    }
  }
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!colour(i)) out[i] = v;
    else out[i] = mode === 'abs' ? Math.abs(v) : (v - lo) * scale;
  }
  return out;
}

/** --abs / --normalize, refused together, and required for signed results written as PNG. */
export function toBytesOption(abs: boolean, normalize: boolean, ddepth: string): ToBytes | null {
  if (abs && normalize) throw new UsageError('--abs and --normalize: give one of them');
  if (ddepth === 'same') {
    if (abs || normalize) throw new UsageError(`--${abs ? 'abs' : 'normalize'} maps signed results to bytes: it needs --ddepth int16 or float32`);
    return null;
  }
  if (!abs && !normalize) throw new UsageError(`--ddepth ${ddepth} gives signed values a PNG cannot hold: add --abs (|value|) or --normalize (min..max to 0..255)`);
  return abs ? 'abs' : 'normalize';
}
