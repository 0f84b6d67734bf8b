/**
 * Messages between WorkerPool (main thread) and a worker, plus the worker-side loop. Jobs and their
 * replies carry an id: a worker may be given several jobs at once (the engine's, which share its
 * decoder batch), and answers them in the order they finish.
 */
import { parentPort } from 'node:worker_threads';

export type WorkerReply<Out> =
  | { kind: 'ready' }
  | { kind: 'done'; id: number; value: Out }
  | { kind: 'failed'; id: number; message: string; details?: Record<string, unknown> };

export interface WorkerJob<In> {
  id: number;
  input: In;
}

export interface HandlerResult<Out> {
  value: Out;
  /** Buffers to move (not copy) back to the main thread. */
  transfer?: ArrayBuffer[];
}

/**
 * Runs in a worker: answers each job with the handler's result (sync or async; an async handler may
 * have several jobs in hand when the pool gives it more than one),
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
  const failed = (id: number, error: unknown) =>
    reply({
      kind: 'failed',
      id,
      message: error instanceof Error ? error.message : String(error),
      ...(error instanceof Error ? { details: { ...error, name: error.name } } : {}),
    });
  port.on('message', ({ id, input }: WorkerJob<In>) => {
    try {
      const result = handler(input);
      if (result instanceof Promise)
        result.then(
          ({ value, transfer }) => reply({ kind: 'done', id, value }, transfer),
          (error: unknown) => failed(id, error),
        );
      else reply({ kind: 'done', id, value: result.value }, result.transfer);
    } catch (error) {
      failed(id, error);
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
