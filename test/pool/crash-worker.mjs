// A pool worker for the crash test: the real one, which exits (as a worker out of memory would)
// when asked to correlate with fillvalue 1234567 (crash-first.mjs wraps its message handler).
import './crash-first.mjs';
import '../../dist/worker.js';
