import { encoderBatchIsExact } from '../models/dtype-map.js';
import type { LoadedModel } from '../models/model-manager.js';
import { releaseMainThreadSessions } from '../models/release-sessions.js';
import { BatchScheduler, windowsInHand } from '../whisper/batch-scheduler.js';
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

/**
 * Windows of one request decoding at once: all the engines' places but one, so a lone long request
 * keeps the batch nearly full while another request's window still finds a place at the next step
 * (and, being behind, runs first until it catches up) instead of waiting for one of the long
 * request's windows to end. With one place there is no choice: that request waits for it.
 */
export const windowsInFlight = (model: Pick<LoadedModel, 'batchSize' | 'engineWorkers'>) =>
  Math.max(1, Math.max(1, model.engineWorkers) * windowsInHand(model.batchSize) - 1);

export async function startEngine(model: LoadedModel): Promise<ModelEngine> {
  if (model.engineWorkers > 0) {
    const pool = await EnginePool.start(model);
    model.onUnload(() => pool.close());
    // The workers hold the sessions now: the main thread's copy would only take memory.
    await releaseMainThreadSessions(model);
    return {
      engine: pool,
      scheduler: new BatchScheduler(pool, 1, pool.workers * windowsInHand(model.batchSize)),
      vocab: readVocab(model.whisper.generationConfig, model.whisper.tokenizer),
    };
  }
  const whisper = new WhisperEngine(model.whisper, await model.features(), {
    batchSize: model.batchSize,
    encoderBatchSize: encoderBatchIsExact(model.loadSpec.dtype) ? model.batchSize : 1,
  });
  return {
    engine: whisper,
    scheduler: new BatchScheduler(whisper, 1, windowsInHand(model.batchSize)),
    vocab: whisper.vocab,
  };
}
