// A pool worker for the blocking pool's crash test: it answers the start message on the port a
// blocking pool hands it, and exits (as a worker out of memory would) on its first task.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (m) => {
  if (!m.port) return;
  m.port.on('message', (message) => {
    if (message.task) process.exit(3);
    m.port.postMessage({ id: -1, reply: { ok: true, value: message.start } });
  });
});
