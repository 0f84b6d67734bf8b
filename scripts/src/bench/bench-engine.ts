import path from 'node:path';
import { type AutomaticSpeechRecognitionPipeline, env, pipeline } from '@huggingface/transformers';
import { LogMelExtractor } from '@whisper-edge/gpu-service/log-mel/log-mel-extractor';
import { readWhisperModel, type WhisperModel } from '@whisper-edge/gpu-service/models/whisper-model';
import { WhisperEngine } from '@whisper-edge/gpu-service/whisper/whisper-engine';

/**
 * A generated model directory loaded by the stock pipeline (fp32 unless asked, CPU), and our engine on the same
 * sessions with the service's worker-thread features: both sides of a benchmark share the weights.
 *
 * `neverStop` suppresses end-of-text in the model's generation config before our engine reads it
 * (the engine keeps the suppress list it was built with), so both sides decode exactly as many tokens
 * as they are allowed.
 */
export interface BenchEngine {
  transcriber: AutomaticSpeechRecognitionPipeline;
  whisper: WhisperModel;
  engine: WhisperEngine;
  features: LogMelExtractor;
}

export async function loadBenchEngine(
  dir: string,
  options: { neverStop?: boolean; dtype?: 'fp32' | 'q8' } = {},
): Promise<BenchEngine> {
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(dir);
  const transcriber = (await pipeline('automatic-speech-recognition', path.basename(dir), {
    device: 'cpu',
    dtype: options.dtype ?? 'fp32',
  })) as AutomaticSpeechRecognitionPipeline;
  const whisper = readWhisperModel(transcriber);
  if (options.neverStop) {
    // The pipeline's own object: the stock side reads it on every generate.
    const config = whisper.generationConfig;
    config.suppress_tokens = [...(config.suppress_tokens ?? []), ...[config.eos_token_id ?? []].flat()];
  }
  // Created before any clock starts: the workers' start-up is not part of a measurement.
  const features = await LogMelExtractor.create({ nMels: whisper.nMels });
  const engine = new WhisperEngine(whisper, features, { batchSize: 1 });
  if (options.neverStop && !engine.vocab.suppressTokens.includes(engine.vocab.eot))
    throw new Error('the engine does not suppress end-of-text: the two sides would not do the same work');
  return { transcriber, whisper, engine, features };
}
