import type { DecodeOptions, WindowResult } from './decode-types.js';
import type { WindowInput } from './encode-windows.js';
import type { WhisperEngine } from './whisper-engine.js';

/**
 * Who is waiting on a window. Live steps (a session's final decode, then its partials) go ahead of
 * batch work: a person is watching them, while a file's windows only need to finish eventually.
 */
export const PRIORITY = { liveFinal: 0, livePartial: 1, batch: 2 } as const;
export type Priority = (typeof PRIORITY)[keyof typeof PRIORITY];

/**
 * After this many live batches in a row while batch work waits, one batch of it runs: live steps come
 * first, but a service full of live sessions still moves files forward.
 */
export const LIVE_STREAK_LIMIT = 3;

/**
 * Windows of batch work an engine is given at once, one per call: as many as its decode loop batches
 * (continuous batching). A window is handed over when a place comes free, so the scheduler picks every
 * one (live first, requests in turn) and nothing waits inside an engine behind work committed early.
 */
export const windowsInHand = (batchSize: number) => batchSize;

/** Lanes beyond `concurrency` that only live windows may take: they never wait for a file's window. */
export const LIVE_LANES = 2;

/** What else a caller may say about its windows. */
export interface Submission {
  /** Queued windows are dropped (rejected with the reason) when it aborts. */
  signal?: AbortSignal | undefined;
  /**
   * Whose windows they are: calls with the same owner (one request's windows, handed in one by one)
   * are one request to the fair share. Each call is its own request otherwise.
   */
  owner?: object;
}

interface Job {
  window: WindowInput;
  key: string;
  /** Which request it came from: batch work is shared out fairly between them. */
  owner: object;
  options: DecodeOptions;
  priority: Priority;
  resolve: (result: WindowResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Shares the device between concurrent requests: windows from every request wait in one queue and are
 * decoded together, up to the batch size, whenever they can share a prompt (same language, task,
 * prompt and decoding settings). `concurrency` batches run at a time (one per engine worker), so a
 * busy service fills its batches and a quiet one answers a lone window at once. The queue is ordered by
 * priority (stable within one). Batch work takes one window per request in turn, the request served
 * longest ago (or never) first, so a short request waits one batch behind a long one however many
 * windows the long one has queued.
 */
export class BatchScheduler {
  private readonly queue: Job[] = [];
  private running = 0;
  private liveStreak = 0;
  private batches = 0;
  /** The batch each request was last served in (forgotten with the request). */
  private readonly lastServed = new WeakMap<object, number>();

  constructor(
    private readonly engine: Pick<WhisperEngine, 'transcribeWindows'>,
    private readonly batchSize: number,
    private readonly concurrency = 1,
  ) {}

  transcribeWindows(
    windows: WindowInput[],
    options: DecodeOptions,
    priority: Priority = PRIORITY.batch,
    { signal, owner = {} }: Submission = {},
  ): Promise<WindowResult[]> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const key = JSON.stringify([
      options.language,
      options.task,
      options.prompt ?? '',
      options.withTimestamps,
      options.withWords ?? false,
      options.temperatures ?? null,
      options.maxNewTokens ?? null,
      options.seed ?? null,
      options.prefixTokens ?? null,
    ]);
    const jobs: Job[] = [];
    const results = windows.map(
      (window) =>
        new Promise<WindowResult>((resolve, reject) => {
          const job = { window, key, owner, options, priority, resolve, reject };
          jobs.push(job);
          this.enqueue(job);
        }),
    );
    if (signal) {
      // Windows not yet handed to an engine are dropped; those decoding finish (a few at most).
      const drop = () => {
        for (const job of jobs) {
          const at = this.queue.indexOf(job);
          if (at < 0) continue;
          this.queue.splice(at, 1);
          job.reject(signal.reason);
        }
      };
      signal.addEventListener('abort', drop, { once: true });
      void Promise.allSettled(results).then(() => signal.removeEventListener('abort', drop));
    }
    const lanes = this.concurrency + (priority === PRIORITY.batch ? 0 : LIVE_LANES);
    for (let lane = this.running; lane < lanes; lane++) void this.drain();
    return Promise.all(results);
  }

  private enqueue(job: Job): void {
    // After every job of its own priority or a more urgent one: first come, first served within a level.
    let at = this.queue.length;
    while (at > 0 && this.queue[at - 1]!.priority > job.priority) at--;
    this.queue.splice(at, 0, job);
  }

  /**
   * The job whose kind runs next: the most urgent, unless batch work has waited out a live streak; for
   * batch work, a window of the request served longest ago.
   */
  private leader(): Job {
    const first = this.queue[0]!;
    if (first.priority !== PRIORITY.batch && this.liveStreak < LIVE_STREAK_LIMIT) return first;
    let best: Job | undefined;
    for (const job of this.queue) {
      if (job.priority !== PRIORITY.batch) continue;
      if (!best || this.served(job) < this.served(best)) best = job;
    }
    return best ?? first;
  }

  private liveWaiting(): boolean {
    return this.queue.length > 0 && this.queue[0]!.priority !== PRIORITY.batch;
  }

  private served(job: Job): number {
    return this.lastServed.get(job.owner) ?? -1;
  }

  /** Jobs of the leader's prompt and kind; for batch work one per request in turn, least recently served first. */
  private nextBatch(leader: Job): Job[] {
    const eligible = (job: Job) =>
      job.key === leader.key && (job.priority === PRIORITY.batch) === (leader.priority === PRIORITY.batch);
    const batch: Job[] = [];
    if (leader.priority !== PRIORITY.batch) {
      for (let i = 0; i < this.queue.length && batch.length < this.batchSize; ) {
        if (eligible(this.queue[i]!)) batch.push(...this.queue.splice(i, 1));
        else i++;
      }
      return batch;
    }
    const waiting = [...new Set(this.queue.filter(eligible).map((job) => job.owner))];
    waiting.sort((a, b) => (this.lastServed.get(a) ?? -1) - (this.lastServed.get(b) ?? -1));
    for (let progressed = true; progressed && batch.length < this.batchSize; ) {
      progressed = false;
      for (const owner of waiting) {
        if (batch.length === this.batchSize) break;
        const i = this.queue.findIndex((job) => eligible(job) && job.owner === owner);
        if (i < 0) continue;
        batch.push(...this.queue.splice(i, 1));
        progressed = true;
      }
    }
    const turn = this.batches++;
    for (const job of batch) this.lastServed.set(job.owner, turn);
    return batch;
  }

  /** A lane past `concurrency` opens only for a live window, and serves only live ones. */
  private async drain(): Promise<void> {
    const liveOnly = this.running >= this.concurrency;
    if (liveOnly && (this.running >= this.concurrency + LIVE_LANES || !this.liveWaiting())) return;
    this.running++;
    try {
      // Let windows submitted in the same turn of the event loop (concurrent requests) join the batch.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.queue.length > 0) {
        if (liveOnly && !this.liveWaiting()) break;
        const leader = liveOnly ? this.queue[0]! : this.leader();
        // Live-only lanes leave the streak alone: it counts what the shared lanes gave live work.
        if (!liveOnly) this.liveStreak = leader.priority === PRIORITY.batch ? 0 : this.liveStreak + 1;
        // Same prompt and the same kind of work (live or batch) as the leader.
        const batch = this.nextBatch(leader);
        try {
          const results = await this.engine.transcribeWindows(
            batch.map((job) => job.window),
            leader.priority === PRIORITY.batch ? batch[0]!.options : { ...batch[0]!.options, urgent: true },
          );
          for (const [i, job] of batch.entries()) job.resolve(results[i]!);
        } catch (error) {
          for (const job of batch) job.reject(error);
        }
      }
    } finally {
      this.running--;
    }
  }
}
