// Entry points of the layer kernels: convF32 / convF64 (conv.ts, channel-vectorised) and
// depthwiseF32 / depthwiseF64 (depthwise.ts, channels-last), and channelsLastF32 / F64
// (transpose.ts), which stages wide inputs channels last, and the uint8 conversions (bytes.ts). Offsets and steps arrive in bytes
// (the caller folds layout, stride and dilation into them).
import { convChannels } from "./conv";
import { depthwiseChannelsLast } from "./depthwise";
import { planesToChannelsLast } from "./transpose";
import { narrowToBytes, nearTies, widenBytes } from "./bytes";

export function convF32(
  inPtr: usize, tapPtr: usize, nTaps: i32, wPtr: usize, biasPtr: usize, outC: i32,
  outPtr: usize, outChanStep: usize, nPix: i32, ow: i32,
  inRowStep: usize, inColStep: usize, outRowStep: usize, outColStep: usize, accumulate: i32,
): void {
  if (nPix <= 0 || outC <= 0 || nTaps <= 0) return;
  convChannels<f32>(inPtr, tapPtr, nTaps, wPtr, biasPtr, outC, outPtr, outChanStep, nPix, ow, inRowStep, inColStep, outRowStep, outColStep, accumulate != 0);
}

export function convF64(
  inPtr: usize, tapPtr: usize, nTaps: i32, wPtr: usize, biasPtr: usize, outC: i32,
  outPtr: usize, outChanStep: usize, nPix: i32, ow: i32,
  inRowStep: usize, inColStep: usize, outRowStep: usize, outColStep: usize, accumulate: i32,
): void {
  if (nPix <= 0 || outC <= 0 || nTaps <= 0) return;
  convChannels<f64>(inPtr, tapPtr, nTaps, wPtr, biasPtr, outC, outPtr, outChanStep, nPix, ow, inRowStep, inColStep, outRowStep, outColStep, accumulate != 0);
}

export function depthwiseF32(
  inPtr: usize, tapPtr: usize, nTaps: i32, wPtr: usize, biasPtr: usize, C: i32,
  outPtr: usize, nPix: i32, ow: i32, inRowStep: usize, inColStep: usize,
): void {
  if (nPix <= 0 || C <= 0 || nTaps <= 0) return;
  depthwiseChannelsLast<f32>(inPtr, tapPtr, nTaps, wPtr, biasPtr, C, outPtr, nPix, ow, inRowStep, inColStep);
}

export function depthwiseF64(
  inPtr: usize, tapPtr: usize, nTaps: i32, wPtr: usize, biasPtr: usize, C: i32,
  outPtr: usize, nPix: i32, ow: i32, inRowStep: usize, inColStep: usize,
): void {
  if (nPix <= 0 || C <= 0 || nTaps <= 0) return;
  depthwiseChannelsLast<f64>(inPtr, tapPtr, nTaps, wPtr, biasPtr, C, outPtr, nPix, ow, inRowStep, inColStep);
}

export function channelsLastF32(src: usize, C: i32, P: i32, dst: usize): void {
  planesToChannelsLast<f32>(src, C, P, dst);
}

export function channelsLastF64(src: usize, C: i32, P: i32, dst: usize): void {
  planesToChannelsLast<f64>(src, C, P, dst);
}

export function widenBytesF32(src: usize, n: i32, dst: usize): void {
  widenBytes<f32>(src, n, dst);
}

export function widenBytesF64(src: usize, n: i32, dst: usize): void {
  widenBytes<f64>(src, n, dst);
}

export function narrowToBytesF32(src: usize, n: i32, dst: usize): void {
  narrowToBytes<f32>(src, n, dst);
}

export function narrowToBytesF64(src: usize, n: i32, dst: usize): void {
  narrowToBytes<f64>(src, n, dst);
}

export function nearTiesF32(src: usize, from: i32, n: i32, bound: f64, dst: usize, cap: i32): i32 {
  return nearTies<f32>(src, from, n, bound, dst, cap);
}

export function nearTiesF64(src: usize, from: i32, n: i32, bound: f64, dst: usize, cap: i32): i32 {
  return nearTies<f64>(src, from, n, bound, dst, cap);
}
