import type { DiarizationOptions } from '@whisper-edge/shared';
import * as ort from 'onnxruntime-node';
import type { NeuralFactory } from './create-diarizer.js';
import { NeuralDiarizer, type NeuralSessions } from './neural-diarizer.js';
import { resolveOnnxFile } from './onnx-model-file.js';

export interface NeuralModelConfig {
  segmentation: string;
  embedding: string;
  modelDir: string;
  /** Same device as Whisper: `auto` tries CUDA first. */
  device: 'auto' | 'cuda' | 'cpu';
  remoteHost?: string | undefined;
  hubTimeoutMs?: number;
  log?: (message: string) => void;
}

/** The pyannote segmentation-3.0 and WeSpeaker ResNet34 ONNX exports' own interfaces. */
export const SEGMENTATION_IO = { input: 'input_values', output: 'logits' } as const;
export const EMBEDDING_IO = { input: 'feats', output: 'embs' } as const;

async function createSession(
  file: string,
  device: NeuralModelConfig['device'],
): Promise<ort.InferenceSession> {
  const providers = device === 'cpu' ? ['cpu'] : device === 'cuda' ? ['cuda'] : ['cuda', 'cpu'];
  for (const [i, provider] of providers.entries()) {
    try {
      return await ort.InferenceSession.create(file, { executionProviders: [provider] });
    } catch (error) {
      if (i === providers.length - 1) throw error;
    }
  }
  throw new Error('unreachable');
}

function checkInterface(
  session: ort.InferenceSession,
  io: { input: string; output: string },
  setting: string,
): void {
  if (!session.inputNames.includes(io.input) || !session.outputNames.includes(io.output)) {
    throw new Error(
      `${setting}: expected input '${io.input}' and output '${io.output}', the model has inputs [${session.inputNames}] and outputs [${session.outputNames}]`,
    );
  }
}

export async function loadNeuralSessions(config: NeuralModelConfig): Promise<NeuralSessions> {
  const common = {
    modelDir: config.modelDir,
    remoteHost: config.remoteHost,
    hubTimeoutMs: config.hubTimeoutMs,
  };
  const [segmentationFile, embeddingFile] = await Promise.all([
    resolveOnnxFile(config.segmentation, {
      ...common,
      setting: 'DIARIZATION_SEGMENTATION_MODEL',
      defaultFile: 'onnx/model.onnx',
    }),
    resolveOnnxFile(config.embedding, {
      ...common,
      setting: 'DIARIZATION_EMBEDDING_MODEL',
      defaultFile: 'onnx/model.onnx',
    }),
  ]);
  const [segmentation, embedding] = await Promise.all([
    createSession(segmentationFile, config.device),
    createSession(embeddingFile, config.device),
  ]);
  checkInterface(segmentation, SEGMENTATION_IO, 'DIARIZATION_SEGMENTATION_MODEL');
  checkInterface(embedding, EMBEDDING_IO, 'DIARIZATION_EMBEDDING_MODEL');
  return { segmentation, embedding };
}

/**
 * Loads the two models once (at start through `preload`, else on first use); a load failure is logged
 * and remembered, and requests then get the acoustic backend (or, when they named neural, a 400
 * saying why).
 */
export function neuralFactory(
  config: NeuralModelConfig,
): NeuralFactory & { failure(): string | undefined; preload(): Promise<boolean> } {
  let sessions: Promise<NeuralSessions | undefined> | undefined;
  let failure: string | undefined;
  const load = () => {
    sessions ??= loadNeuralSessions(config).then(
      (loaded) => {
        config.log?.(`neural diarization ready (${config.segmentation}, ${config.embedding})`);
        return loaded;
      },
      (error: Error) => {
        failure = error.message;
        config.log?.(`neural diarization unavailable, the acoustic backend answers: ${error.message}`);
        return undefined;
      },
    );
    return sessions;
  };
  const factory = async (options: DiarizationOptions) => {
    const loaded = await load();
    return loaded ? new NeuralDiarizer(loaded, options) : undefined;
  };
  return Object.assign(factory, {
    failure: () => failure,
    preload: async () => (await load()) !== undefined,
  });
}
