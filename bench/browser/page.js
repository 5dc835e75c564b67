// The grid (bench/workloads.mjs) in the page: simdconv on relaxed SIMD (Chromium runs it) and on
// the plain build (and, with ?threads=N above 1, its pool of N workers), against opencv.js,
// tfjs-backend-wasm and onnxruntime-web with ?threads=N threads each (they fix their thread count when they start, so each count is a page load of its
// own). The result goes to window.__grid for bench/browser.mjs.
import * as simdconv from 'simdconv';
import { Bench } from 'tinybench';
import * as tf from '@tensorflow/tfjs-core';
import * as tfWasm from '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-web';
import { convModel } from '/bench/onnx.mjs';
import { makeWorkloads, runGrid } from '/bench/workloads.mjs';

const params = new URLSearchParams(location.search);
const threads = Number(params.get('threads') ?? 1);
const rounds = Number(params.get('rounds') ?? 5);
const time = Number(params.get('time') ?? 200);
const only = (params.get('only') ?? '').split(',').filter(Boolean);
const log = (line) => (document.getElementById('log').textContent += `\n${line}`);

async function openCvReady() {
  // The Emscripten module is a thenable that resolves to itself, so it is never awaited nor
  // returned from an async function (either would chase its then() forever).
  for (let waited = 0; !globalThis.cv?.Mat; waited += 20) {
    if (waited > 60000) throw new Error('opencv.js did not initialise in 60 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

try {
  await simdconv.ready();
  await openCvReady();
  const cv = globalThis.cv;
  tfWasm.setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  tfWasm.setThreadsCount(threads);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads > 1 && crossOriginIsolated);
  await tf.setBackend('wasm');
  await tf.ready();
  ort.env.wasm.wasmPaths = '/node_modules/onnxruntime-web/dist/';
  ort.env.wasm.numThreads = threads;
  ort.env.logLevel = 'error';
  const ortPeer = {
    async conv(spec) {
      const session = await ort.InferenceSession.create(convModel(spec), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
      return async (x) => (await session.run({ X: new ort.Tensor('float32', x, spec.x) })).Y.data;
    },
  };
  const f = simdconv.features();
  const hasRelaxed = f.relaxedSimd && simdconv.getBackend() === 'wasm-relaxed-simd';
  // With threads, simdconv's pool of as many workers (plain SIMD, as the single-thread column it is compared with).
  let pool = null;
  if (threads > 1) {
    const start = simdconv.getBackend();
    simdconv.setBackend('wasm-simd');
    pool = await simdconv.createPool({ threads });
    simdconv.setBackend(start);
  }
  const workloads = makeWorkloads({ simdconv, cv, tf, ort: ortPeer, hasRelaxed, pool }).filter((w) => !only.length || only.includes(w.name));
  const results = await runGrid({ workloads, Bench, setBackend: simdconv.setBackend, rounds, time, log });
  window.__grid = {
    results,
    meta: {
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      crossOriginIsolated,
      threads,
      features: f,
      backend: hasRelaxed ? 'wasm-relaxed-simd' : 'wasm-simd',
      tfjs: { version: tf.version_core, threads: tfWasm.getThreadsCount() },
      ort: { version: ort.env.versions?.web ?? '', threads: ort.env.wasm.numThreads },
      pool: pool ? { threads: pool.threads, mode: pool.mode } : null,
      opencv: cv.getBuildInformation ? cv.getBuildInformation().match(/OpenCV ([\d.]+)/)?.[1] ?? '' : '',
    },
  };
} catch (e) {
  window.__grid = { error: String(e && e.stack ? e.stack : e) };
}
