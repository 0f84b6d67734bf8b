import * as ort from 'onnxruntime-node';
import { type DecoderShape, emptyCache } from './decoder-runner.js';
import type { WhisperVocab } from './whisper-vocab.js';

export interface LanguageGuess {
  language: string;
  probability: number;
}

/**
 * Whisper's own language identification, which Transformers.js does not do, as openai/whisper's
 * `detect_language` does it: one decoder step from <|startoftranscript|> on a window's encoder output,
 * and the most likely language token, its probability a softmax over the language tokens only.
 */
export async function detectLanguage(
  decoder: ort.InferenceSession,
  encoderHiddenStates: ort.Tensor,
  vocab: WhisperVocab,
  shape: DecoderShape,
): Promise<LanguageGuess> {
  const languages = Object.entries(vocab.langToId);
  if (languages.length === 0) return { language: 'en', probability: 1 };
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from([BigInt(vocab.sot)]), [1, 1]),
    encoder_hidden_states: encoderHiddenStates,
    ...emptyCache(1, shape),
  };
  if (decoder.inputNames.includes('use_cache_branch'))
    feeds.use_cache_branch = new ort.Tensor('bool', [false], [1]);
  // The caches it would also return are of no use after one step: not copying them out saves time.
  const { logits } = await decoder.run(feeds, ['logits']);
  const scores = logits!.data as Float32Array;
  const values = languages.map(([, id]) => scores[id] ?? Number.NEGATIVE_INFINITY);
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  let best = 0;
  for (let i = 1; i < exps.length; i++) if (exps[i]! > exps[best]!) best = i;
  const token = languages[best]![0];
  return { language: token.replace(/^<\|(.+)\|>$/, '$1'), probability: exps[best]! / sum };
}
