// The FFT kernels in TypeScript: assembly/fft.ts's algorithm (the same stages, twiddle tables,
// tile layout and geometry table) one element at a time, for the fallback backend.
import type { FloatArray } from '../core/tensor';
import type { FftKernel, GatherKernel, ScatterKernel, SpectrumKernel } from './abi';

const S3 = Math.sqrt(3) / 2;
const C51 = Math.cos((2 * Math.PI) / 5);
const C52 = Math.cos((4 * Math.PI) / 5);
const S51 = Math.sin((2 * Math.PI) / 5);
const S52 = Math.sin((4 * Math.PI) / 5);

/** One r-point DFT of x (re/im pairs), forward (e^-i) or inverse (e^+i), in place. */
function dft(r: number, xr: number[], xi: number[], sign: 1 | -1): void {
  if (r === 2) {
    const [a, b] = [xr[0] - xr[1], xi[0] - xi[1]];
    xr[0] += xr[1];
    xi[0] += xi[1];
    xr[1] = a;
    xi[1] = b;
  } else if (r === 4) {
    const t0r = xr[0] + xr[2], t0i = xi[0] + xi[2], t1r = xr[0] - xr[2], t1i = xi[0] - xi[2];
    const t2r = xr[1] + xr[3], t2i = xi[1] + xi[3];
    // (x1 - x3) * -i (forward) or +i (inverse)
    const dr = xr[1] - xr[3], di = xi[1] - xi[3];
    const t3r = sign > 0 ? di : -di, t3i = sign > 0 ? -dr : dr;
    xr[0] = t0r + t2r; xi[0] = t0i + t2i;
    xr[1] = t1r + t3r; xi[1] = t1i + t3i;
    xr[2] = t0r - t2r; xi[2] = t0i - t2i;
    xr[3] = t1r - t3r; xi[3] = t1i - t3i;
  } else if (r === 3) {
    const tr = xr[1] + xr[2], ti = xi[1] + xi[2];
    const ur = S3 * (xr[1] - xr[2]), ui = S3 * (xi[1] - xi[2]);
    const mr = xr[0] - 0.5 * tr, mi = xi[0] - 0.5 * ti;
    xr[0] += tr; xi[0] += ti;
    // forward: y1 = m - i s u, y2 = m + i s u; inverse the other way round
    xr[1] = mr + sign * ui; xi[1] = mi - sign * ur;
    xr[2] = mr - sign * ui; xi[2] = mi + sign * ur;
  } else {
    const t1r = xr[1] + xr[4], t1i = xi[1] + xi[4], t2r = xr[2] + xr[3], t2i = xi[2] + xi[3];
    const u1r = xr[1] - xr[4], u1i = xi[1] - xi[4], u2r = xr[2] - xr[3], u2i = xi[2] - xi[3];
    const a1r = xr[0] + C51 * t1r + C52 * t2r, a1i = xi[0] + C51 * t1i + C52 * t2i;
    const a2r = xr[0] + C52 * t1r + C51 * t2r, a2i = xi[0] + C52 * t1i + C51 * t2i;
    const b1r = S51 * u1r + S52 * u2r, b1i = S51 * u1i + S52 * u2i;
    const b2r = S52 * u1r - S51 * u2r, b2i = S52 * u1i - S51 * u2i;
    xr[0] += t1r + t2r; xi[0] += t1i + t2i;
    // forward: y1 = a1 - i b1, y4 = a1 + i b1, y2 = a2 - i b2, y3 = a2 + i b2
    xr[1] = a1r + sign * b1i; xi[1] = a1i - sign * b1r;
    xr[4] = a1r - sign * b1i; xi[4] = a1i + sign * b1r;
    xr[2] = a2r + sign * b2i; xi[2] = a2i - sign * b2r;
    xr[3] = a2r - sign * b2i; xi[3] = a2i + sign * b2r;
  }
}

function fftOn(heap: () => FloatArray, i32: () => Int32Array, shift: number, forward: boolean): FftKernel {
  return (re, im, A, n, C, stages, nStages, tw) => {
    const h = heap();
    const table = i32();
    const st = Array.from({ length: nStages }, (_, s) => [table[(stages >> 2) + 2 * s], table[(stages >> 2) + 2 * s + 1]]);
    const twAt: number[] = [];
    for (let s = 0, t = tw >> shift; s < nStages; s++) {
      twAt.push(t);
      t += (st[s][1] / st[s][0]) * (st[s][0] - 1) * 2;
    }
    const xr: number[] = [];
    const xi: number[] = [];
    const order = forward ? st.map((_, s) => s) : st.map((_, s) => nStages - 1 - s);
    for (let a = 0; a < A; a++) {
      const pr = (re >> shift) + a * n * C;
      const pi = (im >> shift) + a * n * C;
      for (const s of order) {
        const [r, L] = st[s];
        const m = L / r;
        for (let b = 0; b < n / L; b++) {
          for (let j = 0; j < m; j++) {
            const w = twAt[s] + j * (r - 1) * 2;
            for (let c = 0; c < C; c++) {
              const at = (q: number) => (b * L + j + q * m) * C + c;
              for (let q = 0; q < r; q++) {
                let vr = h[pr + at(q)];
                let vi = h[pi + at(q)];
                if (!forward && q > 0) {
                  // x * conj(w)
                  const wr = h[w + 2 * (q - 1)], wi = h[w + 2 * (q - 1) + 1];
                  [vr, vi] = [vr * wr + vi * wi, vi * wr - vr * wi];
                }
                xr[q] = vr;
                xi[q] = vi;
              }
              dft(r, xr, xi, forward ? 1 : -1);
              for (let p = 0; p < r; p++) {
                let vr = xr[p];
                let vi = xi[p];
                if (forward && p > 0) {
                  const wr = h[w + 2 * (p - 1)], wi = h[w + 2 * (p - 1) + 1];
                  [vr, vi] = [vr * wr - vi * wi, vr * wi + vi * wr];
                }
                h[pr + at(p)] = vr;
                h[pi + at(p)] = vi;
              }
            }
          }
        }
      }
    }
  };
}

function spectrumMulOn(heap: () => FloatArray, shift: number): SpectrumKernel {
  return (re, im, kre, kim, n, lanes) => {
    const h = heap();
    for (let p = 0; p < n; p++) {
      const wr = h[(kre >> shift) + p], wi = h[(kim >> shift) + p];
      for (let l = 0; l < lanes; l++) {
        const i = p * lanes + l;
        const xr = h[(re >> shift) + i], xi = h[(im >> shift) + i];
        h[(re >> shift) + i] = xr * wr - xi * wi;
        h[(im >> shift) + i] = xr * wi + xi * wr;
      }
    }
  };
}

/** The geometry table of assembly/fft.ts. */
function readGeometry(t: Int32Array, at: number) {
  const v = (i: number) => t[(at >> 2) + i];
  return { F: [v(0), v(1), v(2)], V: [v(3), v(4), v(5)], N: [v(6), v(7), v(8)], S: [v(9), v(10)], O: [v(11), v(12)], H: [v(13), v(14), v(15)], T: v(16), U: [v(17), v(18), v(19)], I: [v(20), v(21), v(22)], B: [v(23), v(24), v(25)] };
}

const unravel = (t: number, N: number[]) => [Math.floor(t / (N[1] * N[2])), Math.floor(t / N[2]) % N[1], t % N[2]];

function gatherOn(heap: () => FloatArray, i32: () => Int32Array, shift: number): GatherKernel {
  return (geo, src, first, count, re, im) => {
    const h = heap();
    const g = readGeometry(i32(), geo);
    const [F0, F1, F2] = g.F;
    for (let lane = 0; lane < 2 * g.T; lane++) {
      const t = unravel(Math.min(first + lane, first + count - 1), g.N);
      // Source coordinates of the window's first sample; outside the source reads 0.
      const y = [0, 1, 2].map((a) => t[a] * g.V[a] - g.B[a]);
      const plane = (lane & 1 ? im : re) >> shift;
      const k = lane >> 1;
      for (let f0 = 0; f0 < F0; f0++) {
        for (let f1 = 0; f1 < F1; f1++) {
          const y0 = y[0] + f0;
          const y1 = y[1] + f1;
          const inside = y0 >= 0 && y0 < g.I[0] && y1 >= 0 && y1 < g.I[1];
          for (let f2 = 0; f2 < F2; f2++) {
            const x = y[2] + f2;
            const v = inside && x >= 0 && x < g.I[2] ? h[(src >> shift) + y0 * g.S[0] + y1 * g.S[1] + x] : 0;
            h[plane + ((f0 * F1 + f1) * F2 + f2) * g.T + k] = v;
          }
        }
      }
    }
  };
}

function scatterOn(heap: () => FloatArray, i32: () => Int32Array, shift: number): ScatterKernel {
  return (geo, re, im, first, count, out) => {
    const h = heap();
    const g = readGeometry(i32(), geo);
    const [, F1, F2] = g.F;
    let bad = 0;
    for (let lane = 0; lane < Math.min(2 * g.T, count); lane++) {
      const t = unravel(first + lane, g.N);
      const origin = (out >> shift) + t[0] * g.V[0] * g.O[0] + t[1] * g.V[1] * g.O[1] + t[2] * g.V[2];
      const plane = (lane & 1 ? im : re) >> shift;
      const k = lane >> 1;
      // Outputs past the output's size are not stored.
      const lim = [0, 1, 2].map((a) => Math.min(g.V[a], g.U[a] - t[a] * g.V[a]));
      for (let i0 = 0; i0 < lim[0]; i0++) {
        for (let i1 = 0; i1 < lim[1]; i1++) {
          for (let i2 = 0; i2 < lim[2]; i2++) {
            const v = h[plane + (((i0 + g.H[0]) * F1 + i1 + g.H[1]) * F2 + i2 + g.H[2]) * g.T + k];
            h[origin + i0 * g.O[0] + i1 * g.O[1] + i2] = v;
            bad += v - v;
          }
        }
      }
    }
    return Number.isNaN(bad) ? 1 : 0;
  };
}

/** The FFT kernels of one dtype over the fallback's arena views. */
export function jsFftKernels(heap: () => FloatArray, i32: () => Int32Array, shift: number) {
  return {
    fftForward: fftOn(heap, i32, shift, true),
    fftInverse: fftOn(heap, i32, shift, false),
    spectrumMul: spectrumMulOn(heap, shift),
    gatherTiles: gatherOn(heap, i32, shift),
    scatterTiles: scatterOn(heap, i32, shift),
  };
}
