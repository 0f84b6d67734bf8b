/**
 * A fixed set of worker threads taking jobs from one queue, so CPU-heavy work runs in
 * parallel across cores while the event loop only hands out and collects buffers.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerJob, WorkerReply } from './worker-protocol.js';
import type { WorkerScript } from './worker-script.js';

export interface JobInput<In> {
  message: In;
  /** Buffers to move (not copy) into the worker. */
  transfer?: ArrayBuffer[];
}

export interface JobHandlers<In, Out> {
  /** Called when a worker is free, so inputs for queued jobs are not built all at once. */
  prepare: () => JobInput<In>;
  /**
   * Called with the result before the freed worker takes its next job, e.g. to recycle
   * buffers the worker handed back for that next job's `prepare`.
   */
  onDone?: (value: Out) => void;
}

interface Job<In, Out> extends JobHandlers<In, Out> {
  resolve: (value: Out) => void;
  reject: (error: Error) => void;
}

interface Slot<In, Out> {
  worker: Worker;
  ready: boolean;
  /** The jobs it holds, by id: at most `jobsPerWorker`. */
  jobs: Map<number, Job<In, Out>>;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export class WorkerPool<In, Out> {
  private readonly slots: Slot<In, Out>[] = [];
  private readonly queue: Job<In, Out>[] = [];
  private closed = false;
  private nextId = 0;

  private constructor(
    private readonly script: WorkerScript,
    private readonly workerData: unknown,
    private readonly jobsPerWorker: number,
  ) {}

  /** Resolves once every worker has loaded, so a broken worker module fails here, not on first use. */
  static async start<In, Out>(
    script: WorkerScript,
    workerData: unknown,
    size: number,
    /** Jobs a worker is given at once: more than one only for workers that overlap their jobs. */
    jobsPerWorker = 1,
  ): Promise<WorkerPool<In, Out>> {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`worker pool size must be a positive integer, got ${size}`);
    const pool = new WorkerPool<In, Out>(script, workerData, Math.max(1, jobsPerWorker));
    try {
      await Promise.all(Array.from({ length: size }, () => pool.spawn()));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  run(handlers: JobHandlers<In, Out>): Promise<Out> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ ...handlers, resolve, reject });
      this.pump();
    });
  }

  /** Stops every worker; queued and running jobs are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new Error('worker pool is closed');
    for (const job of this.queue.splice(0)) job.reject(error);
    const slots = this.slots.splice(0);
    for (const slot of slots) for (const job of slot.jobs.values()) job.reject(error);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Promise<void> {
    const worker = new Worker(this.script.url, {
      execArgv: this.script.execArgv,
      workerData: this.workerData,
    });
    const slot: Slot<In, Out> = { worker, ready: false, jobs: new Map() };
    this.slots.push(slot);
    return new Promise<void>((resolveReady, rejectReady) => {
      worker.on('message', (reply: WorkerReply<Out>) => {
        if (reply.kind === 'ready') {
          slot.ready = true;
          worker.unref();
          resolveReady();
        } else {
          const job = slot.jobs.get(reply.id);
          slot.jobs.delete(reply.id);
          // An idle worker must not keep the process alive (e.g. a script that never disposes).
          if (slot.jobs.size === 0) worker.unref();
          if (reply.kind === 'done') {
            try {
              job?.onDone?.(reply.value);
              job?.resolve(reply.value);
            } catch (error) {
              // Thrown from an event handler it would take the whole process down.
              job?.reject(asError(error));
            }
          } else {
            job?.reject(Object.assign(new Error(reply.message), reply.details));
          }
        }
        this.pump();
      });
      const onCrash = (error: Error) => {
        rejectReady(error);
        this.retire(slot, error);
      };
      worker.on('error', onCrash);
      worker.on('exit', (code) => onCrash(new Error(`worker exited with code ${code}`)));
    });
  }

  private retire(slot: Slot<In, Out>, error: Error): void {
    const index = this.slots.indexOf(slot);
    // 'error' is followed by 'exit', and close() has already dropped its slots.
    if (index === -1) return;
    this.slots.splice(index, 1);
    for (const job of slot.jobs.values()) job.reject(error);
    slot.jobs.clear();
    if (this.closed) return;
    if (slot.ready) {
      // Replace a worker that had been serving; its replacement reports its own failure.
      this.spawn().catch(() => undefined);
    } else if (this.slots.length === 0) {
      // One that never started would only fail again: with none left, nothing can run.
      for (const job of this.queue.splice(0)) job.reject(error);
    }
  }

  /** Queued jobs go to the least busy ready worker with room. */
  private pump(): void {
    while (this.queue.length > 0) {
      let slot: Slot<In, Out> | undefined;
      for (const s of this.slots)
        if (s.ready && s.jobs.size < this.jobsPerWorker && (!slot || s.jobs.size < slot.jobs.size)) slot = s;
      if (!slot) return;
      this.dispatch(slot, this.queue.shift()!);
    }
  }

  private dispatch(slot: Slot<In, Out>, job: Job<In, Out>): void {
    try {
      const { message, transfer = [] } = job.prepare();
      const id = this.nextId++;
      slot.worker.postMessage({ id, input: message } satisfies WorkerJob<In>, transfer);
      slot.worker.ref();
      slot.jobs.set(id, job);
    } catch (error) {
      job.reject(asError(error));
    }
  }
}
