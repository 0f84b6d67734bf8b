import { Tensor } from '@huggingface/transformers';
import { SAMPLE_RATE } from '../audio/decode-audio.js';
import type { LoadedModel } from '../models/model-manager.js';

export interface LanguageGuess {
  language: string;
  probability: number;
}

/**
 * Whisper's own language identification, which Transformers.js does not do: encode the first 30 s,
 * run one decoder step on <|startoftranscript|> and take the most likely language token.
 */
export async function detectLanguage(model: LoadedModel, audio: Float32Array): Promise<LanguageGuess> {
  const config = model.whisper.generationConfig;
  const langToId = config.lang_to_id ?? {};
  const sot = config.decoder_start_token_id;
  const languages = Object.entries(langToId);
  if (languages.length === 0 || sot === undefined) return { language: 'en', probability: 1 };

  const window = audio.subarray(0, 30 * SAMPLE_RATE);
  const { input_features } = (await model.transcriber.processor(window)) as { input_features: Tensor };
  const decoderInputIds = new Tensor('int64', BigInt64Array.from([BigInt(sot)]), [1, 1]);
  const { logits } = (await model.transcriber.model({
    input_features,
    decoder_input_ids: decoderInputIds,
  })) as {
    logits: Tensor;
  };
  const scores = logits.data as Float32Array;
  // Softmax over the language tokens only, as Whisper does.
  const values = languages.map(([, id]) => scores[id] ?? Number.NEGATIVE_INFINITY);
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  let best = 0;
  for (let i = 1; i < exps.length; i++) if (exps[i]! > exps[best]!) best = i;
  const token = languages[best]![0];
  return { language: token.replace(/^<\|(.+)\|>$/, '$1'), probability: exps[best]! / sum };
}
