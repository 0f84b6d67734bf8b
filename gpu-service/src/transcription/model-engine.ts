import type { LoadedModel } from '../models/model-manager.js';
import { BatchScheduler } from '../whisper/batch-scheduler.js';
import { EnginePool } from '../whisper/engine-pool.js';
import { WhisperEngine } from '../whisper/whisper-engine.js';
import { readVocab, type WhisperVocab } from '../whisper/whisper-vocab.js';

/** A loaded model's engine, and the scheduler that batches its windows across concurrent requests. */
export interface ModelEngine {
  /** On the main thread (WhisperEngine) or on engine worker threads (EnginePool, ENGINE_WORKERS). */
  engine: Pick<WhisperEngine, 'transcribeWindows' | 'detectLanguage'>;
  scheduler: BatchScheduler;
  /** The model's special tokens, read on this thread whichever thread decodes. */
  vocab: WhisperVocab;
}

export async function startEngine(model: LoadedModel): Promise<ModelEngine> {
  if (model.engineWorkers > 0) {
    const pool = await EnginePool.start(model);
    model.onUnload(() => pool.close());
    return {
      engine: pool,
      scheduler: new BatchScheduler(pool, model.batchSize, pool.workers),
      vocab: readVocab(model.whisper.generationConfig, model.whisper.tokenizer),
    };
  }
  const whisper = new WhisperEngine(model.whisper, await model.features(), { batchSize: model.batchSize });
  return { engine: whisper, scheduler: new BatchScheduler(whisper, model.batchSize), vocab: whisper.vocab };
}
