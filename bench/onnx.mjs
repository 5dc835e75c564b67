// A one-node ONNX model (Conv, with its weights and bias as initialisers) written as protobuf
// bytes, so the bench can hand onnxruntime-web a conv layer without a model file or Python.
// Field numbers are onnx.proto's (ModelProto, GraphProto, NodeProto, AttributeProto,
// TensorProto, ValueInfoProto, TypeProto).

function varint(n) {
  const out = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}
const key = (field, wire) => varint((field << 3) | wire);
const int = (field, n) => [...key(field, 0), ...varint(n)];
function bytes(field, data) {
  const b = data instanceof Uint8Array ? [...data] : typeof data === 'string' ? [...new TextEncoder().encode(data)] : data;
  return [...key(field, 2), ...varint(b.length), ...b];
}

function tensorType(dims) {
  const shape = dims.flatMap((d) => bytes(1, int(1, d)));
  return bytes(1, [...int(1, 1), ...bytes(2, shape)]); // tensor_type { elem_type FLOAT, shape }
}
const valueInfo = (name, dims) => [...bytes(1, name), ...bytes(2, tensorType(dims))];
function initializer(name, dims, data) {
  return [...dims.flatMap((d) => int(1, d)), ...int(2, 1), ...bytes(8, name), ...bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength))];
}
function intsAttribute(name, values) {
  return [...bytes(1, name), ...int(20, 7), ...values.flatMap((v) => int(8, v))];
}
const intAttribute = (name, v) => [...bytes(1, name), ...int(20, 2), ...int(3, v)];

/**
 * The ONNX model of Y = Conv(X, W, B): X [n, c, h, w], W [oc, c / group, k, k] (Float32Array),
 * B [oc], symmetric padding `pad`, `stride`, `group`; Y's shape is given by the caller.
 */
export function convModel({ x, w, wData, bData, y, pad, stride, group }) {
  const node = [
    ...bytes(1, 'X'), ...bytes(1, 'W'), ...bytes(1, 'B'), ...bytes(2, 'Y'), ...bytes(3, 'conv'), ...bytes(4, 'Conv'),
    ...bytes(5, intsAttribute('kernel_shape', [w[2], w[3]])),
    ...bytes(5, intsAttribute('pads', [pad, pad, pad, pad])),
    ...bytes(5, intsAttribute('strides', [stride, stride])),
    ...bytes(5, intsAttribute('dilations', [1, 1])),
    ...bytes(5, intAttribute('group', group)),
  ];
  const graph = [
    ...bytes(1, node), ...bytes(2, 'g'),
    ...bytes(5, initializer('W', w, wData)), ...bytes(5, initializer('B', [w[0]], bData)),
    ...bytes(11, valueInfo('X', x)), ...bytes(12, valueInfo('Y', y)),
  ];
  return Uint8Array.from([...int(1, 8), ...bytes(8, [...bytes(1, ''), ...int(2, 13)]), ...bytes(7, graph)]);
}
