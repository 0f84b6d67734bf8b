import * as ort from 'onnxruntime-node';
import type { WhisperConfig } from '../models/whisper-model.js';
import { halfToFloat } from './float16.js';
import { applyRules, argmax, logSoftmaxAt, sample } from './logit-rules.js';
import type { WhisperVocab } from './whisper-vocab.js';

export interface DecoderShape {
  layers: number;
  heads: number;
  headDim: number;
}

export function decoderShape(config: WhisperConfig): DecoderShape {
  return {
    layers: config.decoder_layers,
    heads: config.decoder_attention_heads,
    headDim: config.d_model / config.decoder_attention_heads,
  };
}

export interface DecodeRequest {
  /** Prompt tokens, the same length for every sequence of the batch (e.g. sot, language, task). */
  prompt: number[];
  withTimestamps: boolean;
  temperature: number;
  /** Uniform random numbers in [0, 1) for sampling at temperature > 0. */
  random?: () => number;
  maxNewTokens?: number;
  /** openai/whisper's stricter timestamp rules (see RuleState); off reproduces Transformers.js. */
  strictTimestamps?: boolean;
  /** Keep the alignment heads' cross-attention for word timestamps (see keepAttention). */
  alignment?: AlignmentRequest;
}

export interface AlignmentRequest {
  /** [decoder layer, head] pairs, from generation_config.json's `alignment_heads`. */
  heads: Array<[number, number]>;
  /** Encoder frames to keep, per sequence of the batch: the audio's, not the padding's. */
  frames: number[];
}

export interface DecodedSequence {
  tokens: number[];
  /** Each token's log-probability as it was chosen (after the logit rules), for word confidence. */
  logprobs: number[];
  sumLogprob: number;
  /** Probability of <|nospeech|> at the position after <|startoftranscript|>. */
  noSpeechProb: number;
  /**
   * With `alignment`: per alignment head, each decoder input position's attention over the kept frames
   * (the prompt's positions, then every generated token that was fed back).
   */
  attention?: Float32Array[][];
}

/** openai/whisper's max_initial_timestamp of 1.0 s, in 20 ms timestamp steps. */
const MAX_INITIAL_TIMESTAMP_INDEX = 50;

const empty = (batch: number, shape: DecoderShape) =>
  new ort.Tensor('float32', new Float32Array(0), [batch, shape.heads, 0, shape.headDim]);

/** The caches of a first step: nothing decoded yet, no cross-attention computed yet. */
export function emptyCache(batch: number, shape: DecoderShape): Record<string, ort.Tensor> {
  const past: Record<string, ort.Tensor> = {};
  for (let layer = 0; layer < shape.layers; layer++) {
    for (const kind of ['decoder', 'encoder'] as const) {
      for (const kv of ['key', 'value'] as const)
        past[`past_key_values.${layer}.${kind}.${kv}`] = empty(batch, shape);
    }
  }
  return past;
}

function softmaxAt(row: Float32Array, index: number): number {
  return Math.exp(logSoftmaxAt(row, index));
}

/**
 * Greedy (or sampled) decoding of a whole batch of windows at once through the merged decoder,
 * feeding the self-attention cache back each step and the cross-attention cache from the first step.
 * Works with graphs that have `use_cache_branch` (hub exports) and without (our generated model).
 */
export async function decodeBatch(
  session: ort.InferenceSession,
  encoderHiddenStates: ort.Tensor,
  vocab: WhisperVocab,
  shape: DecoderShape,
  request: DecodeRequest,
): Promise<DecodedSequence[]> {
  const batch = encoderHiddenStates.dims[0]!;
  const promptLength = request.prompt.length;
  const maxNew = Math.min(request.maxNewTokens ?? vocab.maxLength, vocab.maxLength - promptLength);
  const sequences: DecodedSequence[] = Array.from({ length: batch }, () => ({
    tokens: [],
    logprobs: [],
    sumLogprob: 0,
    noSpeechProb: 0,
  }));
  const done = new Array<boolean>(batch).fill(false);
  const sotIndex = request.prompt.lastIndexOf(vocab.sot);
  const hasCacheBranch = session.inputNames.includes('use_cache_branch');

  const past = emptyCache(batch, shape);

  let inputIds = BigInt64Array.from(
    Array.from({ length: batch }, () => request.prompt.map((t) => BigInt(t))).flat(),
  );
  let stepLength = promptLength;
  // After the first step the cross-attention cache is fixed: not fetching it again saves copying
  // layers × 2 × 1500 × d_model floats out of onnxruntime on every token.
  // Cross-attention weights are only worth copying out when words are wanted.
  const laterOutputs = session.outputNames.filter(
    (name) =>
      !/^present\.\d+\.encoder\./.test(name) && (request.alignment || !name.startsWith('cross_attentions.')),
  );
  const alignment = request.alignment;
  if (alignment) {
    const missing = alignment.heads.find(
      ([layer]) => !session.outputNames.includes(`cross_attentions.${layer}`),
    );
    if (missing)
      throw new Error(`the decoder does not output cross_attentions.${missing[0]}: word timestamps need it`);
    for (const sequence of sequences) sequence.attention = alignment.heads.map(() => []);
  }
  for (let step = 0; step < maxNew && done.includes(false); step++) {
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', inputIds, [batch, stepLength]),
      encoder_hidden_states: encoderHiddenStates,
      ...past,
    };
    if (hasCacheBranch) feeds.use_cache_branch = new ort.Tensor('bool', [step > 0], [1]);
    const outputs = step === 0 ? await session.run(feeds) : await session.run(feeds, laterOutputs);
    const logits = outputs.logits!;
    const vocabSize = logits.dims[2]!;
    const data = logits.data as Float32Array;

    for (let layer = 0; layer < shape.layers; layer++) {
      for (const kv of ['key', 'value'] as const) {
        past[`past_key_values.${layer}.decoder.${kv}`] = outputs[`present.${layer}.decoder.${kv}`]!;
        // The cross-attention cache is computed once, on the first step.
        if (step === 0)
          past[`past_key_values.${layer}.encoder.${kv}`] = outputs[`present.${layer}.encoder.${kv}`]!;
      }
    }

    if (alignment) keepAttention(outputs, alignment, sequences, done, stepLength);

    const next = new BigInt64Array(batch);
    for (let b = 0; b < batch; b++) {
      const sequence = sequences[b]!;
      if (step === 0 && vocab.noSpeech !== undefined && sotIndex >= 0) {
        const sotRow = data.subarray(
          (b * stepLength + sotIndex) * vocabSize,
          (b * stepLength + sotIndex + 1) * vocabSize,
        );
        sequence.noSpeechProb = softmaxAt(sotRow, vocab.noSpeech);
      }
      if (done[b]) {
        next[b] = BigInt(vocab.eot);
        continue;
      }
      const offset = (b * stepLength + stepLength - 1) * vocabSize;
      const row = data.slice(offset, offset + vocabSize);
      applyRules(row, vocab, {
        generated: sequence.tokens,
        withTimestamps: request.withTimestamps,
        ...(request.strictTimestamps
          ? { maxInitialTimestampIndex: MAX_INITIAL_TIMESTAMP_INDEX, monotonicTimestamps: true }
          : {}),
      });
      const token =
        request.temperature > 0 && request.random
          ? sample(row, request.temperature, request.random())
          : argmax(row);
      const logprob = logSoftmaxAt(row, token);
      sequence.sumLogprob += logprob;
      sequence.logprobs.push(logprob);
      sequence.tokens.push(token);
      if (token === vocab.eot) done[b] = true;
      next[b] = BigInt(token);
    }
    inputIds = next;
    stepLength = 1;
  }
  return sequences;
}

/** Copies this step's attention rows for the alignment heads, only for sequences still decoding. */
function keepAttention(
  outputs: ort.InferenceSession.OnnxValueMapType,
  alignment: AlignmentRequest,
  sequences: DecodedSequence[],
  done: boolean[],
  stepLength: number,
): void {
  for (const [k, [layer, head]] of alignment.heads.entries()) {
    const tensor = outputs[`cross_attentions.${layer}`]!;
    const [, heads, , sourceFrames] = tensor.dims as [number, number, number, number];
    const data = floats(tensor);
    for (const [b, sequence] of sequences.entries()) {
      if (done[b]) continue;
      const frames = Math.min(alignment.frames[b]!, sourceFrames);
      for (let t = 0; t < stepLength; t++) {
        const offset = ((b * heads + head) * stepLength + t) * sourceFrames;
        sequence.attention![k]!.push(Float32Array.from(data.subarray(offset, offset + frames)));
      }
    }
  }
}

/** Float32 views of float32 or float16 (CUDA exports) outputs; halves are widened when read. */
function floats(tensor: ort.Tensor): { subarray(start: number, end: number): ArrayLike<number> } {
  if (tensor.type !== 'float16') return tensor.data as Float32Array;
  const halves = tensor.data as Uint16Array;
  return { subarray: (start, end) => Array.from(halves.subarray(start, end), halfToFloat) };
}
