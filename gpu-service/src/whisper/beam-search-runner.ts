import * as ort from 'onnxruntime-node';
import type { WhisperModel } from '../models/whisper-model.js';
import { buildBeamSearchChain } from './beam-search-chain.js';
import type { DecodedSequence } from './decoder-runner.js';
import type { WhisperVocab } from './whisper-vocab.js';

/** The model's encoder and merged decoder as one `WhisperBeamSearch` model (see beam-search-chain.ts). */
export function beamSearchChainBytes(
  model: Pick<WhisperModel, 'config' | 'nMels'>,
  vocab: WhisperVocab,
  /** Without `encoder` the op takes the encoder's states instead of features (beam-search-chain.ts). */
  files: { encoder?: Uint8Array; decoder: Uint8Array },
  vocabSize: number,
): Uint8Array {
  const heads = model.config.decoder_attention_heads;
  return buildBeamSearchChain(
    files.encoder,
    files.decoder,
    {
      layers: model.config.decoder_layers,
      heads,
      headDim: model.config.d_model / heads,
      vocabSize,
      nMels: model.nMels,
    },
    { ...vocab, noSpeech: vocab.noSpeech },
  );
}

/** openai/whisper's max_initial_timestamp of 1.0 s, in 20 ms steps (as decoder-runner.ts). */
const MAX_INITIAL_TIMESTAMP_INDEX = 50;

export interface BeamSearchRequest {
  prompt: number[];
  withTimestamps: boolean;
  maxNewTokens?: number;
  /** 1 = greedy, which is what our loop does at temperature 0. */
  beams?: number;
}

/**
 * Decodes a batch of log-mel windows ([batch × mels × frames]) in one `run` of the chain: encoder,
 * every decoder step and the token choice stay inside onnxruntime; only the features go in and the
 * token ids (plus a score and P(no speech) per window) come out.
 *
 * Our logit rules map onto the op's inputs as: suppress_tokens → `vocab_mask` (every step),
 * begin_suppress_tokens → `prefix_vocab_mask` (first step only), the timestamp rules →
 * `logits_processor` = 1 (onnxruntime's own TimestampLogitsProcessor, see docs/gpu-data-movement.md
 * for where it differs). Per-token log-probabilities and cross-attention are not available.
 */
export async function decodeWithBeamSearch(
  session: ort.InferenceSession,
  features: ort.Tensor,
  vocab: WhisperVocab,
  vocabSize: number,
  request: BeamSearchRequest,
): Promise<DecodedSequence[]> {
  const batch = features.dims[0]!;
  const promptLength = request.prompt.length;
  const maxNew = Math.min(request.maxNewTokens ?? vocab.maxLength, vocab.maxLength - promptLength);
  const outputs = await session.run(beamSearchFeeds(features, vocab, vocabSize, request));
  const sequences = outputs.sequences!.data as Int32Array;
  const length = outputs.sequences!.dims[2]!;
  const scores = outputs.sequences_scores!.data as Float32Array;
  return Array.from({ length: batch }, (_, b) => {
    const row = Array.from(sequences.subarray(b * length + promptLength, (b + 1) * length));
    // Finished sequences are padded with the pad token (= <|endoftext|>); our loop keeps one.
    const end = row.indexOf(vocab.eot);
    const tokens = end >= 0 ? row.slice(0, end + 1) : row.slice(0, maxNew);
    return {
      tokens,
      logprobs: [],
      sumLogprob: scores[b]!,
      // The op's no_speech_probs output held no probabilities on CPU in 1.30 (0, or values outside
      // [0, 1]): not read. The no-speech check then rests on VAD (docs/gpu-data-movement.md).
      noSpeechProb: 0,
    };
  });
}

/** The op's feeds for a batch of log-mel windows, our logit rules mapped onto its inputs. */
export function beamSearchFeeds(
  features: ort.Tensor,
  vocab: WhisperVocab,
  vocabSize: number,
  request: BeamSearchRequest,
): Record<string, ort.Tensor> {
  const batch = features.dims[0]!;
  const promptLength = request.prompt.length;
  const maxNew = Math.min(request.maxNewTokens ?? vocab.maxLength, vocab.maxLength - promptLength);
  const vocabMask = new Int32Array(vocabSize).fill(1);
  for (const id of vocab.suppressTokens) vocabMask[id] = 0;
  const prefixMask = new Int32Array(batch * vocabSize).fill(1);
  for (let b = 0; b < batch; b++) {
    const row = prefixMask.subarray(b * vocabSize, (b + 1) * vocabSize);
    for (const id of vocab.beginSuppressTokens) row[id] = 0;
    // openai/whisper's first-token rule, which onnxruntime's timestamp processor leaves out: a
    // timestamped transcript opens with a timestamp of at most 1.0 s.
    if (request.withTimestamps) {
      row.fill(0, 0, vocab.timestampBegin);
      row.fill(0, vocab.timestampBegin + MAX_INITIAL_TIMESTAMP_INDEX + 1);
    }
  }
  const int = (value: number) => new ort.Tensor('int32', Int32Array.of(value), [1]);
  const float = (value: number) => new ort.Tensor('float32', Float32Array.of(value), [1]);
  return {
    input_features: features,
    max_length: int(promptLength + maxNew),
    min_length: int(0),
    num_beams: int(request.beams ?? 1),
    num_return_sequences: int(1),
    // 0: a sequence's score is its plain sum of log-probabilities (divided by length^0).
    length_penalty: float(0),
    repetition_penalty: float(1),
    vocab_mask: new ort.Tensor('int32', vocabMask, [vocabSize]),
    prefix_vocab_mask: new ort.Tensor('int32', prefixMask, [batch, vocabSize]),
    decoder_input_ids: new ort.Tensor(
      'int32',
      Int32Array.from({ length: batch * promptLength }, (_, i) => request.prompt[i % promptLength]!),
      [batch, promptLength],
    ),
    logits_processor: int(request.withTimestamps ? 1 : 0),
    temperature: float(1),
  };
}
