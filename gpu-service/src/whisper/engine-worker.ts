/**
 * Engine worker thread: loads the model's sessions itself (the main thread's stay where they are) and
 * runs the whole engine here — features, encoder, decode loop, alignment — so onnxruntime's
 * synchronous `run` never holds the service's event loop. One job at a time.
 */

import { workerData } from 'node:worker_threads';
import { type AutomaticSpeechRecognitionPipeline, env, pipeline } from '@huggingface/transformers';
import { type MelBins, N_SAMPLES } from '../audio/whisper-audio.js';
import { LogMelKernel } from '../log-mel/log-mel-kernel.js';
import { serveJobs } from '../log-mel/worker-protocol.js';
import { encoderBatchIsExact } from '../models/dtype-map.js';
import type { ModelLoadSpec } from '../models/model-manager.js';
import { readWhisperModel } from '../models/whisper-model.js';
import type { DecodeOptions, FeatureExtractor, WindowResult } from './decode-types.js';
import type { LanguageGuess } from './detect-language.js';
import { WhisperEngine } from './whisper-engine.js';

export interface EngineWorkerData {
  load: ModelLoadSpec;
  /** onnxruntime intra-op threads for this worker's sessions. */
  threads: number;
  batchSize: number;
}

export type EngineJob =
  | { kind: 'transcribe'; windows: Float32Array[]; options: DecodeOptions }
  | { kind: 'detect'; audio: Float32Array };

export type EngineJobResult = WindowResult[] | LanguageGuess;

/** Log-mel on this thread (it is already off the event loop), each window zero-padded to 30 s. */
function threadFeatures(nMels: MelBins): FeatureExtractor {
  const kernel = new LogMelKernel(nMels);
  const padded = new Float32Array(N_SAMPLES);
  return {
    extract: async (windows) =>
      windows.map((w) => {
        const samples = w.subarray(0, N_SAMPLES);
        padded.set(samples);
        padded.fill(0, samples.length);
        return kernel.compute(padded);
      }),
  };
}

async function loadEngine({ load, threads, batchSize }: EngineWorkerData): Promise<WhisperEngine> {
  env.allowRemoteModels = false;
  if (load.localModelPath) {
    env.allowLocalModels = true;
    env.localModelPath = load.localModelPath;
  }
  if (load.cacheDir) env.cacheDir = load.cacheDir;
  const transcriber = (await pipeline('automatic-speech-recognition', load.id, {
    device: load.device,
    dtype: load.dtype,
    session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 },
    ...(load.cacheDir ? { cache_dir: load.cacheDir } : {}),
    local_files_only: true,
  })) as AutomaticSpeechRecognitionPipeline;
  const whisper = readWhisperModel(transcriber);
  return new WhisperEngine(whisper, threadFeatures(whisper.nMels), {
    batchSize,
    encoderBatchSize: encoderBatchIsExact(load.dtype) ? batchSize : 1,
  });
}

const engine = loadEngine(workerData as EngineWorkerData);

serveJobs<EngineJob, EngineJobResult>(async (job) => {
  const ready = await engine;
  if (job.kind === 'detect') {
    const { language, probability } = await ready.detectLanguage(job.audio);
    return { value: { language, probability } };
  }
  return { value: await ready.transcribeWindows(job.windows, job.options) };
}, engine);
