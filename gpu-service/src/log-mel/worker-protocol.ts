/**
 * Messages between WorkerPool (main thread) and a worker, plus the worker-side loop.
 * A worker handles one job at a time, so replies need no ids.
 */
import { parentPort } from 'node:worker_threads';

export type WorkerReply<Out> =
  | { kind: 'ready' }
  | { kind: 'done'; value: Out }
  | { kind: 'failed'; message: string; details?: Record<string, unknown> };

export interface HandlerResult<Out> {
  value: Out;
  /** Buffers to move (not copy) back to the main thread. */
  transfer?: ArrayBuffer[];
}

/**
 * Runs in a worker: answers each message with the handler's result (sync or async; one job at a time),
 * and says it is ready once `ready` settles — a worker that must load something first reports a failed
 * load as its first reply, and the pool's start fails with it.
 */
export function serveJobs<In, Out>(
  handler: (input: In) => HandlerResult<Out> | Promise<HandlerResult<Out>>,
  ready: Promise<unknown> = Promise.resolve(),
): void {
  const port = parentPort;
  if (!port) throw new Error('serveJobs must run inside a worker thread');
  const reply = (message: WorkerReply<Out>, transfer: ArrayBuffer[] = []) =>
    port.postMessage(message, transfer);
  // An error's own fields (an ApiError's status, code, param) go along: its class cannot.
  const failed = (error: unknown) =>
    reply({
      kind: 'failed',
      message: error instanceof Error ? error.message : String(error),
      ...(error instanceof Error ? { details: { ...error, name: error.name } } : {}),
    });
  port.on('message', (input: In) => {
    try {
      const result = handler(input);
      if (result instanceof Promise)
        result.then(({ value, transfer }) => reply({ kind: 'done', value }, transfer), failed);
      else reply({ kind: 'done', value: result.value }, result.transfer);
    } catch (error) {
      failed(error);
    }
  });
  ready.then(
    () => reply({ kind: 'ready' }),
    (error: unknown) => {
      // Thrown, it ends the worker: its exit makes the pool's start fail with this message.
      throw error instanceof Error ? error : new Error(String(error));
    },
  );
}
