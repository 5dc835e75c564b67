// The libraries a user would pick instead of simdconv, loaded as the grid uses them: opencv.js
// (its filter2D), tfjs-backend-wasm (XNNPACK, single-threaded: its threaded build cannot start
// workers in Node) and onnxruntime-web's Wasm backend (one thread per process, fixed at start).
// Each loader returns null with a reason where the package is missing.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { convModel } from './onnx.mjs';

const require = createRequire(import.meta.url);
const version = (name) => JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url))).version;

export async function loadOpenCv() {
  let cv;
  try {
    cv = require('@techstark/opencv-js');
  } catch (e) {
    return { missing: `@techstark/opencv-js: ${e.message.split('\n')[0]}` };
  }
  if (cv instanceof Promise) cv = await cv;
  // The Emscripten module is a thenable that resolves to itself: never await it.
  for (let waited = 0; !cv.Mat; waited += 10) {
    if (waited > 30000) throw new Error('opencv.js did not initialise in 30 s');
    await new Promise((r) => setTimeout(r, 10));
  }
  return { cv, version: version('@techstark/opencv-js') };
}

export async function loadTfjs() {
  let tf;
  try {
    tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-wasm');
  } catch (e) {
    return { missing: `tfjs: ${e.message.split('\n')[0]}` };
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend('wasm');
  await tf.ready();
  return { tf, version: tf.version_core };
}

export async function loadOrt(threads = 1) {
  let ort;
  try {
    ort = await import('onnxruntime-web');
  } catch (e) {
    return { missing: `onnxruntime-web: ${e.message.split('\n')[0]}` };
  }
  ort.env.wasm.numThreads = threads;
  ort.env.logLevel = 'error';
  return {
    ort,
    version: version('onnxruntime-web'),
    /** An InferenceSession of one Conv node; run(x) resolves to the output's data. */
    async conv(spec) {
      // With threads, its pool's workers stop spinning once a run ends: spinning workers would
      // take the cores the next task in this process is timed on.
      const extra = threads > 1 ? { session: { intra_op: { allow_spinning: '0' } } } : undefined;
      const session = await ort.InferenceSession.create(convModel(spec), { executionProviders: ['wasm'], graphOptimizationLevel: 'all', extra });
      return async (x) => (await session.run({ X: new ort.Tensor('float32', x, spec.x) })).Y.data;
    },
  };
}
