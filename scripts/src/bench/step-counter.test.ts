import { SAMPLE_RATE } from '@whisper-edge/gpu-service/audio/sample-rate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestModel } from '../test-model.js';
import { speechClipSamples } from '../test-support/speech-clip.js';
import { loadBenchEngine } from './bench-engine.js';
import { StepCounter } from './step-counter.js';

let loaded: Awaited<ReturnType<typeof loadBenchEngine>>;
let counter: StepCounter;

beforeAll(async () => {
  loaded = await loadBenchEngine(await ensureTestModel(), { neverStop: true });
  counter = new StepCounter(loaded.whisper.sessions.encoder, loaded.whisper.sessions.decoder);
});

afterAll(async () => {
  counter.dispose();
  await loaded.features.dispose();
});

describe('engine bench: equal work on both sides', () => {
  it('suppresses end-of-text in our engine too, not only in the stock generation config', () => {
    expect(loaded.engine.vocab.suppressTokens).toContain(loaded.engine.vocab.eot);
  });

  it('counts the same decoder steps per window for the stock generate and our loop', async () => {
    const clip = speechClipSamples().subarray(0, 10 * SAMPLE_RATE);
    const tokens = 12;
    const { input_features } = (await loaded.transcriber.processor(clip)) as { input_features: unknown };
    await (loaded.transcriber.model.generate as (args: Record<string, unknown>) => Promise<unknown>).call(
      loaded.transcriber.model,
      { inputs: input_features, language: 'en', task: 'transcribe', max_new_tokens: tokens },
    );
    expect(counter.perWindow).toEqual([tokens]);

    counter.reset();
    const [result] = await loaded.engine.transcribeWindows([clip, clip.subarray(0, 5 * SAMPLE_RATE)], {
      language: 'en',
      task: 'transcribe',
      withTimestamps: false,
      temperatures: [0],
      maxNewTokens: tokens,
    });
    expect(counter.perWindow).toEqual([tokens, tokens]);
    expect(result!.tokens).toHaveLength(tokens);
    expect(result!.tokens).not.toContain(loaded.engine.vocab.eot);
    expect(counter.summary()).toBe(`${tokens} steps × 2`);
  });
});
