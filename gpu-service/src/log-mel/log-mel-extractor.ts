/**
 * Whisper log-mel features for the GPU service: numerically the same as Transformers.js's
 * WhisperFeatureExtractor (within float32 rounding), computed off the event loop on a pool of
 * worker threads, one 30 s window per job, windows of a batch in parallel.
 */
import { availableParallelism } from 'node:os';
import { type MelBins, N_SAMPLES } from '../audio/whisper-audio.js';
import type { LogMelJobResult, LogMelWorkerData } from './log-mel-worker.js';
import { WorkerPool } from './worker-pool.js';
import { siblingWorkerScript } from './worker-script.js';

export interface LogMelExtractorOptions {
  /** 80 for Whisper v1/v2 checkpoints, 128 for large-v3 and turbo (the model's `feature_size`). */
  nMels: MelBins;
  /** Worker threads; defaults to the number of CPUs Node may use. */
  threads?: number;
}

export class LogMelExtractor {
  /**
   * 30 s input buffers that came back from the workers. Reusing them spares the event loop
   * from faulting in ~2 MB of fresh memory per window, which costs more than the copy.
   */
  private readonly spareInputs: Float32Array[] = [];

  private constructor(
    readonly nMels: MelBins,
    private readonly pool: WorkerPool<Float32Array, LogMelJobResult>,
  ) {}

  static async create({
    nMels,
    threads = availableParallelism(),
  }: LogMelExtractorOptions): Promise<LogMelExtractor> {
    if (nMels !== 80 && nMels !== 128) throw new Error(`nMels must be 80 or 128, got ${nMels}`);
    const workerData: LogMelWorkerData = { nMels };
    const pool = await WorkerPool.start<Float32Array, LogMelJobResult>(
      siblingWorkerScript(import.meta.url, 'log-mel-worker'),
      workerData,
      threads,
    );
    return new LogMelExtractor(nMels, pool);
  }

  /** Worker threads in use. */
  get threads(): number {
    return this.pool.size;
  }

  /**
   * One feature matrix per window: nMels × N_FRAMES (3000), row-major [mel][frame], like Transformers.js's
   * `input_features` data. Windows are 16 kHz mono; shorter ones are zero-padded to 30 s and
   * longer ones truncated to their first 30 s, as the reference does.
   */
  extract(windows: readonly Float32Array[]): Promise<Float32Array[]> {
    for (const w of windows) {
      if (!(w instanceof Float32Array))
        throw new TypeError('each window must be a Float32Array of 16 kHz samples');
    }
    return Promise.all(windows.map((window) => this.extractOne(window)));
  }

  private async extractOne(window: Float32Array): Promise<Float32Array> {
    const { features } = await this.pool.run({
      prepare: () => {
        // A private, exactly-30 s copy the worker can take ownership of; the caller's buffer
        // stays untouched and usable.
        const audio = this.spareInputs.pop() ?? new Float32Array(N_SAMPLES);
        const samples = window.length > N_SAMPLES ? window.subarray(0, N_SAMPLES) : window;
        audio.set(samples);
        audio.fill(0, samples.length);
        return { message: audio, transfer: [audio.buffer as ArrayBuffer] };
      },
      onDone: ({ audio }) => {
        // One spare per worker covers the steady state; more would only hold memory.
        if (this.spareInputs.length < this.pool.size) this.spareInputs.push(audio);
      },
    });
    return features;
  }

  dispose(): Promise<void> {
    return this.pool.close();
  }
}
