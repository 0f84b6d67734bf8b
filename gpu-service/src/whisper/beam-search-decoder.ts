import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { WhisperModel } from '../models/whisper-model.js';
import { beamSearchChainBytes, decodeWithBeamSearch } from './beam-search-runner.js';
import type { SequenceRequest } from './decoder-runner.js';
import { type DecodedSequence, decoderShape } from './decoder-runner.js';
import { teacherForced, windowStates } from './teacher-forced.js';
import type { WhisperVocab } from './whisper-vocab.js';

/**
 * The engine's decode loop inside onnxruntime (WhisperEngine's `beamSearch` option): a batch's
 * tokens come from one `run` of the WhisperBeamSearch chain per window over the encoder's states (so on CUDA the
 * caches stay on the device for every step), then one teacher-forced decoder run per window gives
 * what our loop records besides tokens — log-probabilities under our rules, P(no speech), the
 * alignment heads' attention for words. Built from the directory's `onnx/decoder_model_merged.onnx`.
 */
export class BeamSearchDecoder {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly model: Pick<WhisperModel, 'config' | 'sessions'>,
    private readonly vocab: WhisperVocab,
    private readonly vocabSize: number,
  ) {}

  static async load(
    modelDir: string,
    model: Pick<WhisperModel, 'config' | 'nMels' | 'sessions'>,
    vocab: WhisperVocab,
    options: { vocabSize: number; session?: ort.InferenceSession.SessionOptions },
  ): Promise<BeamSearchDecoder> {
    const decoder = await readFile(path.join(modelDir, 'onnx', 'decoder_model_merged.onnx'));
    const bytes = beamSearchChainBytes(model, vocab, { decoder }, options.vocabSize);
    const session = await ort.InferenceSession.create(bytes, options.session ?? {});
    return new BeamSearchDecoder(session, model, vocab, options.vocabSize);
  }

  /** Greedy decoding of one window (its row of an encoder output); temperature is not looked at. */
  async decode(request: SequenceRequest): Promise<DecodedSequence> {
    const [chosen] = await decodeWithBeamSearch(
      this.session,
      windowStates(request.hidden, request.row),
      this.vocab,
      this.vocabSize,
      {
        prompt: request.prompt,
        withTimestamps: request.withTimestamps,
        ...(request.maxNewTokens ? { maxNewTokens: request.maxNewTokens } : {}),
      },
    );
    const shape = decoderShape(this.model.config);
    return teacherForced(this.model.sessions.decoder, this.vocab, shape, request, chosen!.tokens);
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
