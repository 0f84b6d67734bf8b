import path from 'node:path';
import { type AutomaticSpeechRecognitionPipeline, env, pipeline } from '@huggingface/transformers';
import { LogMelExtractor } from '@whisper-edge/gpu-service/log-mel/log-mel-extractor';
import { readWhisperModel, type WhisperModel } from '@whisper-edge/gpu-service/models/whisper-model';
import { WhisperEngine } from '@whisper-edge/gpu-service/whisper/whisper-engine';

/**
 * A generated model directory loaded by the stock pipeline (fp32, CPU), and our engine on the same
 * sessions with the service's worker-thread features: both sides of a benchmark share the weights.
 */
export async function loadBenchEngine(dir: string): Promise<{
  transcriber: AutomaticSpeechRecognitionPipeline;
  whisper: WhisperModel;
  engine: WhisperEngine;
  features: LogMelExtractor;
}> {
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(dir);
  const transcriber = (await pipeline('automatic-speech-recognition', path.basename(dir), {
    device: 'cpu',
    dtype: { cpu: 'fp32' },
  })) as AutomaticSpeechRecognitionPipeline;
  const whisper = readWhisperModel(transcriber);
  // Created before any clock starts: the workers' start-up is not part of a measurement.
  const features = await LogMelExtractor.create({ nMels: whisper.nMels });
  return { transcriber, whisper, engine: new WhisperEngine(whisper, features, { batchSize: 1 }), features };
}
