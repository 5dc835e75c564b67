// Bad input throws SimdconvError with a stable code and a message naming the argument;
// nothing is mutated and the next call works, on every backend.
import { describe, expect, test } from 'vitest';
import {
  SimdconvError,
  avgPool2d,
  conv1d,
  conv2d,
  conv2dBackward,
  convTranspose2d,
  convolve,
  convolve2d,
  maxPool2d,
  correlate,
  correlate2d,
  flip,
  setBackend,
  unitImpulse,
  type ErrorCode,
} from '../src/index';
import { BACKENDS, useBackend } from './helpers/backends';

const k3 = [
  [1, 2, 1],
  [0, 0, 0],
  [-1, -2, -1],
];

/** A [2, 3, 3] input and a [1, 2, 2, 2] weight for the layer errors. */
const x4 = { data: Float32Array.from({ length: 18 }, (_, i) => i), shape: [2, 3, 3] };
const w4 = { data: Float32Array.from({ length: 8 }, (_, i) => i - 4), shape: [1, 2, 2, 2] };

const bad: [string, () => unknown, ErrorCode, RegExp][] = [
  ['1-D input to convolve2d', () => convolve2d([1, 2, 3], k3), 'SHAPE', /convolve2d\(in1, in2\).*2-D/],
  ['3-D kernel to correlate2d', () => correlate2d(k3, [[[1]]]), 'SHAPE', /2-D/],
  ['empty nested input', () => convolve2d([[]], k3), 'SHAPE', /in1: expected a non-empty array/],
  ['empty typed kernel', () => convolve2d(k3, { data: new Float32Array(0), shape: [0, 3] }), 'SHAPE', /in2: expected a non-empty/],
  ['ragged nested input', () => convolve2d([[1, 2], [3]], k3), 'SHAPE', /in1\[1\]: expected an array of length 2/],
  ['non-numeric element', () => correlate2d([[1, 'a' as unknown as number]], k3), 'DTYPE', /in1\[0\]\[1\]: expected a number, got "a"/],
  ['data/shape mismatch', () => convolve2d({ data: new Float32Array(3), shape: [2, 2] }, k3), 'SHAPE', /in1: expected data of length 4/],
  ['string data', () => convolve2d({ data: 'abcd' as unknown as number[], shape: [2, 2] }, k3), 'DTYPE', /in1\.data/],
  ['null input', () => convolve2d(null as never, k3), 'DTYPE', /in1: expected a tensor/],
  ['negative shape', () => convolve2d({ data: new Float32Array(1), shape: [-1, 1] }, k3), 'SHAPE', /in1\.shape/],
  ['unknown mode', () => convolve2d(k3, k3, { mode: 'middle' as never }), 'OPTION', /options\.mode: expected 'full' \| 'same' \| 'valid', got "middle"/],
  ['unknown boundary', () => correlate2d(k3, k3, { boundary: 'reflect' as never }), 'OPTION', /options\.boundary/],
  ['non-numeric fillvalue', () => convolve2d(k3, k3, { fillvalue: '1' as never }), 'OPTION', /options\.fillvalue/],
  ['unknown dtype', () => convolve2d(k3, k3, { dtype: 'int8' as never }), 'OPTION', /options\.dtype/],
  ['options not an object', () => convolve2d(k3, k3, 'same' as never), 'OPTION', /options: expected an options object/],
  [
    'mismatched dtypes',
    () => convolve2d({ data: new Float32Array(4), shape: [2, 2] }, { data: new Float64Array(4), shape: [2, 2] }),
    'DTYPE',
    /in1 and in2: expected the same dtype.*in1 is float32, in2 is float64/,
  ],
  ['valid with neither input containing the other', () => correlate2d([[1, 2, 3, 4], [5, 6, 7, 8]], k3, { mode: 'valid' }), 'SHAPE', /one input at least as large/],
  ['convolve with different ndim', () => convolve([1, 2, 3], k3), 'SHAPE', /same dimensionality/],
  ['convolve of 4-D arrays', () => correlate([[[[1]]]], [[[[1]]]]), 'SHAPE', /1-D, 2-D or 3-D/],
  ['unknown method', () => convolve([1, 2], [1], { method: 'fast' as never }), 'OPTION', /options\.method/],
  ['flip axis out of range', () => flip(k3, 2), 'OPTION', /axis: expected integers in \[-2, 1\]/],
  ['flip repeated axis', () => flip(k3, [0, -2]), 'OPTION', /axis: expected no repeated axis/],
  ['unitImpulse index out of range', () => unitImpulse([3, 3], [1, 3]), 'OPTION', /idx: expected an index in \[-3, 2\] on axis 1/],
  ['unitImpulse bad shape', () => unitImpulse([2.5]), 'SHAPE', /shape/],
  ['unknown backend', () => setBackend('gpu' as never), 'OPTION', /backend/],
  ['conv2d on a 2-D input', () => conv2d(k3, [[[[1]]]]), 'SHAPE', /input: expected a 3-D \(unbatched\) or 4-D \(batched\) array for conv2d/],
  ['conv2d weight channels', () => conv2d(x4, { data: new Float32Array(2 * 3 * 4), shape: [2, 3, 2, 2] }), 'SHAPE', /weight: expected inC \/ groups = 2 \/ 1 at dimension 1/],
  ['conv2d groups not dividing outC', () => conv2d(x4, { data: new Float32Array(3 * 4), shape: [3, 1, 2, 2] }, { groups: 2 }), 'SHAPE', /weight: expected outC \(dimension 0\) divisible by groups = 2/],
  ["conv2d 'same' with stride 2", () => conv2d(x4, w4, { padding: 'same', stride: 2 }), 'OPTION', /options\.padding: expected 'same' only with stride 1/],
  ['conv2d zero stride', () => conv2d(x4, w4, { stride: [1, 0] }), 'OPTION', /options\.stride: expected an integer >= 1 or 2 of them/],
  ['conv2d negative padding', () => conv2d(x4, w4, { padding: -1 }), 'OPTION', /options\.padding: expected an integer >= 0/],
  ['conv2d unknown padding string', () => conv2d(x4, w4, { padding: 'full' as never }), 'OPTION', /options\.padding: expected 'same', 'valid'/],
  ['conv2d kernel larger than the padded input', () => conv2d(x4, { data: new Float32Array(2 * 25), shape: [1, 2, 5, 5] }), 'SHAPE', /weight: expected a kernel whose dilated height \(5\) fits the padded input height \(3\)/],
  ['conv2d bias length', () => conv2d(x4, w4, { bias: [1, 2] }), 'SHAPE', /options\.bias: expected shape \[1\]/],
  ['conv2d reflect padding as wide as the input', () => conv2d(x4, w4, { padding: 3, paddingMode: 'reflect' }), 'OPTION', /less than the input height \(3\) with paddingMode 'reflect'/],
  ['conv2d unknown paddingMode', () => conv2d(x4, w4, { paddingMode: 'mirror' as never }), 'OPTION', /options\.paddingMode/],
  ['conv2d unknown layout', () => conv2d(x4, w4, { layout: 'CHWN' as never }), 'OPTION', /options\.layout: expected 'NCHW' \| 'NHWC'/],
  ['conv1d NHWC layout name', () => conv1d([[1, 2, 3]], [[[1]]], { layout: 'NHWC' as never }), 'OPTION', /options\.layout: expected 'NCW' \| 'NWC'/],
  ['convTranspose2d outputPadding', () => convTranspose2d(x4, { data: new Float32Array(2 * 4), shape: [2, 1, 2, 2] }, { outputPadding: 1 }), 'OPTION', /options\.outputPadding: expected smaller than stride or dilation/],
  ['maxPool2d without kernelSize', () => maxPool2d(x4, {} as never), 'OPTION', /options\.kernelSize/],
  ['avgPool2d padding over half the window', () => avgPool2d(x4, { kernelSize: 2, padding: 2 }), 'OPTION', /options\.padding: expected at most half the window \(1\)/],
  ['maxPool2d window larger than the input', () => maxPool2d(x4, { kernelSize: 4 }), 'SHAPE', /input: expected a size \[3, 3\] that leaves at least one window/],
  ['conv2dBackward gradOutput shape', () => conv2dBackward(x4, x4, w4), 'SHAPE', /gradOutput: expected the forward output's shape \[1, 2, 2\]/],
  [
    'working memory beyond 4 GiB',
    () => convolve2d({ data: new Float32Array(40000), shape: [1, 40000] }, { data: new Float32Array(40000), shape: [40000, 1] }),
    'TOO_LARGE',
    /expected at most 4294967296 bytes/,
  ],
];

for (const backend of BACKENDS) {
  describe(`errors on ${backend}`, () => {
    useBackend(backend);

    for (const [name, call, code, message] of bad) {
      test(name, () => {
        let error: unknown;
        try {
          call();
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(SimdconvError);
        expect(error).toBeInstanceOf(Error);
        expect((error as SimdconvError).code).toBe(code);
        expect((error as SimdconvError).message).toMatch(message);
        // The library stays usable: the next call works and returns the right thing.
        expect(Array.from(correlate2d([[1, 2], [3, 4]], [[1]], { mode: 'valid' }).data)).toEqual([1, 2, 3, 4]);
      });
    }

    test('a failed call mutates nothing', () => {
      const img = { data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), shape: [2, 4] };
      const ker = { data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), shape: [3, 3] };
      expect(() => correlate2d(img, ker, { mode: 'valid' })).toThrow(SimdconvError);
      expect(() => convolve2d(img, ker, { boundary: 'nope' as never })).toThrow(SimdconvError);
      expect(Array.from(img.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(Array.from(ker.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(img.shape).toEqual([2, 4]);
      const x = { data: x4.data.slice(), shape: [2, 3, 3] };
      const w = { data: w4.data.slice(), shape: [1, 2, 2, 2] };
      expect(() => conv2d(x, w, { padding: 'same', stride: 2 })).toThrow(SimdconvError);
      expect(() => conv2dBackward(x, x, w)).toThrow(SimdconvError);
      expect(Array.from(x.data)).toEqual(Array.from(x4.data));
      expect(Array.from(w.data)).toEqual(Array.from(w4.data));
    });
  });
}
