import type { DecodeOptions, WindowResult } from './decode-types.js';
import type { WindowInput } from './encode-windows.js';
import type { WhisperEngine } from './whisper-engine.js';

interface Job {
  window: WindowInput;
  key: string;
  /** Which transcribeWindows call it came from: batches are shared out fairly between them. */
  submission: number;
  options: DecodeOptions;
  resolve: (result: WindowResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Shares the device between concurrent requests: windows from every request wait in one queue and are
 * decoded together, up to the batch size, whenever they can share a prompt (same language, task,
 * prompt and decoding settings), a window of each request in turn. `concurrency` batches run at a
 * time (one per engine worker), so a busy service fills its batches and a quiet one answers a lone
 * window at once.
 */
export class BatchScheduler {
  private readonly queue: Job[] = [];
  private running = 0;
  private submissions = 0;
  private batches = 0;
  /** The batch each request with windows still queued was last served in. */
  private readonly lastServed = new Map<number, number>();

  constructor(
    private readonly engine: Pick<WhisperEngine, 'transcribeWindows'>,
    private readonly batchSize: number,
    private readonly concurrency = 1,
  ) {}

  transcribeWindows(windows: WindowInput[], options: DecodeOptions): Promise<WindowResult[]> {
    const key = JSON.stringify([
      options.language,
      options.task,
      options.prompt ?? '',
      options.withTimestamps,
      options.withWords ?? false,
      options.temperatures ?? null,
      options.maxNewTokens ?? null,
      options.seed ?? null,
    ]);
    const submission = this.submissions++;
    const results = windows.map(
      (window) =>
        new Promise<WindowResult>((resolve, reject) =>
          this.queue.push({ window, key, submission, options, resolve, reject }),
        ),
    );
    for (let lane = this.running; lane < this.concurrency; lane++) void this.drain();
    return Promise.all(results);
  }

  private async drain(): Promise<void> {
    if (this.running >= this.concurrency) return;
    this.running++;
    try {
      // Let windows submitted in the same turn of the event loop (concurrent requests) join the batch.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.queue.length > 0) {
        const batch = this.nextBatch();
        try {
          const results = await this.engine.transcribeWindows(
            batch.map((job) => job.window),
            batch[0]!.options,
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

  /**
   * The next batch: windows sharing the oldest window's prompt, one per request in turn, requests
   * served longest ago (or never) first — so a short request is not stuck behind every window a long
   * one has queued.
   */
  private nextBatch(): Job[] {
    const key = this.queue[0]!.key;
    const waiting = [...new Set(this.queue.filter((j) => j.key === key).map((j) => j.submission))];
    waiting.sort((a, b) => (this.lastServed.get(a) ?? -1) - (this.lastServed.get(b) ?? -1));
    const batch: Job[] = [];
    for (let progressed = true; progressed && batch.length < this.batchSize; ) {
      progressed = false;
      for (const submission of waiting) {
        if (batch.length === this.batchSize) break;
        const i = this.queue.findIndex((j) => j.key === key && j.submission === submission);
        if (i < 0) continue;
        batch.push(...this.queue.splice(i, 1));
        progressed = true;
      }
    }
    const turn = this.batches++;
    for (const job of batch) this.lastServed.set(job.submission, turn);
    for (const submission of waiting)
      if (!this.queue.some((j) => j.submission === submission)) this.lastServed.delete(submission);
    return batch;
  }
}
