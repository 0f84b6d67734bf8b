/**
 * Messages between WorkerPool (main thread) and a worker, plus the worker-side loop.
 * A worker handles one job at a time, so replies need no ids.
 */
import { parentPort } from 'node:worker_threads';

export type WorkerReply<Out> =
  | { kind: 'ready' }
  | { kind: 'done'; value: Out }
  | { kind: 'failed'; message: string };

export interface HandlerResult<Out> {
  value: Out;
  /** Buffers to move (not copy) back to the main thread. */
  transfer?: ArrayBuffer[];
}

/** Runs in a worker: answers each message with the handler's result, then says it is ready. */
export function serveJobs<In, Out>(handler: (input: In) => HandlerResult<Out>): void {
  const port = parentPort;
  if (!port) throw new Error('serveJobs must run inside a worker thread');
  const reply = (message: WorkerReply<Out>, transfer: ArrayBuffer[] = []) =>
    port.postMessage(message, transfer);
  port.on('message', (input: In) => {
    try {
      const { value, transfer } = handler(input);
      reply({ kind: 'done', value }, transfer);
    } catch (error) {
      reply({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  });
  reply({ kind: 'ready' });
}
