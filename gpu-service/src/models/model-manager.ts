import { availableParallelism } from 'node:os';
import {
  type AutomaticSpeechRecognitionPipeline,
  pipeline,
  env as transformersEnv,
} from '@huggingface/transformers';
import { type Device, type Dtype, type DtypeByDevice, dtypeFor } from './dtype-map.js';

export type { Device, Dtype };

import type { LogMelExtractor } from '../log-mel/log-mel-extractor.js';
import { fetchWithHeaderTimeout } from './hub-fetch.js';
import { ModelFeatures } from './model-features.js';
import { isCached, loadFailureMessage, type ModelSource, resolveModelSource } from './model-source.js';
import { readWhisperModel, type WhisperModel } from './whisper-model.js';

export type DevicePreference = Device | 'auto';

export interface ModelManagerOptions {
  model: string;
  modelDir: string;
  device: DevicePreference;
  /** Per device; see dtype-map.ts. */
  dtype?: DtypeByDevice | undefined;
  hubTimeoutMs: number;
  /** BATCH_SIZE; default 8 on CUDA, 1 on CPU. */
  batchSize?: number | undefined;
  /** Cut audio at silences with Silero VAD (default) rather than every 30 s. */
  vad?: boolean | undefined;
  /** ENGINE_WORKERS: worker threads running the engine, each with its own sessions; 0 = on the main thread. */
  engineWorkers?: number | undefined;
  /** ENGINE_THREADS: onnxruntime intra-op threads per engine worker. */
  engineThreads?: number | undefined;
  /** Hub mirror (HF_ENDPOINT); defaults to huggingface.co. */
  remoteHost?: string | undefined;
  log?: (message: string) => void;
}

/** What a worker thread needs to load the same model the same way (files already in place). */
export interface ModelLoadSpec {
  id: string;
  device: Device;
  dtype: Dtype;
  /** Transformers.js's localModelPath for a local model, or its cache directory for a hub one. */
  localModelPath?: string;
  cacheDir?: string;
}

export interface LoadedModel {
  name: string;
  device: Device;
  transcriber: AutomaticSpeechRecognitionPipeline;
  /** The pipeline's sessions, tokenizer and configuration, typed, as decoding uses them. */
  whisper: WhisperModel;
  /** This model's log-mel workers (its mel size): started on first use, stopped on unload. */
  features(): Promise<LogMelExtractor>;
  loadMs: number;
  /** Windows per encoder/decoder run: batching pays on a GPU, not on a CPU. */
  batchSize: number;
  vad: boolean;
  loadSpec: ModelLoadSpec;
  /** Engine worker threads (0: the engine runs on the main thread) and intra-op threads each. */
  engineWorkers: number;
  engineThreads: number;
  /** Registers a resource of this model's (e.g. its engine workers) to free when it is unloaded. */
  onUnload(dispose: () => Promise<void>): void;
}

/** ENGINE_WORKERS unset: one worker on CPU (the event loop stays free), none on CUDA (see README). */
export function defaultEngineWorkers(device: Device): number {
  return device === 'cpu' ? 1 : 0;
}

/** The pipeline's Whisper view; a pipeline that has none is freed before the error goes on. */
async function readOrDispose(transcriber: AutomaticSpeechRecognitionPipeline): Promise<WhisperModel> {
  try {
    return readWhisperModel(transcriber);
  } catch (error) {
    await transcriber.dispose();
    throw error;
  }
}

let loadQueue: Promise<unknown> = Promise.resolve();

export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

/** Loads the configured Whisper model once, on the best device that works, and shares it. */
export class ModelManager {
  private loading: Promise<LoadedModel> | undefined;
  /** What unload() frees: the pipeline's sessions and the model's log-mel workers. */
  private loaded:
    | { model: LoadedModel; features: ModelFeatures; disposers: Array<() => Promise<void>> }
    | undefined;
  private lastError: string | undefined;
  private readonly source: ModelSource;

  constructor(private readonly options: ModelManagerOptions) {
    this.source = resolveModelSource(options.model, options.modelDir);
  }

  status() {
    return {
      model: this.options.model,
      model_loaded: this.loaded !== undefined,
      device: this.loaded?.model.device ?? null,
      ...(this.lastError ? { model_error: this.lastError } : {}),
    };
  }

  get isLoaded(): boolean {
    return this.loaded !== undefined;
  }

  /** Frees the model's sessions and log-mel workers; the next get() loads it again. */
  async unload(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = undefined;
    this.loading = undefined;
    await Promise.all([
      loaded?.model.transcriber.dispose(),
      loaded?.features.close(),
      ...(loaded?.disposers ?? []).map((dispose) => dispose()),
    ]);
  }

  /** The shared model; concurrent callers wait for one load, and a failed load is retried next time. */
  get(): Promise<LoadedModel> {
    this.loading ??= this.load().then(
      (loaded) => {
        this.loaded = loaded;
        this.lastError = undefined;
        return loaded.model;
      },
      (error: Error) => {
        this.loading = undefined;
        this.lastError = error.message;
        throw error;
      },
    );
    return this.loading;
  }

  private configureEnvironment(): void {
    transformersEnv.fetch = fetchWithHeaderTimeout(this.options.hubTimeoutMs);
    if (this.options.remoteHost) transformersEnv.remoteHost = this.options.remoteHost;
    if (this.source.kind === 'local') {
      transformersEnv.localModelPath = this.source.dir;
      transformersEnv.allowLocalModels = true;
      transformersEnv.allowRemoteModels = false;
    } else {
      transformersEnv.cacheDir = this.source.cacheDir;
      transformersEnv.allowRemoteModels = true;
    }
  }

  private load(): Promise<{
    model: LoadedModel;
    features: ModelFeatures;
    disposers: Array<() => Promise<void>>;
  }> {
    // Transformers.js keeps its hub/local settings in one global: loads take turns.
    const turn = loadQueue.then(() => this.loadNow());
    loadQueue = turn.catch(() => undefined);
    return turn;
  }

  private async loadNow(): Promise<{
    model: LoadedModel;
    features: ModelFeatures;
    disposers: Array<() => Promise<void>>;
  }> {
    this.configureEnvironment();
    const started = performance.now();
    const devices: Device[] = this.options.device === 'auto' ? ['cuda', 'cpu'] : [this.options.device];
    let lastError: Error | undefined;
    for (const device of devices) {
      try {
        const transcriber = await this.createPipeline(device);
        const whisper = await readOrDispose(transcriber);
        const features = new ModelFeatures(whisper.nMels);
        const disposers: Array<() => Promise<void>> = [];
        const engineWorkers = this.options.engineWorkers ?? defaultEngineWorkers(device);
        const loadMs = performance.now() - started;
        this.options.log?.(`loaded ${this.options.model} on ${device} in ${Math.round(loadMs)} ms`);
        const model: LoadedModel = {
          name: this.options.model,
          device,
          transcriber,
          whisper,
          features: () => features.get(),
          loadMs,
          batchSize: this.options.batchSize ?? (device === 'cuda' ? 8 : 4),
          vad: this.options.vad ?? true,
          loadSpec: {
            id: this.source.id,
            device,
            dtype: dtypeFor(device, this.options.dtype),
            ...(this.source.kind === 'local'
              ? { localModelPath: this.source.dir }
              : { cacheDir: this.source.cacheDir }),
          },
          engineWorkers,
          engineThreads:
            this.options.engineThreads ??
            Math.max(1, Math.floor(availableParallelism() / Math.max(1, engineWorkers))),
          onUnload: (dispose) => {
            disposers.push(dispose);
          },
        };
        return { model, features, disposers };
      } catch (error) {
        lastError = error as Error;
        if (device === 'cuda' && devices.includes('cpu')) {
          this.options.log?.(`CUDA unavailable (${lastError.message.split('\n')[0]}); falling back to CPU`);
        }
      }
    }
    const cause = lastError?.message.split('\n')[0] ?? 'unknown error';
    const cachedHubModel = this.source.kind === 'hub' && isCached(this.source);
    throw new ModelLoadError(
      cachedHubModel ? `Failed to load model: ${cause}` : loadFailureMessage(this.source, cause),
    );
  }

  private async createPipeline(device: Device): Promise<AutomaticSpeechRecognitionPipeline> {
    const dtype = dtypeFor(device, this.options.dtype);
    const transcriber = await pipeline('automatic-speech-recognition', this.source.id, {
      device,
      dtype,
      ...(this.source.kind === 'hub' ? { cache_dir: this.source.cacheDir } : { local_files_only: true }),
    });
    return transcriber as AutomaticSpeechRecognitionPipeline;
  }
}
