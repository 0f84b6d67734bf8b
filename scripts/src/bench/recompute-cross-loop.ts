/**
 * Design (b) of docs/gpu-data-movement.md, runnable on the merged decoder as it is: every step takes
 * the branch that projects the cross-attention K/V from `encoder_hidden_states` (use_cache_branch
 * false, empty encoder caches) instead of reading a cache, so per step only the encoder's states go
 * in (1500 × d_model) rather than 2 × layers × 1500 × d_model of cache, at the price of recomputing
 * the projections. Greedy, no timestamps (the bench's setting), the same logit rules as our loop.
 */
import { type DecoderShape, emptyCache } from '@whisper-edge/gpu-service/whisper/decoder-runner';
import { applyRules, argmax } from '@whisper-edge/gpu-service/whisper/logit-rules';
import type { WhisperVocab } from '@whisper-edge/gpu-service/whisper/whisper-vocab';
import * as ort from 'onnxruntime-node';

export async function recomputeCrossLoop(
  session: ort.InferenceSession,
  hidden: ort.Tensor,
  vocab: WhisperVocab,
  shape: DecoderShape,
  prompt: number[],
  steps: number,
): Promise<number[]> {
  const past = emptyCache(1, shape);
  // Never fetched: the projected K/V would otherwise be copied out every step.
  const outputs = session.outputNames.filter(
    (name) => !/^present\.\d+\.encoder\./.test(name) && !name.startsWith('cross_attentions.'),
  );
  const tokens: number[] = [];
  let ids = BigInt64Array.from(prompt, BigInt);
  for (let step = 0; step < steps; step++) {
    const out = await session.run(
      {
        input_ids: new ort.Tensor('int64', ids, [1, ids.length]),
        encoder_hidden_states: hidden,
        ...past,
        use_cache_branch: new ort.Tensor('bool', [false], [1]),
      },
      outputs,
    );
    for (let layer = 0; layer < shape.layers; layer++)
      for (const kv of ['key', 'value'] as const)
        past[`past_key_values.${layer}.decoder.${kv}`] = out[`present.${layer}.decoder.${kv}`]!;
    const logits = out.logits!;
    const vocabSize = logits.dims[2]!;
    const row = (logits.data as Float32Array).slice((ids.length - 1) * vocabSize, ids.length * vocabSize);
    applyRules(row, vocab, { generated: tokens, withTimestamps: false });
    const token = argmax(row);
    tokens.push(token);
    if (token === vocab.eot) break;
    ids = BigInt64Array.of(BigInt(token));
  }
  return tokens;
}
