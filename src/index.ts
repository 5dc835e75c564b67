/**
 * simdconv: 2-D convolution and cross-correlation on WebAssembly SIMD.
 * True convolution rotates the kernel 180° before sliding it; cross-correlation slides it as given.
 */
export { ready, getBackend, setBackend } from './backend';
export type { BackendName } from './kernels';
export { SimdconvError, ErrorCode } from './errors';
export { convolve2d, correlate2d, convolve, correlate } from './signal';
export type { Mode, Boundary, Method, Convolve2dOptions, ConvolveOptions } from './signal';
export { conv2d, conv1d } from './nn';
export { convTranspose2d } from './transpose';
export { conv2dBackward } from './backward';
export { maxPool2d, avgPool2d } from './pool';
export type { MaxPool2dOptions, AvgPool2dOptions } from './pool';
export type { Conv2dBackwardOptions, Conv2dGradients } from './backward';
export type { ConvTranspose2dOptions } from './transpose';
export type { Conv2dOptions, Conv1dOptions } from './nn';
export type { PaddingMode } from './nnOptions';
export { filter2d, sepFilter2d } from './image';
export type { ImageLike, Filter2dOptions, Border } from './image';
export { kernels, gaussianKernel1d } from './gallery';
export { trace, outputShape, paramCount, receptiveField } from './insight';
export type { Trace, TraceOptions, ParamCountOptions, ReceptiveFieldLayer, ReceptiveFieldStep, ShapeOp } from './insight';
export { flip } from './flip';
export { unitImpulse } from './impulse';
export { toNested } from './tensor';
export type { Tensor, TensorLike, FloatArray, NumericArray, NestedArray, DType } from './tensor';
