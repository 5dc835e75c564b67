// One table of bad inputs across every export, on every backend. Each must throw a SimdconvError
// with the documented code and a message that names the argument and shows the bad value; the
// inputs must be unchanged, compute memory must not have grown, and the next valid call must
// still be right.
import { describe, expect, test } from 'vitest';
import * as s from '../../src/index';
import { current } from '../../src/runtime/backend';
import { BACKENDS, useBackend } from '../helpers/backends';

type Code = s.ErrorCode;
/** [name, call, code, the argument the message names, what it shows of the bad value] */
type Case = [string, () => unknown, Code, string, string | RegExp];

const f32 = (n: number) => Float32Array.from({ length: n }, (_, i) => ((i * 7) % 11) - 5);
const img = { data: f32(48), shape: [6, 8] };
const k3 = { data: f32(9), shape: [3, 3] };
const x4 = { data: f32(2 * 5 * 5), shape: [1, 2, 5, 5] };
const w4 = { data: f32(3 * 2 * 9), shape: [3, 2, 3, 3] };
const x1 = { data: f32(2 * 9), shape: [1, 2, 9] };
const w1 = { data: f32(3 * 2 * 3), shape: [3, 2, 3] };
const rgba = { data: new Uint8ClampedArray(6 * 5 * 4).map((_, i) => i), width: 6, height: 5 };
const g4 = { data: f32(3 * 9), shape: [1, 3, 3, 3] };
/** conv2d(x4, w4)'s shape, for the backward pass's gradOutput. */
const grad = { data: f32(3 * 9), shape: [1, 3, 3, 3] };

/** Every input above, with a copy to prove nothing was written. */
const inputs = [img, k3, x4, w4, x1, w1, rgba, g4, grad];
const copies = inputs.map((t) => t.data.slice());

function detached(): Float32Array {
  const a = new Float32Array(4);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
}

/** Bad tensors: [label, value, code, what the message shows]. */
const BAD_TENSORS: [string, unknown, Code, string | RegExp][] = [
  ['null', null, 'DTYPE', 'null'],
  ['a string', 'abc', 'DTYPE', '"abc"'],
  ['a boolean', true, 'DTYPE', 'true'],
  ['a plain object', { rows: 2 }, 'DTYPE', 'an object'],
  ['data shorter than its shape', { data: [1, 2, 3], shape: [2, 2] }, 'SHAPE', 'got 3'],
  ['a NaN in the shape', { data: [1, 2], shape: [Number.NaN, 2] }, 'SHAPE', '[NaN, 2]'],
  ['a fractional shape', { data: [1, 2], shape: [2.5] }, 'SHAPE', '[2.5]'],
  ['a negative shape', { data: [1, 2], shape: [-2] }, 'SHAPE', '[-2]'],
  ['ragged nested arrays', [[1, 2], [3]], 'SHAPE', '[3]'],
  ['a string inside nested arrays', [[1, 'a']], 'DTYPE', '"a"'],
  ['a BigInt64Array', { data: new BigInt64Array(4), shape: [2, 2] }, 'DTYPE', 'BigInt64Array'],
  ['a detached buffer', { data: detached(), shape: [2, 2] }, 'SHAPE', 'got 0'],
];

/** Where a tensor goes, per export: [function, argument name, call with the bad value]. */
const TENSOR_SLOTS: [string, string, (v: unknown) => unknown][] = [
  ['convolve2d', 'in1', (v) => s.convolve2d(v as never, k3)],
  ['correlate2d', 'in2', (v) => s.correlate2d(img, v as never)],
  ['convolve', 'in1', (v) => s.convolve(v as never, k3)],
  ['correlate', 'in2', (v) => s.correlate(img, v as never)],
  ['fftconvolve', 'in1', (v) => s.fftconvolve(v as never, k3)],
  ['oaconvolve', 'in2', (v) => s.oaconvolve(img, v as never)],
  ['chooseConvMethod', 'in1', (v) => s.chooseConvMethod(v as never, k3)],
  ['conv2d', 'input', (v) => s.conv2d(v as never, w4)],
  ['conv2d', 'weight', (v) => s.conv2d(x4, v as never)],
  ['conv1d', 'weight', (v) => s.conv1d(x1, v as never)],
  ['convTranspose2d', 'input', (v) => s.convTranspose2d(v as never, w4)],
  ['conv2dBackward', 'gradOutput', (v) => s.conv2dBackward(v as never, x4, w4)],
  ['maxPool2d', 'input', (v) => s.maxPool2d(v as never, { kernelSize: 2 })],
  ['avgPool2d', 'input', (v) => s.avgPool2d(v as never, { kernelSize: 2 })],
  ['filter2d', 'kernel', (v) => s.filter2d(rgba, v as never)],
  ['sepFilter2d', 'kernelY', (v) => s.sepFilter2d(rgba, [1, 2, 1], v as never)],
  ['flip', 't', (v) => s.flip(v as never)],
  ['trace', 'kernel', (v) => s.trace(img, v as never, [0, 0])],
  ['toNested', 't', (v) => s.toNested(v as never)],
];

const cases: Case[] = [];
for (const [fn, arg, call] of TENSOR_SLOTS) {
  for (const [label, value, code, shows] of BAD_TENSORS) {
    // toNested takes tensors only: nested arrays are not tensors there.
    const nested = Array.isArray(value);
    if (fn === 'toNested' && nested) continue;
    cases.push([`${fn} ${arg}: ${label}`, () => call(value), code, arg, shows]);
  }
}

// Unknown option names, with the right one suggested where it is close.
const UNKNOWN: [string, () => unknown, string, string | RegExp][] = [
  ['correlate2d Mode', () => s.correlate2d(img, k3, { Mode: 'valid' } as never), 'options.Mode', /"Mode": did you mean 'mode'\?/],
  ['convolve boundary', () => s.convolve(img, k3, { boundary: 'wrap' } as never), 'options.boundary', /zero-pad/],
  ['convolve fillvalue', () => s.convolve(img, k3, { fillvalue: 1 } as never), 'options.fillvalue', /zero-pad/],
  ['convTranspose2d paddingMode', () => s.convTranspose2d(x4, { data: f32(2 * 3 * 9), shape: [2, 3, 3, 3] }, { paddingMode: 'reflect' } as never), 'options.paddingMode', /zeros only/],
  ['filter2d borderType', () => s.filter2d(rgba, k3, { borderType: 'constant' } as never), 'options.borderType', /simdconv calls it 'border'/],
  ['conv2d padding_mode', () => s.conv2d(x4, w4, { padding_mode: 'reflect' } as never), 'options.padding_mode', /did you mean 'paddingMode'\?/],
  ['maxPool2d kernel_size', () => s.maxPool2d(x4, { kernelSize: 2, kernel_size: 2 } as never), 'options.kernel_size', /did you mean 'kernelSize'\?/],
  ['avgPool2d count_include_pad', () => s.avgPool2d(x4, { kernelSize: 2, count_include_pad: false } as never), 'options.count_include_pad', /'countIncludePad'/],
  ['fftconvolve axis', () => s.fftconvolve(img, k3, { axis: 0 } as never), 'options.axis', /simdconv calls it 'axes'/],
  ['conv2d strides', () => s.conv2d(x4, w4, { strides: 2 } as never), 'options.strides', /did you mean 'stride'\?/],
  ['conv1d groupz', () => s.conv1d(x1, w1, { groupz: 1 } as never), 'options.groupz', /'groups'/],
  ['conv2dBackward out', () => s.conv2dBackward(grad, x4, w4, { out: new Float32Array(1) } as never), 'options.out', /got an option named "out"/],
  ['sepFilter2d ddepht', () => s.sepFilter2d(rgba, [1], [1], { ddepht: 'int16' } as never), 'options.ddepht', /'ddepth'/],
  ['trace strid', () => s.trace(img, k3, [0, 0], { strid: 2 } as never), 'options.strid', /'stride'/],
  ['chooseConvMethod method', () => s.chooseConvMethod(img, k3, { method: 'fft' } as never), 'options.method', /got an option named "method"/],
  ['unitImpulse a string for options', () => s.unitImpulse([3], 0, 'float32' as never), 'options', '"float32"'],
  ['unitImpulse unknown option', () => s.unitImpulse([3], 0, { type: 'float32' } as never), 'options.type', /got an option named "type"/],
  ['flip unknown option', () => s.flip(img, 0, { dtyp: 'float32' } as never), 'options.dtyp', /'dtype'/],
  ['outputShape conv2d unknown option', () => s.outputShape('conv2d', [1, 2, 5, 5], [3, 2, 3, 3], { pad: 1 }), 'options.pad', /got an option named "pad"/],
  ['paramCount unknown field', () => s.paramCount({ inChannels: 1, outChannels: 1, kernelSize: 3, kernel: 3 } as never), 'layer.kernel', /'kernelSize'/],
  ['receptiveField unknown field', () => s.receptiveField([{ kernelSize: 3, strides: 2 } as never]), 'layers[0].strides', /'stride'/],
];
for (const [name, call, arg, shows] of UNKNOWN) cases.push([`unknown option: ${name}`, call, 'OPTION', arg, shows]);

// Values: bad option values, sizes and geometry.
const VALUES: Case[] = [
  ['toNested null', () => s.toNested(null as never), 'DTYPE', 't', 'null'],
  ['toNested a string', () => s.toNested('abc' as never), 'DTYPE', 't', '"abc"'],
  ['toNested data shorter than its shape', () => s.toNested({ data: [1, 2, 3], shape: [2, 2] }), 'SHAPE', 't.data', 'got 3'],
  ['toNested a million-sample shape on one sample', () => s.toNested({ data: [1], shape: [1000, 1000] }), 'SHAPE', 't.data', 'got 1'],
  ['toNested a shape beyond memory', () => s.toNested({ data: [1], shape: [100000, 100000] }), 'TOO_LARGE', 't', '10000000000 elements'],
  ['gaussianKernel1d -1', () => s.gaussianKernel1d(-1), 'OPTION', 'size', 'got -1'],
  ['gaussianKernel1d 2.5', () => s.gaussianKernel1d(2.5), 'OPTION', 'size', 'got 2.5'],
  ['gaussianKernel1d NaN', () => s.gaussianKernel1d(Number.NaN), 'OPTION', 'size', 'got NaN'],
  ['gaussianKernel1d 0', () => s.gaussianKernel1d(0), 'OPTION', 'size', 'got 0'],
  ["gaussianKernel1d '5'", () => s.gaussianKernel1d('5' as never), 'OPTION', 'size', 'got "5"'],
  ["gaussianKernel1d sigma 'wide'", () => s.gaussianKernel1d(5, 'wide' as never), 'OPTION', 'sigma', 'got "wide"'],
  ['gaussianKernel1d huge', () => s.gaussianKernel1d(2 ** 40), 'TOO_LARGE', 'size', 'elements'],
  ['kernels.box 100000', () => s.kernels.box(100000), 'TOO_LARGE', 'size', '10000000000 elements'],
  ['kernels.box 0', () => s.kernels.box(0), 'OPTION', 'size', 'got 0'],
  ['kernels.gaussian 1.5', () => s.kernels.gaussian(1.5), 'OPTION', 'size', 'got 1.5'],
  ['kernels.gaussian 100000', () => s.kernels.gaussian(100000), 'TOO_LARGE', 'size', '10000000000 elements'],
  ['unitImpulse [100000, 100000]', () => s.unitImpulse([100000, 100000]), 'TOO_LARGE', 'result', '10000000000 elements'],
  ['unitImpulse empty shape', () => s.unitImpulse([]), 'SHAPE', 'shape', '[]'],
  ['unitImpulse index a string', () => s.unitImpulse([3], 'end' as never), 'OPTION', 'idx', '"end"'],
  ['flip an empty array', () => s.flip([]), 'SHAPE', 't', 'shape [0]'],
  ['flip axis out of range', () => s.flip(img, 5), 'OPTION', 'axis', 'got 5'],
  ['paramCount kernelSize []', () => s.paramCount({ inChannels: 3, outChannels: 8, kernelSize: [] }), 'OPTION', 'layer.kernelSize', '[]'],
  ['paramCount kernelSize [3, 3, 3]', () => s.paramCount({ inChannels: 3, outChannels: 8, kernelSize: [3, 3, 3] }), 'OPTION', 'layer.kernelSize', '[3, 3, 3]'],
  ['paramCount groups not dividing', () => s.paramCount({ inChannels: 3, outChannels: 8, kernelSize: 3, groups: 2 }), 'OPTION', 'layer.groups', 'got 2'],
  ['receptiveField not an array', () => s.receptiveField({} as never), 'OPTION', 'layers', 'an object'],
  ["conv2dBackward bias 'yes'", () => s.conv2dBackward(grad, x4, w4, { bias: 'yes' as never }), 'DTYPE', 'options.bias', '"yes"'],
  ['conv2dBackward bias of the wrong length', () => s.conv2dBackward(grad, x4, w4, { bias: [1, 2] }), 'SHAPE', 'options.bias', 'shape [2]'],
  ['conv2d padding 40000', () => s.conv2d(x4, w4, { padding: 40000 }), 'TOO_LARGE', 'result', 'bytes'],
  ['conv2d padding 16500', () => s.conv2d(x4, w4, { padding: 16500 }), 'TOO_LARGE', 'result', 'bytes'],
  ['conv1d padding 3e9', () => s.conv1d(x1, w1, { padding: 3e9 }), 'TOO_LARGE', 'result', 'bytes'],
  ['convTranspose2d stride 100000', () => s.convTranspose2d(x4, { data: f32(2 * 3 * 9), shape: [2, 3, 3, 3] }, { stride: 100000 }), 'TOO_LARGE', 'result', 'bytes'],
  ['conv2d a padded input beyond memory', () => s.conv2d({ data: f32(5000), shape: [1, 5000, 1, 1] }, { data: f32(5000), shape: [1, 5000, 1, 1] }, { padding: 500 }), 'TOO_LARGE', 'input', 'bytes'],
  ['conv2d stride 0', () => s.conv2d(x4, w4, { stride: 0 }), 'OPTION', 'options.stride', 'got 0'],
  ['conv2d stride NaN', () => s.conv2d(x4, w4, { stride: Number.NaN }), 'OPTION', 'options.stride', 'got NaN'],
  ['conv2d stride 1.5', () => s.conv2d(x4, w4, { stride: 1.5 }), 'OPTION', 'options.stride', 'got 1.5'],
  ['conv2d dilation [1, -1]', () => s.conv2d(x4, w4, { dilation: [1, -1] }), 'OPTION', 'options.dilation', '[1, -1]'],
  ['conv2d groups 0', () => s.conv2d(x4, w4, { groups: 0 }), 'OPTION', 'options.groups', 'got 0'],
  ["conv2d groups '2'", () => s.conv2d(x4, w4, { groups: '2' as never }), 'OPTION', 'options.groups', 'got "2"'],
  ['conv2d layout NCWH', () => s.conv2d(x4, w4, { layout: 'NCWH' as never }), 'OPTION', 'options.layout', '"NCWH"'],
  ['conv2d dtype int8', () => s.conv2d(x4, w4, { dtype: 'int8' as never }), 'OPTION', 'options.dtype', '"int8"'],
  ['conv2d bias a string', () => s.conv2d(x4, w4, { bias: 'b' as never }), 'DTYPE', 'options.bias', '"b"'],
  ['conv2d options an array', () => s.conv2d(x4, w4, [1] as never), 'OPTION', 'options', '[1]'],
  ['conv2d a 5-D input', () => s.conv2d({ data: f32(2), shape: [1, 1, 1, 1, 2] }, w4), 'SHAPE', 'input', 'shape [1, 1, 1, 1, 2]'],
  ['conv2d a weight of rank 3', () => s.conv2d(x4, { data: f32(6), shape: [3, 2, 1] }), 'SHAPE', 'weight', 'shape [3, 2, 1]'],
  ['conv1d a 4-D input', () => s.conv1d(x4, w1), 'SHAPE', 'input', 'shape [1, 2, 5, 5]'],
  ['convTranspose2d outputPadding 5', () => s.convTranspose2d(x4, { data: f32(2 * 3 * 9), shape: [2, 3, 3, 3] }, { outputPadding: 5, stride: 2 }), 'OPTION', 'options.outputPadding', 'got 5'],
  ['maxPool2d kernelSize 0', () => s.maxPool2d(x4, { kernelSize: 0 }), 'OPTION', 'options.kernelSize', 'got 0'],
  ['maxPool2d returnIndices 1', () => s.maxPool2d(x4, { kernelSize: 2, returnIndices: 1 as never }), 'OPTION', 'options.returnIndices', 'got 1'],
  ['avgPool2d divisorOverride 0', () => s.avgPool2d(x4, { kernelSize: 2, divisorOverride: 0 }), 'OPTION', 'options.divisorOverride', 'got 0'],
  ['avgPool2d divisorOverride 1.5', () => s.avgPool2d(x4, { kernelSize: 2, divisorOverride: 1.5 }), 'OPTION', 'options.divisorOverride', 'got 1.5'],
  ['avgPool2d ceilMode a string', () => s.avgPool2d(x4, { kernelSize: 2, ceilMode: 'yes' as never }), 'OPTION', 'options.ceilMode', '"yes"'],
  ['correlate2d mode same-ish', () => s.correlate2d(img, k3, { mode: 'Same' as never }), 'OPTION', 'options.mode', '"Same"'],
  ['correlate2d boundary reflect', () => s.correlate2d(img, k3, { boundary: 'reflect' as never }), 'OPTION', 'options.boundary', '"reflect"'],
  ['correlate2d fillvalue a string', () => s.correlate2d(img, k3, { fillvalue: '0' as never }), 'OPTION', 'options.fillvalue', '"0"'],
  ['correlate2d out of the wrong length', () => s.correlate2d(img, k3, { out: new Float32Array(3) }), 'OPTION', 'options.out', 'Float32Array of length 3'],
  ['correlate2d a 3-D input', () => s.correlate2d({ data: f32(8), shape: [2, 2, 2] }, k3), 'SHAPE', 'in1', '[2, 2, 2]'],
  ['convolve method slow', () => s.convolve(img, k3, { method: 'slow' as never }), 'OPTION', 'options.method', '"slow"'],
  ['convolve a 4-D input', () => s.convolve({ data: f32(16), shape: [2, 2, 2, 2] }, { data: f32(16), shape: [2, 2, 2, 2] }), 'SHAPE', 'in1', '[2, 2, 2, 2]'],
  ['fftconvolve axes out of range', () => s.fftconvolve(img, k3, { axes: 3 }), 'OPTION', 'options.axes', 'got 3'],
  ['filter2d border sideways', () => s.filter2d(rgba, k3, { border: 'sideways' as never }), 'OPTION', 'options.border', '"sideways"'],
  ['filter2d anchor outside', () => s.filter2d(rgba, k3, { anchor: [3, 0] }), 'OPTION', 'options.anchor', '[3, 0]'],
  ['filter2d anchor fractional', () => s.filter2d(rgba, k3, { anchor: [0.5, 0] }), 'OPTION', 'options.anchor', '[0.5, 0]'],
  ['filter2d ddepth int8', () => s.filter2d(rgba, k3, { ddepth: 'int8' as never }), 'OPTION', 'options.ddepth', '"int8"'],
  ['filter2d alpha drop', () => s.filter2d(rgba, k3, { alpha: 'drop' as never }), 'OPTION', 'options.alpha', '"drop"'],
  ['filter2d delta a string', () => s.filter2d(rgba, k3, { delta: '1' as never }), 'OPTION', 'options.delta', '"1"'],
  ['filter2d image width 0', () => s.filter2d({ data: new Uint8ClampedArray(4), width: 0, height: 1 }, k3), 'SHAPE', 'image.width', 'got 0'],
  ['filter2d image data the wrong length', () => s.filter2d({ data: new Uint8ClampedArray(5), width: 2, height: 1 }, k3), 'SHAPE', 'image.data', 'length 5'],
  ['filter2d image data Int32Array', () => s.filter2d({ data: new Int32Array(4), width: 2, height: 2 } as never, k3), 'DTYPE', 'image.data', 'Int32Array'],
  ['filter2d out the wrong type', () => s.filter2d(rgba, k3, { out: new Float32Array(120) }), 'OPTION', 'options.out', 'Float32Array of length 120'],
  ['sepFilter2d a 2-D kernelX', () => s.sepFilter2d(rgba, k3, [1]), 'SHAPE', 'kernelX', 'shape [3, 3]'],
  ['trace cell outside', () => s.trace(img, k3, [10, 0]), 'OPTION', 'cell', '[10, 0]'],
  ['outputShape unknown op', () => s.outputShape('conv3d' as never, [1], [1]), 'OPTION', 'op', '"conv3d"'],
  ['outputShape a NaN in inputShape', () => s.outputShape('conv2d', [1, 2, Number.NaN, 5], [3, 2, 3, 3]), 'SHAPE', 'inputShape', '[1, 2, NaN, 5]'],
  ['setBackend webgpu', () => s.setBackend('webgpu' as never), 'OPTION', 'backend', '"webgpu"'],
  ['kernels.gaussian sigma a string', () => s.kernels.gaussian(5, 'big' as never), 'OPTION', 'sigma', '"big"'],
  ['conv2d a BigInt for stride', () => s.conv2d(x4, w4, { stride: 1n as never }), 'OPTION', 'options.stride', 'got 1n'],
];
cases.push(...VALUES);

const MEMORY_BACKENDS = BACKENDS;

test('the table has at least 150 bad inputs', () => {
  expect(cases.length).toBeGreaterThanOrEqual(150);
});

for (const backend of MEMORY_BACKENDS) {
  describe(`bad inputs on ${backend}`, () => {
    useBackend(backend);
    const want = () => Array.from(s.correlate2d([[1, 2], [3, 4]], [[1, 0], [0, -1]], { mode: 'valid' }).data);

    test.each(cases)('%s', (_name, call, code, arg, shows) => {
      // Warm the arena with the check call, so growth below is the bad call's.
      const expected = want();
      const memory = current().arena.byteLength;
      let error: unknown;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(s.SimdconvError);
      const e = error as s.SimdconvError;
      expect(e.code).toBe(code);
      // The argument, named as a word of its own ("in1", "options.mode", "layers[0].stride").
      const named = new RegExp(`(^|[^\\w.])${arg.replace(/[.[\]]/g, '\\$&')}(?![\\w])`);
      expect(e.message).toMatch(named);
      if (typeof shows === 'string') expect(e.message).toContain(shows);
      else expect(e.message).toMatch(shows);
      expect(current().arena.byteLength).toBe(memory);
      inputs.forEach((t, i) => expect(Array.from(t.data)).toEqual(Array.from(copies[i])));
      expect(want()).toEqual(expected);
    });
  });
}
