import { beforeAll, describe, expect, it } from 'vitest';
import { loadTestModel, speechSamples } from '../../test/test-model.js';
import { diarizerFactory } from '../diarization/create-diarizer.js';
import { Transcriber } from '../transcription/transcribe.js';
import { LiveEngine } from './live-engine.js';

/** Partial decodes on the generated model: forced prefixes continue exactly where greedy decoding would. */
let engine: LiveEngine;
let audio: Float32Array;

beforeAll(async () => {
  const model = await loadTestModel();
  engine = new LiveEngine(model, await new Transcriber({ diarizers: diarizerFactory() }).engineFor(model));
  audio = (await speechSamples()).subarray(0, 3 * 16_000);
});

describe('LiveEngine.partial', () => {
  it('continues from a forced prefix of its own hypothesis with the rest of it', async () => {
    const whole = await engine.partial(audio, { language: 'en' }, []);
    expect(whole.length).toBeGreaterThan(4);
    const rest = await engine.partial(audio, { language: 'en' }, whole.slice(0, 4));
    expect(rest).toEqual(whole.slice(4));
  });

  it('returns nothing (not an error) when the forced prefix is all the decoder would say', async () => {
    const whole = await engine.partial(audio, { language: 'en' }, []);
    // Before the fix the tokenizer threw on the empty text of a decode that ends at once.
    await expect(engine.partial(audio, { language: 'en' }, whole)).resolves.toEqual([]);
  });

  it('decodes text tokens only: no end-of-text or timestamp tokens', async () => {
    const tokens = await engine.partial(audio, { language: 'en' }, []);
    expect(engine.textOf(tokens).length).toBeGreaterThan(0);
    const model = await loadTestModel();
    const eot = model.whisper.generationConfig.eos_token_id as number;
    expect(tokens.every((t) => t < eot)).toBe(true);
  });
});
