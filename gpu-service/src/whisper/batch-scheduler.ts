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
 * Windows an engine is given at once, one per call: its decode loop batches them (continuous
 * batching), and one more than its batch size keeps a window ready for the next free place. The
 * scheduler still picks every window (live first, requests in turn), so little is committed early.
 */
export const windowsInHand = (batchSize: number) => batchSize + 1;

interface Job {
  window: WindowInput;
  key: string;
  /** Which transcribeWindows call it came from: batch work is shared out fairly between them. */
  submission: number;
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
  private submissions = 0;
  private batches = 0;
  /** The batch each request with windows still queued was last served in. */
  private readonly lastServed = new Map<number, number>();

  constructor(
    private readonly engine: Pick<WhisperEngine, 'transcribeWindows'>,
    private readonly batchSize: number,
    private readonly concurrency = 1,
  ) {}

  transcribeWindows(
    windows: WindowInput[],
    options: DecodeOptions,
    priority: Priority = PRIORITY.batch,
  ): Promise<WindowResult[]> {
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
    const submission = this.submissions++;
    const results = windows.map(
      (window) =>
        new Promise<WindowResult>((resolve, reject) =>
          this.enqueue({ window, key, submission, options, priority, resolve, reject }),
        ),
    );
    for (let lane = this.running; lane < this.concurrency; lane++) void this.drain();
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

  private served(job: Job): number {
    return this.lastServed.get(job.submission) ?? -1;
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
    const waiting = [...new Set(this.queue.filter(eligible).map((job) => job.submission))];
    waiting.sort((a, b) => (this.lastServed.get(a) ?? -1) - (this.lastServed.get(b) ?? -1));
    for (let progressed = true; progressed && batch.length < this.batchSize; ) {
      progressed = false;
      for (const submission of waiting) {
        if (batch.length === this.batchSize) break;
        const i = this.queue.findIndex((job) => eligible(job) && job.submission === submission);
        if (i < 0) continue;
        batch.push(...this.queue.splice(i, 1));
        progressed = true;
      }
    }
    const turn = this.batches++;
    for (const job of batch) this.lastServed.set(job.submission, turn);
    for (const submission of waiting)
      if (!this.queue.some((job) => job.submission === submission)) this.lastServed.delete(submission);
    return batch;
  }

  private async drain(): Promise<void> {
    if (this.running >= this.concurrency) return;
    this.running++;
    try {
      // Let windows submitted in the same turn of the event loop (concurrent requests) join the batch.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.queue.length > 0) {
        const leader = this.leader();
        this.liveStreak = leader.priority === PRIORITY.batch ? 0 : this.liveStreak + 1;
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
