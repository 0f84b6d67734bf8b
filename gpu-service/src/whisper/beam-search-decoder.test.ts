import { beforeAll, describe, expect, it, vi } from 'vitest';
import { testModelDir } from '../../test/fixtures.js';
import { loadTestModel, speechSamples } from '../../test/test-model.js';
import type { LoadedModel } from '../models/model-manager.js';
import { BeamSearchDecoder } from './beam-search-decoder.js';
import type { DecodeOptions, WindowResult } from './decode-types.js';
import { transformersFeatures } from './transformers-features.js';
import { WhisperEngine } from './whisper-engine.js';
import { readVocab } from './whisper-vocab.js';

let model: LoadedModel;
let beamSearch: BeamSearchDecoder;
let windows: Float32Array[];

beforeAll(async () => {
  model = await loadTestModel();
  const vocab = readVocab(model.whisper.generationConfig, model.whisper.tokenizer);
  beamSearch = await BeamSearchDecoder.load(testModelDir, model.whisper, vocab, { vocabSize: 51865 });
  const speech = await speechSamples();
  const louder = speech.slice(0, speech.length >> 1).map((v) => Math.max(-1, Math.min(1, v * 3)));
  const tone = new Float32Array(16_000 * 4).map((_, i) => 0.05 * Math.sin((2 * Math.PI * 440 * i) / 16_000));
  windows = [speech, speech.slice().reverse(), louder, tone];
});

/** The same windows through our loop and through the op (its spy says how often it decoded). */
async function both(
  options: DecodeOptions,
): Promise<{ ours: WindowResult[]; op: WindowResult[]; calls: number }> {
  const features = transformersFeatures(model.transcriber);
  const plain = new WhisperEngine(model.whisper, features, { batchSize: 2 });
  const viaOp = new WhisperEngine(model.whisper, features, { batchSize: 2, beamSearch });
  const spy = vi.spyOn(beamSearch, 'decode');
  const ours = await plain.transcribeWindows(windows, options);
  const op = await viaOp.transcribeWindows(windows, options);
  const calls = spy.mock.calls.length;
  spy.mockRestore();
  return { ours, op, calls };
}

const base = { language: 'en', task: 'transcribe' as const };

describe('the engine with its decode loop inside onnxruntime (WhisperBeamSearch)', () => {
  it('transcribes with timestamps and words as our loop does: tokens, segments, scores, word times', async () => {
    const { ours, op, calls } = await both({
      ...base,
      withTimestamps: true,
      withWords: true,
      temperatures: [0],
    });
    expect(calls).toBe(4); // one run per window
    expect(op.map((r) => [r.tokens, r.text, r.segments])).toEqual(
      ours.map((r) => [r.tokens, r.text, r.segments]),
    );
    expect(ours.some((r) => r.segments.length > 0 && r.words!.length > 1)).toBe(true);
    for (const [i, r] of op.entries()) {
      const mine = ours[i]!;
      // One decoder run over the whole sequence vs one per token: the same math, summed in another order.
      expect(r.avgLogprob).toBeCloseTo(mine.avgLogprob, 4);
      expect(r.noSpeechProb).toBeCloseTo(mine.noSpeechProb, 6);
      expect(r.words!.map((w) => w.word)).toEqual(mine.words!.map((w) => w.word));
      for (const [k, w] of r.words!.entries()) {
        expect(w.start).toBeCloseTo(mine.words![k]!.start, 2);
        expect(w.end).toBeCloseTo(mine.words![k]!.end, 2);
        expect(w.probability!).toBeCloseTo(mine.words![k]!.probability!, 4);
      }
    }
  });

  it('keeps the temperature fallback: the same windows are retried, hotter ones on our loop', async () => {
    const { ours, op, calls } = await both({
      ...base,
      withTimestamps: false,
      seed: 3,
      temperatures: [0, 0.5],
    });
    expect(calls).toBe(4);
    // The random model fails Whisper's quality checks, so windows go to hotter temperatures.
    expect(ours.some((r) => r.temperature > 0)).toBe(true);
    expect(op.map((r) => [r.temperature, r.tokens])).toEqual(ours.map((r) => [r.temperature, r.tokens]));
  });

  it("leaves Transformers.js's timestamp rules to our loop", async () => {
    const features = transformersFeatures(model.transcriber);
    const engine = new WhisperEngine(model.whisper, features, {
      batchSize: 2,
      beamSearch,
      timestampRules: 'transformers.js',
    });
    const spy = vi.spyOn(beamSearch, 'decode');
    await engine.transcribeWindows(windows.slice(0, 1), { ...base, withTimestamps: true, temperatures: [0] });
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});
