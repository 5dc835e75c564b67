/**
 * simdconv: 2-D convolution and cross-correlation on WebAssembly SIMD.
 * True convolution rotates the kernel 180° before sliding it; cross-correlation slides it as given.
 */
export { ready, getBackend, setBackend, features } from './runtime/backend';
export { release } from './release';
export type { Features } from './runtime/backend';
export type { BackendName } from './runtime/abi';
export { SimdconvError, ErrorCode } from './core/errors';
export { toNested } from './core/tensor';
export type { Tensor, TensorLike, FloatArray, NumericArray, NestedArray, DType } from './core/tensor';

export { convolve2d, correlate2d, convolve, correlate } from './signal/convolve';
export { fftconvolve, oaconvolve } from './signal/fftconvolve';
export type { FftConvolveOptions } from './signal/fftconvolve';
export { chooseConvMethod } from './signal/method';
export type { Mode, Boundary, Method, Convolve2dOptions, ConvolveOptions } from './signal/convolve';
export { flip } from './signal/flip';
export { unitImpulse } from './signal/impulse';
export { trace } from './signal/trace';
export type { Trace, TraceOptions } from './signal/trace';

export { conv2d, conv1d } from './nn/conv';
export type { Conv2dOptions, Conv1dOptions } from './nn/conv';
export { convTranspose2d } from './nn/convTranspose2d';
export type { ConvTranspose2dOptions } from './nn/convTranspose2d';
export { conv2dBackward } from './nn/backward';
export type { Conv2dBackwardOptions, Conv2dGradients } from './nn/backward';
export { maxPool2d, avgPool2d } from './nn/pool';
export type { MaxPool2dOptions, AvgPool2dOptions, PoolIndices } from './nn/pool';
export { paramCount, receptiveField } from './nn/insight';
export type { ParamCountOptions, ReceptiveFieldLayer, ReceptiveFieldStep } from './nn/insight';
export type { PaddingMode } from './nn/shape';

export { filter2d, sepFilter2d } from './image/filter';
export type { ImageLike, Filter2dOptions, Border } from './image/picture';
export { kernels, gaussianKernel1d } from './image/gallery';

export { outputShape } from './outputShape';
export type { ShapeOp } from './outputShape';

export { createPool } from './pool/lazy';
export type { Pool, PoolOptions, PoolMode, PoolMethods } from './pool/pool';
