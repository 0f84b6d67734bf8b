import {
  type AutomaticSpeechRecognitionOutput,
  type AutomaticSpeechRecognitionPipeline,
  env,
  pipeline,
  type Tensor,
} from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempModel, synthAudio, type TempModel } from './test-helpers.js';

/** Generated ids including the prompt, via the pipeline's own model and processor. */
async function generatedIds(asr: AutomaticSpeechRecognitionPipeline, audio: Float32Array, options: object) {
  const { input_features } = (await asr.processor(audio)) as { input_features: Tensor };
  const out = (await asr.model.generate({ inputs: input_features, ...options })) as Tensor;
  return (out.tolist() as bigint[][])[0]!.map(Number);
}

describe('Transformers.js automatic-speech-recognition pipeline on the generated model', () => {
  let model: TempModel;
  let asr: AutomaticSpeechRecognitionPipeline;
  const audio = synthAudio(4, 11);

  beforeAll(async () => {
    model = await makeTempModel({ preset: 'test', seed: 1 });
    env.allowRemoteModels = false;
    env.useFSCache = false;
    env.localModelPath = model.parent;
    asr = await pipeline('automatic-speech-recognition', model.name, { device: 'cpu', dtype: 'fp32' });
  });
  afterAll(async () => {
    await asr?.dispose();
    await model?.cleanup();
  });

  it('transcribes to the same non-empty text every time', async () => {
    const first = (await asr(audio)) as AutomaticSpeechRecognitionOutput;
    expect(first.text.trim().length).toBeGreaterThan(0);
    expect(((await asr(audio)) as AutomaticSpeechRecognitionOutput).text).toBe(first.text);
    // Greedy decoding ends with <|endoftext|> well before max_length, without timestamps.
    const ids = await generatedIds(asr, audio, { language: 'en' });
    expect(ids.slice(0, 4)).toEqual([50258, 50259, 50359, 50363]);
    expect(ids.at(-1)).toBe(50257);
    expect(ids.length).toBeLessThan(60);
    expect(ids.every((id) => id < 50364)).toBe(true);
  });

  it('returns segment timestamps', async () => {
    const out = (await asr(audio, { return_timestamps: true })) as AutomaticSpeechRecognitionOutput;
    expect(out.chunks?.length).toBeGreaterThan(0);
    for (const chunk of out.chunks ?? []) {
      const [start, end] = chunk.timestamp;
      expect(start).toBeGreaterThanOrEqual(0);
      expect(typeof end).toBe('number');
      expect(end!).toBeGreaterThan(start);
      expect(end!).toBeLessThanOrEqual(4);
    }
    expect(out.chunks!.map((c) => c.text).join('')).toBe(out.text);
  });

  it('returns word timestamps from the cross-attentions', async () => {
    const out = (await asr(audio, { return_timestamps: 'word' })) as AutomaticSpeechRecognitionOutput;
    expect(out.chunks?.length).toBeGreaterThan(0);
    for (const chunk of out.chunks ?? []) {
      expect(chunk.text.length).toBeGreaterThan(0);
      for (const t of chunk.timestamp) {
        expect(typeof t).toBe('number');
        expect(Number.isFinite(t)).toBe(true);
      }
      expect(chunk.timestamp[1]!).toBeGreaterThanOrEqual(chunk.timestamp[0]);
    }
  });

  it('translates from French with the language and task tokens in the prompt', async () => {
    const out = (await asr(audio, {
      language: 'french',
      task: 'translate',
    })) as AutomaticSpeechRecognitionOutput;
    expect(typeof out.text).toBe('string');
    const ids = await generatedIds(asr, audio, { language: 'french', task: 'translate' });
    expect(ids.slice(0, 4)).toEqual([50258, 50265, 50358, 50363]);
  });

  it('handles a batch of two inputs like two single calls', async () => {
    const other = synthAudio(2.5, 12);
    const batch = (await asr([audio, other])) as AutomaticSpeechRecognitionOutput[];
    expect(batch).toHaveLength(2);
    expect(batch[0]!.text).toBe(((await asr(audio)) as AutomaticSpeechRecognitionOutput).text);
    expect(batch[1]!.text).toBe(((await asr(other)) as AutomaticSpeechRecognitionOutput).text);
  });
});

describe('English-only flavour', () => {
  let model: TempModel;
  let asr: AutomaticSpeechRecognitionPipeline;

  beforeAll(async () => {
    model = await makeTempModel({ preset: 'test', seed: 2, multilingual: false });
    env.localModelPath = model.parent;
    asr = await pipeline('automatic-speech-recognition', model.name, { device: 'cpu', dtype: 'fp32' });
  });
  afterAll(async () => {
    await asr?.dispose();
    await model?.cleanup();
  });

  it('transcribes with the .en prompt and refuses a language', async () => {
    const audio = synthAudio(3, 5);
    const out = (await asr(audio, { return_timestamps: true })) as AutomaticSpeechRecognitionOutput;
    expect(out.text.length).toBeGreaterThan(0);
    expect(out.chunks?.[0]?.timestamp[0]).toBe(0);
    const ids = await generatedIds(asr, audio, {});
    expect(ids.slice(0, 2)).toEqual([50257, 50362]);
    expect(ids.at(-1)).toBe(50256);
    await expect(asr(audio, { language: 'french' })).rejects.toThrow(/English-only/);
  });
});
