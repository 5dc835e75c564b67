// The pool's worker: Node worker_threads or a browser Web Worker. It waits for its Wasm, takes
// the backend the pool's creator runs on, and then answers one task per message. A blocking
// pool (Node) hands it a port of its own and it stays awake a little after each task, polling
// that port, so the next call's task starts without waking a sleeping thread.
import { ready, setBackend } from '../runtime/backend';
import type { BackendName } from '../runtime/abi';
import { errorReply, runTask, transferables, type Reply, type Task } from './tasks';

interface Port {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  on?(event: 'message', f: (data: unknown) => void): void;
  addEventListener?(event: 'message', f: (e: { data: unknown }) => void): void;
}

type NodeWorkerThreads = { parentPort: Port | null; receiveMessageOnPort(port: Port): { message: unknown } | undefined };
const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:worker_threads') as NodeWorkerThreads | undefined;
let port: Port = node?.parentPort ?? (globalThis as unknown as Port);
/** Set once a blocking pool's port arrives: tasks are then polled for this long after each one. */
let awakeMs = 0;

function listen(on: Port, f: (data: unknown) => void): void {
  if (on.on) on.on('message', f);
  else on.addEventListener?.('message', (e) => f(e.data));
}

type Message = { start: BackendName } | { id: number; task: Task } | { port: Port; awakeMs: number };

function answer(message: { id: number; task: Task }): void {
  let reply: Reply;
  try {
    const { value, route } = runTask(message.task);
    reply = { ok: true, value, route };
  } catch (e) {
    reply = errorReply(e);
  }
  port.postMessage({ id: message.id, reply }, reply.ok ? transferables(reply.value) : []);
}

/** Polls the port until it has been quiet for awakeMs, answering what arrives. */
function stayAwake(): void {
  let until = performance.now() + awakeMs;
  while (performance.now() < until) {
    const next = node!.receiveMessageOnPort(port);
    if (!next) continue;
    answer(next.message as { id: number; task: Task });
    until = performance.now() + awakeMs;
  }
}

async function onMessage(data: unknown): Promise<void> {
  const message = data as Message;
  if ('port' in message) {
    port = message.port;
    awakeMs = message.awakeMs;
    listen(port, onMessage);
    return;
  }
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
  answer(message);
  if (awakeMs > 0) stayAwake();
}

listen(port, onMessage);
