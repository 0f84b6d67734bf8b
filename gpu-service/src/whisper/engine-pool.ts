import { ApiError, type ErrorType } from '@whisper-edge/shared';
import { N_SAMPLES } from '../audio/whisper-audio.js';
import { type JobHandlers, WorkerPool } from '../log-mel/worker-pool.js';
import { siblingWorkerScript } from '../log-mel/worker-script.js';
import type { LoadedModel } from '../models/model-manager.js';
import { windowsInHand } from './batch-scheduler.js';
import type { DecodeOptions, WindowResult } from './decode-types.js';
import type { LanguageGuess } from './detect-language.js';
import type { WindowInput } from './encode-windows.js';
import type { EngineJob, EngineJobResult, EngineWorkerData } from './engine-worker.js';

/**
 * The engine on worker threads (`ENGINE_WORKERS`), each with its own onnxruntime sessions: the same
 * calls as WhisperEngine's, answered off the event loop, several batches at once when there are
 * several workers. Windows are copied into the worker; an already-encoded window is sent as samples
 * (its encoder output lives in another thread's memory), so it is encoded again there.
 */
export class EnginePool {
  private constructor(
    private readonly pool: WorkerPool<EngineJob, EngineJobResult>,
    readonly workers: number,
  ) {}

  /** Resolves once every worker has loaded the model: a model the workers cannot load fails here. */
  static async start(model: LoadedModel): Promise<EnginePool> {
    const data: EngineWorkerData = {
      load: model.loadSpec,
      threads: model.engineThreads,
      batchSize: model.batchSize,
    };
    const pool = await WorkerPool.start<EngineJob, EngineJobResult>(
      siblingWorkerScript(import.meta.url, 'engine-worker'),
      data,
      model.engineWorkers,
      // Several windows in hand at once: the worker's decode loop batches them.
      windowsInHand(model.batchSize),
    );
    return new EnginePool(pool, model.engineWorkers);
  }

  transcribeWindows(inputs: WindowInput[], options: DecodeOptions): Promise<WindowResult[]> {
    return this.run({
      prepare: () => {
        const windows = inputs.map((w) => Float32Array.from(w instanceof Float32Array ? w : w.samples));
        return {
          message: { kind: 'transcribe', windows, options },
          transfer: windows.map((w) => w.buffer as ArrayBuffer),
        };
      },
    }) as Promise<WindowResult[]>;
  }

  /** Language identification on the first 30 s, in a worker; the window comes back not encoded. */
  detectLanguage(audio: Float32Array): Promise<LanguageGuess> {
    return this.run({
      prepare: () => {
        const copy = Float32Array.from(audio.subarray(0, N_SAMPLES));
        return { message: { kind: 'detect', audio: copy }, transfer: [copy.buffer as ArrayBuffer] };
      },
    }) as Promise<LanguageGuess>;
  }

  /** A worker's ApiError (a 400 for a language the model lacks) arrives as fields: made one again. */
  private async run(handlers: JobHandlers<EngineJob, EngineJobResult>): Promise<EngineJobResult> {
    try {
      return await this.pool.run(handlers);
    } catch (error) {
      const e = error as Error & {
        name?: string;
        status?: number;
        code?: string | null;
        param?: string | null;
        type?: ErrorType;
      };
      if (e.name === 'ApiError' && typeof e.status === 'number')
        throw new ApiError(e.status, e.message, {
          ...(e.code ? { code: e.code } : {}),
          ...(e.param ? { param: e.param } : {}),
          ...(e.type ? { type: e.type } : {}),
        });
      throw error;
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
