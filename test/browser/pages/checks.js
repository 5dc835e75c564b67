// What every package test page runs: the impulse example both ways, on whatever backend it is
// on, and a Sobel response; the result goes to window.__result (or to the worker's parent).
export function checks(simdconv) {
  const { convolve2d, correlate2d, filter2d, kernels, unitImpulse, getBackend } = simdconv;
  const impulse = unitImpulse([3, 3], 'mid');
  const k = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
  const image = { data: new Uint8ClampedArray([0, 200, 0, 0, 0, 200, 0, 0, 0, 200, 0, 0]), width: 4, height: 3, channels: 1 };
  return {
    backend: getBackend(),
    convolve: Array.from(convolve2d(impulse, k, { mode: 'same' }).data),
    correlate: Array.from(correlate2d(impulse, k, { mode: 'same' }).data),
    sobel: Array.from(filter2d(image, kernels.sobelX, { ddepth: 'int16' }).data),
  };
}
