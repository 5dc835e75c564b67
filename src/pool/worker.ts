// The pool's worker: Node worker_threads or a browser Web Worker. It waits for its Wasm, takes
// the backend the pool's creator runs on, and then answers one task per message.
import { ready, setBackend } from '../runtime/backend';
import type { BackendName } from '../runtime/abi';
import { errorReply, runTask, transferables, type Reply, type Task } from './tasks';

interface Port {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  on?(event: 'message', f: (data: unknown) => void): void;
  addEventListener?(event: 'message', f: (e: { data: unknown }) => void): void;
}

type NodeWorkerThreads = { parentPort: Port | null };
const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:worker_threads') as NodeWorkerThreads | undefined;
const port: Port = node?.parentPort ?? (globalThis as unknown as Port);

function listen(f: (data: unknown) => void): void {
  if (port.on) port.on('message', f);
  else port.addEventListener?.('message', (e) => f(e.data));
}

type Message = { start: BackendName } | { id: number; task: Task };

listen(async (data) => {
  const message = data as Message;
  if ('start' in message) {
    await ready();
    let reply: Reply;
    try {
      // The backend the pool's creator was on: results are identical only on the same one.
      setBackend(message.start);
      reply = { ok: true, value: message.start };
    } catch (e) {
      reply = errorReply(e);
    }
    port.postMessage({ id: -1, reply });
    return;
  }
  let reply: Reply;
  try {
    const { value, route } = runTask(message.task);
    reply = { ok: true, value, route };
  } catch (e) {
    reply = errorReply(e);
  }
  port.postMessage({ id: message.id, reply }, reply.ok ? transferables(reply.value) : []);
});
