// release(): what simdconv holds between calls, given back.
import { forgetSpectra } from './engines/fft';
import { forgetWeights } from './engines/winograd';
import { dropBackends } from './runtime/backend';

/**
 * Gives back the memory simdconv keeps between calls: the Wasm instances and their linear
 * memory (which only grows, so a 4096x4096 call leaves it at its peak), the fallback's buffer,
 * and the caches (FFT plans and kernel spectra, Winograd weight transforms). Safe at any time
 * between calls; the next call starts small (in Node it instantiates the Wasm again on first
 * use, about a millisecond; in a browser it runs on the fallback until `ready()` is awaited
 * again). Results already returned are the caller's and stay valid.
 */
export function release(): void {
  dropBackends();
  forgetSpectra();
  forgetWeights();
}
