// Multi-channel direct convolution (PyTorch's conv2d: cross-correlation summed over input
// channels) over an input the caller already padded, for T = f32 (f32x4) and T = f64 (f64x2).
//
// The block is PIXELS output positions x OC_VECS vectors of output channels: each tap
// broadcasts one input sample per position (load_splat) and loads OC_VECS vectors of weights,
// so one tap costs PIXELS + OC_VECS loads for PIXELS * OC_VECS multiply-adds, and every input
// channel is summed in registers before anything is stored. Vectorising across output channels
// instead of along the row is what lets one loop serve every stride, dilation and layout: an
// input sample is a scalar load at any address, so a strided or dilated window needs no
// shuffles and no strided copy (no im2col either).
//
// Addresses come from the caller as byte offsets:
//  * the tap table holds, per (input channel, kernel row, kernel column) in weight order, the
//    offset of that tap's input sample from the window origin: channel, dilation and layout
//    (NCHW or NHWC) are all folded in, so the inner loop is one flat loop over taps;
//  * output position i = (row, col) has its window origin at row * inRowStep + col * inColStep
//    and its result at row * outRowStep + col * outColStep, output channel c at + c * outChanStep.
// Weights are packed by the caller per block of OC_VECS * lanes channels: [block][tap][channel],
// zero-padded past outC, so the loop never tests for a partial block; biases likewise.
//
// Exported as convF32 / convF64 (ABI: src/runtime/abi.ts ConvKernel); the two differ only in T,
// because AssemblyScript exports need concrete types.

import { VEC_BYTES, lanes, mac, storeLanes, storeTransposed4x4, tap } from "./simd";

const PIXELS: i32 = 4;
const OC_VECS: i32 = 2;

/** Output channels per block: OC_VECS vectors. */
@inline function channelsPerBlock<T>(): i32 {
  return OC_VECS * lanes<T>();
}

/** One position's OC_VECS result vectors for channels c0 .. c0 + OC_VECS * lanes - 1 (those < outC). */
@inline function storePixel<T>(
  o: usize, chanStep: usize, c0: i32, outC: i32, a0: v128, a1: v128,
): void {
  const L = lanes<T>();
  const n = outC - c0;
  if (chanStep == sizeof<T>() && n >= 2 * L) {
    // Channels-last output: the block's channels are contiguous.
    v128.store(o, a0);
    v128.store(o, a1, VEC_BYTES);
    return;
  }
  storeLanes<T>(o, chanStep, a0, n);
  if (n > L) {
    const o1 = o + <usize>L * chanStep;
    storeLanes<T>(o1, chanStep, a1, n - L);
  }
}

/**
 * out[c, i] = bias[c] + sum_t w[c, t] * in[origin(i) + tap[t]] for every output position i
 * (row-major over ow columns) and output channel c < outC.
 */
function convChannels<T>(
  inPtr: usize, tapPtr: usize, nTaps: i32, wPtr: usize, biasPtr: usize, outC: i32,
  outPtr: usize, outChanStep: usize, nPix: i32, ow: i32,
  inRowStep: usize, inColStep: usize, outRowStep: usize, outColStep: usize,
): void {
  const blockBytes = <usize>channelsPerBlock<T>() * sizeof<T>();
  const tapEnd = tapPtr + (<usize>nTaps << 2);
  let wBlock = wPtr;
  let bp = biasPtr;
  for (let c0 = 0; c0 < outC; c0 += channelsPerBlock<T>()) {
    const b0 = v128.load(bp), b1 = v128.load(bp, VEC_BYTES);
    const ocOff = <usize>c0 * outChanStep;
    let row = 0, col = 0;
    for (let i = 0; i < nPix; i += PIXELS) {
      // Window origins and result addresses of positions i .. i+3; past the last position the
      // block recomputes the last one and does not store it.
      const valid = min(PIXELS, nPix - i);
      let r = row, c = col;
      const p0 = inPtr + <usize>r * inRowStep + <usize>c * inColStep;
      const o0 = outPtr + <usize>r * outRowStep + <usize>c * outColStep;
      if (valid > 1 && ++c == ow) { c = 0; r++; }
      const p1 = inPtr + <usize>r * inRowStep + <usize>c * inColStep;
      const o1 = outPtr + <usize>r * outRowStep + <usize>c * outColStep;
      if (valid > 2 && ++c == ow) { c = 0; r++; }
      const p2 = inPtr + <usize>r * inRowStep + <usize>c * inColStep;
      const o2 = outPtr + <usize>r * outRowStep + <usize>c * outColStep;
      if (valid > 3 && ++c == ow) { c = 0; r++; }
      const p3 = inPtr + <usize>r * inRowStep + <usize>c * inColStep;
      const o3 = outPtr + <usize>r * outRowStep + <usize>c * outColStep;
      if (++c == ow) { c = 0; r++; }
      row = r; col = c;

      let a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
      let tp = tapPtr;
      let wp = wBlock;
      do {
        const t = <usize>load<u32>(tp);
        const w0 = v128.load(wp), w1 = v128.load(wp, VEC_BYTES);
        let x = tap<T>(p0 + t);
        a00 = mac<T>(a00, w0, x); a01 = mac<T>(a01, w1, x);
        x = tap<T>(p1 + t);
        a10 = mac<T>(a10, w0, x); a11 = mac<T>(a11, w1, x);
        x = tap<T>(p2 + t);
        a20 = mac<T>(a20, w0, x); a21 = mac<T>(a21, w1, x);
        x = tap<T>(p3 + t);
        a30 = mac<T>(a30, w0, x); a31 = mac<T>(a31, w1, x);
        wp += 2 * VEC_BYTES;
        tp += 4;
      } while (tp < tapEnd);
      if (sizeof<T>() == 4 && outColStep == 4 && o3 == o0 + 12 && outC - c0 >= 8) {
        storeTransposed4x4(o0 + ocOff, outChanStep, a00, a10, a20, a30);
        storeTransposed4x4(o0 + ocOff + 4 * outChanStep, outChanStep, a01, a11, a21, a31);
        continue;
      }
      storePixel<T>(o0 + ocOff, outChanStep, c0, outC, a00, a01);
      if (valid > 1) storePixel<T>(o1 + ocOff, outChanStep, c0, outC, a10, a11);
      if (valid > 2) storePixel<T>(o2 + ocOff, outChanStep, c0, outC, a20, a21);
      if (valid > 3) storePixel<T>(o3 + ocOff, outChanStep, c0, outC, a30, a31);
    }
    wBlock += <usize>nTaps * blockBytes;
    bp += blockBytes;
  }
}

export function convF32(
  inPtr: usize, tapPtr: usize, nTaps: i32, wPtr: usize, biasPtr: usize, outC: i32,
  outPtr: usize, outChanStep: usize, nPix: i32, ow: i32,
  inRowStep: usize, inColStep: usize, outRowStep: usize, outColStep: usize,
): void {
  if (nPix <= 0 || outC <= 0 || nTaps <= 0) return;
  convChannels<f32>(inPtr, tapPtr, nTaps, wPtr, biasPtr, outC, outPtr, outChanStep, nPix, ow, inRowStep, inColStep, outRowStep, outColStep);
}

export function convF64(
  inPtr: usize, tapPtr: usize, nTaps: i32, wPtr: usize, biasPtr: usize, outC: i32,
  outPtr: usize, outChanStep: usize, nPix: i32, ow: i32,
  inRowStep: usize, inColStep: usize, outRowStep: usize, outColStep: usize,
): void {
  if (nPix <= 0 || outC <= 0 || nTaps <= 0) return;
  convChannels<f64>(inPtr, tapPtr, nTaps, wPtr, biasPtr, outC, outPtr, outChanStep, nPix, ow, inRowStep, inColStep, outRowStep, outColStep);
}
