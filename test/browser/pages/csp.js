// Runs under the Content-Security-Policy the server sends with this page: strict (script-src
// 'self') or with 'wasm-unsafe-eval'. The page's result goes to window.__result.
import * as simdconv from '/dist/index.js';
import { checks } from './checks.js';

const before = checks(simdconv);
let readyError = null;
let backend = null;
try {
  backend = await simdconv.ready();
} catch (e) {
  readyError = String(e);
}
let setBackendError = null;
try {
  simdconv.setBackend('wasm-simd');
} catch (e) {
  setBackendError = { name: e.name, code: e.code, message: e.message };
}
window.__result = { before, backend, readyError, setBackendError, features: simdconv.features(), after: checks(simdconv) };
