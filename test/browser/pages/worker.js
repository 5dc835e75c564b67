// A module Web Worker that imports the package bundle directly (no bundler, no import map).
import * as simdconv from '/dist/index.js';
import { checks } from './checks.js';

const backend = await simdconv.ready();
postMessage({ backend, ...checks(simdconv) });
