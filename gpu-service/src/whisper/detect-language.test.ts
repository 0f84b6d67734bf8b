import { Tensor } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { testModelEnDir } from '../../test/fixtures.js';
import { loadTestModel, speechSamples } from '../../test/test-model.js';
import type { LoadedModel } from '../models/model-manager.js';
import type { FeatureExtractor } from './decode-types.js';
import type { LanguageGuess } from './detect-language.js';
import { transformersFeatures } from './transformers-features.js';
import { WhisperEngine } from './whisper-engine.js';

let model: LoadedModel;
let windows: Float32Array[];

beforeAll(async () => {
  model = await loadTestModel();
  const speech = await speechSamples();
  const tone = new Float32Array(16_000 * 4).map((_, i) => 0.05 * Math.sin((2 * Math.PI * 440 * i) / 16_000));
  windows = [speech, speech.slice().reverse(), tone];
});

/** The reference: Transformers.js's own forward pass on <|startoftranscript|>, as detection used to run. */
async function stockGuess(audio: Float32Array): Promise<LanguageGuess> {
  const { generationConfig } = model.whisper;
  const { input_features } = (await model.transcriber.processor(audio)) as { input_features: Tensor };
  const sot = BigInt(generationConfig.decoder_start_token_id!);
  const forward = model.transcriber.model as unknown as (inputs: Record<string, Tensor>) => Promise<{
    logits: Tensor;
  }>;
  const { logits } = await forward({
    input_features,
    decoder_input_ids: new Tensor('int64', BigInt64Array.from([sot]), [1, 1]),
  });
  const languages = Object.entries(generationConfig.lang_to_id!);
  const scores = languages.map(([, id]) => (logits.data as Float32Array)[id]!);
  const max = Math.max(...scores);
  const sum = scores.reduce((n, s) => n + Math.exp(s - max), 0);
  const best = scores.indexOf(max);
  return { language: languages[best]![0].slice(2, -2), probability: 1 / sum };
}

/** The reference features, counting the windows that reach the encoder. */
function countingFeatures(counts: number[]): FeatureExtractor {
  const features = transformersFeatures(model.transcriber);
  return {
    extract: (batch) => {
      counts.push(batch.length);
      return features.extract(batch);
    },
  };
}

describe('language detection on the engine’s sessions', () => {
  it('picks the language, with the probability, that Transformers.js’s forward pass gives', async () => {
    const engine = new WhisperEngine(model.whisper, transformersFeatures(model.transcriber), {
      batchSize: 1,
    });
    for (const window of windows) {
      const ours = await engine.detectLanguage(window);
      const stock = await stockGuess(window);
      expect(ours.language).toBe(stock.language);
      expect(ours.probability).toBeCloseTo(stock.probability, 5);
    }
  });

  it('hands the window back encoded, and decoding it then skips the encoder with the same result', async () => {
    const counts: number[] = [];
    const engine = new WhisperEngine(model.whisper, countingFeatures(counts), { batchSize: 3 });
    const detected = await engine.detectLanguage(windows[0]!);
    expect(counts).toEqual([1]);
    const options = {
      language: detected.language,
      task: 'transcribe' as const,
      withTimestamps: true,
      temperatures: [0],
    };
    counts.length = 0;
    const reused = await engine.transcribeWindows([detected.encoded!, ...windows.slice(1)], options);
    // Only the windows not yet encoded went through the encoder.
    expect(counts).toEqual([2]);
    const fresh = await engine.transcribeWindows(windows, options);
    expect(reused.map((r) => r.tokens)).toEqual(fresh.map((r) => r.tokens));
    expect(reused.map((r) => r.segments)).toEqual(fresh.map((r) => r.segments));
  });

  it('answers English on an English-only model without running it', async () => {
    const english = await loadTestModel(testModelEnDir);
    const counts: number[] = [];
    const engine = new WhisperEngine(english.whisper, countingFeatures(counts), { batchSize: 1 });
    expect(await engine.detectLanguage(windows[0]!)).toEqual({ language: 'en', probability: 1 });
    expect(counts).toEqual([]);
  });
});
