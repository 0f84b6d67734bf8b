import type { DecodeOptions, WindowResult } from './decode-types.js';
import type { WindowInput } from './encode-windows.js';
import type { WhisperEngine } from './whisper-engine.js';

interface Job {
  window: WindowInput;
  key: string;
  options: DecodeOptions;
  resolve: (result: WindowResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Shares the device between concurrent requests: windows from every request wait in one queue and are
 * decoded together, up to the batch size, whenever they can share a prompt (same language, task,
 * prompt and decoding settings). `concurrency` batches run at a time (one per engine worker), so a
 * busy service fills its batches and a quiet one answers a lone window at once.
 */
export class BatchScheduler {
  private readonly queue: Job[] = [];
  private running = 0;

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
    const results = windows.map(
      (window) =>
        new Promise<WindowResult>((resolve, reject) =>
          this.queue.push({ window, key, options, resolve, reject }),
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
        const key = this.queue[0]!.key;
        const batch: Job[] = [];
        for (let i = 0; i < this.queue.length && batch.length < this.batchSize; ) {
          if (this.queue[i]!.key === key) batch.push(...this.queue.splice(i, 1));
          else i++;
        }
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
}
