import * as ort from 'onnxruntime-node';
import type { SequenceRequest } from './decoder-runner.js';
import { type DecodedSequence, type DecoderShape, emptyCache } from './decoder-runner.js';
import { halfToFloat } from './float16.js';
import { applyRules, logSoftmaxAt } from './logit-rules.js';
import type { WhisperVocab } from './whisper-vocab.js';

/** openai/whisper's max_initial_timestamp of 1.0 s, in 20 ms steps (as decoder-runner.ts). */
const MAX_INITIAL_TIMESTAMP_INDEX = 50;

const asFloats = (tensor: ort.Tensor): Float32Array =>
  tensor.type === 'float16'
    ? Float32Array.from(tensor.data as Uint16Array, halfToFloat)
    : (tensor.data as Float32Array);

/**
 * What our loop records besides the tokens, from one decoder run per window over tokens chosen
 * elsewhere (the WhisperBeamSearch op): the prompt and every fed-back token in one step (the first
 * step's branch, which projects the cross K/V from `encoder_hidden_states`), so the cross-attention
 * cache never crosses to the host. The causal decoder gives each position the logits and attention
 * our loop saw at that step; our rules on those logits give the same log-probabilities, the
 * position after <|startoftranscript|> P(no speech), and the alignment heads' rows the word times.
 */
export async function teacherForced(
  session: ort.InferenceSession,
  vocab: WhisperVocab,
  shape: DecoderShape,
  request: SequenceRequest,
  tokens: number[],
): Promise<DecodedSequence> {
  const states = windowStates(request.hidden, request.row);
  const frames = states.dims[1]!;
  const prompt = request.prompt;
  const sotIndex = prompt.lastIndexOf(vocab.sot);
  const fetch = ['logits', ...(request.alignment?.heads.map(([layer]) => `cross_attentions.${layer}`) ?? [])];
  // Our loop feeds back every chosen token but the last.
  const ids = [...prompt, ...tokens.slice(0, -1)];
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
    encoder_hidden_states: states,
    ...emptyCache(1, shape),
  };
  if (session.inputNames.includes('use_cache_branch'))
    feeds.use_cache_branch = new ort.Tensor('bool', [false], [1]);
  const outputs = await session.run(feeds, fetch);
  const logits = asFloats(outputs.logits!);
  const vocabSize = outputs.logits!.dims[2]!;
  const at = (position: number) => logits.slice(position * vocabSize, (position + 1) * vocabSize);
  const sequence: DecodedSequence = { tokens, logprobs: [], sumLogprob: 0, noSpeechProb: 0 };
  if (vocab.noSpeech !== undefined && sotIndex >= 0)
    sequence.noSpeechProb = Math.exp(logSoftmaxAt(at(sotIndex), vocab.noSpeech));
  for (const [k, token] of tokens.entries()) {
    const scores = at(prompt.length - 1 + k);
    applyRules(scores, vocab, {
      generated: tokens.slice(0, k),
      withTimestamps: request.withTimestamps,
      ...(request.strictTimestamps
        ? { maxInitialTimestampIndex: MAX_INITIAL_TIMESTAMP_INDEX, monotonicTimestamps: true }
        : {}),
    });
    const logprob = logSoftmaxAt(scores, token);
    sequence.logprobs.push(logprob);
    sequence.sumLogprob += logprob;
  }
  const alignment = request.alignment;
  if (alignment) {
    const keep = Math.min(alignment.frames, frames);
    sequence.attention = alignment.heads.map(([layer, head]) => {
      const data = asFloats(outputs[`cross_attentions.${layer}`]!);
      return ids.map((_, t) => {
        const offset = (head * ids.length + t) * frames;
        return Float32Array.from(data.subarray(offset, offset + keep));
      });
    });
  }
  return sequence;
}

/** Row `row` of an encoder output as a batch of one, [1 × frames × d_model]. */
export function windowStates(hidden: ort.Tensor, row: number): ort.Tensor {
  const [, frames, width] = hidden.dims as [number, number, number];
  const size = frames * width;
  return hidden.type === 'float16'
    ? new ort.Tensor('float16', (hidden.data as Uint16Array).slice(row * size, (row + 1) * size), [
        1,
        frames,
        width,
      ])
    : new ort.Tensor('float32', (hidden.data as Float32Array).slice(row * size, (row + 1) * size), [
        1,
        frames,
        width,
      ]);
}
