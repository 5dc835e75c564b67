import { BYTES, type DType, type FloatArray } from '../core/tensor';
import { BLOCK_BYTES, withFloat32Only, type BytesKernel, type ChannelsLastKernel, type ConvKernel, type CorrelateKernel, type CorrelateTapsKernel, type DepthwiseKernel, type KeepAlphaKernel, type KernelSet, type NearTiesKernel, type SpreadRowsKernel, type AddScalarKernel, type WinogradInputKernel, type WinogradOutputKernel } from './abi';
import type { Arena } from './arena';
import { jsFftKernels } from './fallbackFft';

/**
 * The pure-TypeScript kernels: the same ABI as assembly/correlate.ts over the same arena
 * layout, so the JS backend differs from the Wasm one only in who runs the loop.
 * Accumulation is in float64 (a JS number) and rounds once on store, which stays inside
 * the float32 tolerance of the SIMD path.
 */
function correlateOn(heap: () => FloatArray, shift: number): CorrelateKernel {
  return (inPtr, inStride, kerPtr, kh, kw, outPtr, outStride, oh, ow, accumulate, tapStep) => {
    const h = heap();
    const inp = inPtr >> shift;
    const ker = kerPtr >> shift;
    const out = outPtr >> shift;
    for (let i = 0; i < oh; i++) {
      const orow = out + i * outStride;
      for (let j = 0; j < ow; j++) {
        let s = accumulate ? h[orow + j] : 0;
        for (let u = 0; u < kh; u++) {
          const irow = inp + (i + u) * inStride + j;
          const krow = ker + u * kw;
          for (let v = 0; v < kw; v++) s += h[krow + v] * h[irow + v * tapStep];
        }
        h[orow + j] = s;
      }
    }
  };
}

function correlateTapsOn(heap: () => FloatArray, ints: () => Int32Array, shift: number): CorrelateTapsKernel {
  return (inPtr, inStride, tapPtr, nTaps, outPtr, outStride, oh, ow, accumulate, tapStep) => {
    const h = heap();
    // The (row, column) pairs follow the nTaps weights.
    const at = (tapPtr + (nTaps << shift)) >> 2;
    const pos = ints().subarray(at, at + 2 * nTaps);
    const w = tapPtr >> shift;
    const inp = inPtr >> shift;
    const out = outPtr >> shift;
    for (let i = 0; i < oh; i++) {
      const orow = out + i * outStride;
      for (let j = 0; j < ow; j++) {
        let s = accumulate ? h[orow + j] : 0;
        for (let t = 0; t < nTaps; t++) s += h[w + t] * h[inp + (i + pos[2 * t]) * inStride + j + pos[2 * t + 1] * tapStep];
        h[orow + j] = s;
      }
    }
  };
}

function convOn(heap: () => FloatArray, taps: () => Uint32Array, shift: number): ConvKernel {
  const perBlock = BLOCK_BYTES >> shift;
  return (inPtr, tapPtr, nTaps, wPtr, biasPtr, outC, outPtr, outChanStep, nPix, ow, inRowStep, inColStep, outRowStep, outColStep) => {
    const h = heap();
    const tap = taps().subarray(tapPtr >> 2, (tapPtr >> 2) + nTaps);
    for (let c = 0; c < outC; c++) {
      const blockW = (wPtr >> shift) + Math.floor(c / perBlock) * perBlock * nTaps + (c % perBlock);
      const bias = h[(biasPtr >> shift) + c];
      for (let i = 0; i < nPix; i++) {
        const row = Math.floor(i / ow);
        const col = i - row * ow;
        const origin = inPtr + row * inRowStep + col * inColStep;
        let s = bias;
        for (let t = 0; t < nTaps; t++) s += h[blockW + t * perBlock] * h[(origin + tap[t]) >> shift];
        h[(outPtr + c * outChanStep + row * outRowStep + col * outColStep) >> shift] = s;
      }
    }
  };
}

function depthwiseOn(heap: () => FloatArray, taps: () => Uint32Array, shift: number): DepthwiseKernel {
  return (inPtr, tapPtr, nTaps, wPtr, biasPtr, C, outPtr, nPix, ow, inRowStep, inColStep) => {
    const h = heap();
    const tap = taps().subarray(tapPtr >> 2, (tapPtr >> 2) + nTaps);
    const w = wPtr >> shift;
    for (let i = 0; i < nPix; i++) {
      const row = Math.floor(i / ow);
      const origin = inPtr + row * inRowStep + (i - row * ow) * inColStep;
      const o = (outPtr >> shift) + i * C;
      for (let c = 0; c < C; c++) {
        let s = h[(biasPtr >> shift) + c];
        for (let t = 0; t < nTaps; t++) s += h[w + t * C + c] * h[((origin + tap[t]) >> shift) + c];
        h[o + c] = s;
      }
    }
  };
}

function channelsLastOn(heap: () => FloatArray, shift: number): ChannelsLastKernel {
  return (src, C, P, dst) => {
    const h = heap();
    const s = src >> shift;
    const d = dst >> shift;
    for (let c = 0; c < C; c++) for (let p = 0; p < P; p++) h[d + p * C + c] = h[s + c * P + p];
  };
}

function spreadRowsOn(heap: () => FloatArray, shift: number): SpreadRowsKernel {
  return (base, planes, rows, rowIn, planeOut, rowOut, first, left, right, fill, value) => {
    const h = heap();
    const b = base >> shift;
    for (let z = planes - 1; z >= 0; z--) {
      for (let y = rows - 1; y >= 0; y--) {
        const from = b + (z * rows + y) * rowIn;
        const to = b + first + z * planeOut + y * rowOut;
        if (to !== from) h.copyWithin(to, from, from + rowIn);
        if (!fill) continue;
        h.fill(value, to - left, to);
        h.fill(value, to + rowIn, to + rowIn + right);
      }
    }
  };
}

function addScalarOn(heap: () => FloatArray, shift: number, dtype: DType): AddScalarKernel {
  return (ptr, n, value) => {
    const h = heap();
    // The element type's value, as the Wasm kernel splats it; the float32 heap rounds each sum once.
    const v = dtype === 'float32' ? Math.fround(value) : value;
    const p = ptr >> shift;
    for (let i = p; i < p + n; i++) h[i] += v;
  };
}

function winogradInputOn(heap: () => FloatArray, shift: number): WinogradInputKernel {
  return (src, C, rowStep, tW, first, count, dst, xiBytes) => {
    const h = heap();
    const xiStep = xiBytes >> shift;
    const row = rowStep >> shift;
    const d = new Array<number>(16);
    for (let k = 0; k < count; k++) {
      const ty = Math.floor((first + k) / tW);
      const tx = (first + k) % tW;
      {
        const base = (src >> shift) + 2 * ty * row + 2 * tx * C;
        const out = (dst >> shift) + k * C;
        for (let c = 0; c < C; c++) {
          for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) d[4 * i + j] = h[base + i * row + j * C + c];
          // t = B^T d (rows), then each row times B.
          for (let j = 0; j < 4; j++) {
            const [d0, d1, d2, d3] = [d[j], d[4 + j], d[8 + j], d[12 + j]];
            d[j] = d0 - d2;
            d[4 + j] = d1 + d2;
            d[8 + j] = d2 - d1;
            d[12 + j] = d1 - d3;
          }
          for (let r = 0; r < 4; r++) {
            const [t0, t1, t2, t3] = [d[4 * r], d[4 * r + 1], d[4 * r + 2], d[4 * r + 3]];
            const o = out + c + 4 * r * xiStep;
            h[o] = t0 - t2;
            h[o + xiStep] = t1 + t2;
            h[o + 2 * xiStep] = t2 - t1;
            h[o + 3 * xiStep] = t1 - t3;
          }
        }
      }
    }
  };
}

function winogradOutputOn(heap: () => FloatArray, shift: number): WinogradOutputKernel {
  return (m, OC, tW, first, count, xiBytes, bias, out, chanStep, rowStep, colStep, outH, outW) => {
    const h = heap();
    const xiStep = xiBytes >> shift;
    let bad = 0;
    for (let k = 0; k < count; k++) {
      const ty = Math.floor((first + k) / tW);
      const tx = (first + k) % tW;
      {
        const p = (m >> shift) + k * OC;
        for (let c = 0; c < OC; c++) {
          const at = (xi: number) => h[p + c + xi * xiStep];
          const s0 = (k: number) => at(k) + at(4 + k) + at(8 + k);
          const s1 = (k: number) => at(4 + k) - at(8 + k) - at(12 + k);
          const b = h[(bias >> shift) + c];
          const y = [b + (s0(0) + s0(1) + s0(2)), b + (s0(1) - s0(2) - s0(3)), b + (s1(0) + s1(1) + s1(2)), b + (s1(1) - s1(2) - s1(3))];
          for (let i = 0; i < 2; i++) {
            for (let j = 0; j < 2; j++) {
              if (2 * ty + i >= outH || 2 * tx + j >= outW) continue;
              const o = (out + c * chanStep + (2 * ty + i) * rowStep + (2 * tx + j) * colStep) >> shift;
              h[o] = y[2 * i + j];
              if (!Number.isFinite(h[o])) bad = 1;
            }
          }
        }
      }
    }
    return bad;
  };
}

function widenOn(heap: () => FloatArray, bytes: () => Uint8ClampedArray, shift: number): BytesKernel {
  return (src, n, dst) => heap().set(bytes().subarray(src, src + n), dst >> shift);
}

/** Uint8ClampedArray stores round half to even and saturate, as the Wasm kernel does. */
function narrowOn(heap: () => FloatArray, bytes: () => Uint8ClampedArray, shift: number): BytesKernel {
  return (src, n, dst) => bytes().set(heap().subarray(src >> shift, (src >> shift) + n), dst);
}

/** Round half to even, saturate to int16 and NaN to 0, as the Wasm kernel does. */
function narrowInt16On(heap: () => FloatArray, int16: () => Int16Array, shift: number): BytesKernel {
  return (src, n, dst) => {
    const h = heap();
    const out = int16();
    const from = src >> shift;
    const to = dst >> 1;
    for (let i = 0; i < n; i++) {
      const v = h[from + i];
      let r = Math.round(v);
      if (r - v === 0.5 && r % 2 !== 0) r -= 1;
      out[to + i] = r >= -32768 ? (r <= 32767 ? r : 32767) : r < 0 ? -32768 : 0;
    }
  };
}

function keepAlphaOn(heap: () => FloatArray, shift: number): KeepAlphaKernel {
  return (src, dst, pixels) => {
    const h = heap();
    const s = src >> shift;
    const d = dst >> shift;
    for (let p = 3; p < 4 * pixels; p += 4) h[d + p] = h[s + p];
  };
}

function nearTiesOn(heap: () => FloatArray, indices: () => Uint32Array, shift: number): NearTiesKernel {
  return (src, from, n, bound, dst, cap) => {
    const h = heap();
    const out = indices();
    const base = src >> shift;
    let found = 0;
    for (let i = from; i < n; i++) {
      const v = h[base + i];
      if (Math.abs(v - Math.floor(v) - 0.5) <= bound) {
        out[(dst >> 2) + found] = i;
        if (++found === cap) break;
      }
    }
    return found;
  };
}

/** The fallback's kernels for one dtype, computing inside `arena`. */
export function jsKernels(arena: Arena, dtype: DType): KernelSet {
  const heap = () => arena.view(dtype);
  const u32 = () => arena.view('uint32');
  const u8 = () => arena.view('uint8');
  const bytes = BYTES[dtype];
  const shift = Math.log2(bytes);
  const set = {
    bytes,
    correlate: correlateOn(heap, shift),
    correlateTaps: correlateTapsOn(heap, () => arena.view('int32'), shift),
    conv: convOn(heap, u32, shift),
    depthwise: depthwiseOn(heap, u32, shift),
    channelsLast: channelsLastOn(heap, shift),
    spreadRows: spreadRowsOn(heap, shift),
    addScalar: addScalarOn(heap, shift, dtype),
    winogradInput: winogradInputOn(heap, shift),
    winogradOutput: winogradOutputOn(heap, shift),
    widenBytes: widenOn(heap, u8, shift),
    narrowToBytes: narrowOn(heap, u8, shift),
    narrowToInt16: narrowInt16On(heap, () => arena.view('int16'), shift),
    nearTies: nearTiesOn(heap, u32, shift),
    keepAlpha: keepAlphaOn(heap, shift),
    ...jsFftKernels(heap, () => arena.view('int32'), shift),
  };
  return dtype === 'float64' ? (withFloat32Only(set) as unknown as KernelSet) : set;
}
