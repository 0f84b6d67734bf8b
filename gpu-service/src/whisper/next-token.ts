import type * as ort from 'onnxruntime-node';
import type { DecodedSequence, SequenceRequest } from './decoder-runner.js';
import { applyRules, argmax, logSoftmaxAt, sample } from './logit-rules.js';
import type { WhisperVocab } from './whisper-vocab.js';

/** openai/whisper's max_initial_timestamp of 1.0 s, in 20 ms timestamp steps. */
const MAX_INITIAL_TIMESTAMP_INDEX = 50;

/**
 * A sequence's next token from its row of a step's logits, under Whisper's rules (greedy, or sampled
 * at temperature > 0), recorded with its log-probability; on the first step also P(no speech) at
 * <|startoftranscript|>. True when it is end-of-text.
 */
export function chooseNext(
  vocab: WhisperVocab,
  request: SequenceRequest,
  sequence: DecodedSequence,
  step: { logits: ort.Tensor; row: number; stepLength: number; first: boolean },
): boolean {
  const { row: b, stepLength } = step;
  const vocabSize = step.logits.dims[2]!;
  const data = step.logits.data as Float32Array;
  const sotIndex = request.prompt.lastIndexOf(vocab.sot);
  if (step.first && vocab.noSpeech !== undefined && sotIndex >= 0) {
    const sotRow = data.subarray(
      (b * stepLength + sotIndex) * vocabSize,
      (b * stepLength + sotIndex + 1) * vocabSize,
    );
    sequence.noSpeechProb = Math.exp(logSoftmaxAt(sotRow, vocab.noSpeech));
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
  return token === vocab.eot;
}
