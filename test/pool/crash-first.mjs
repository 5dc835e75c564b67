// Evaluated before the real worker: its 'message' handler is wrapped so that the poisoned call
// ends the thread before it is answered.
import { parentPort } from 'node:worker_threads';

const on = parentPort.on.bind(parentPort);
parentPort.on = (event, handler) =>
  on(event, event !== 'message' ? handler : (m) => (m?.task?.kind === 'call' && m.task.args?.[2]?.fillvalue === 1234567 ? process.exit(3) : handler(m)));
