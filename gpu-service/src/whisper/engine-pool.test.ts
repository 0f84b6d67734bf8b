import { ApiError } from '@whisper-edge/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTestModel, speechSamples } from '../../test/test-model.js';
import type { LoadedModel } from '../models/model-manager.js';
import type { DecodeOptions } from './decode-types.js';
import { EnginePool } from './engine-pool.js';
import { WhisperEngine } from './whisper-engine.js';

let model: LoadedModel;
let pool: EnginePool;
let windows: Float32Array[];

beforeAll(async () => {
  model = await loadTestModel();
  pool = await EnginePool.start(model);
  const speech = await speechSamples();
  windows = [speech, speech.slice().reverse(), speech.subarray(0, speech.length >> 1)];
});
afterAll(async () => {
  await pool?.close();
});

describe('the engine on worker threads', () => {
  it('defaults to one engine worker on CPU, with every CPU as its intra-op threads', () => {
    expect(model.engineWorkers).toBe(1);
    expect(pool.workers).toBe(1);
    expect(model.engineThreads).toBeGreaterThanOrEqual(1);
  });

  it('gives token for token what the engine on the main thread gives, words and timestamps included', async () => {
    const options: DecodeOptions = {
      language: 'en',
      task: 'transcribe',
      withTimestamps: true,
      withWords: true,
      temperatures: [0, 0.4],
    };
    const local = new WhisperEngine(model.whisper, await model.features(), { batchSize: 1 });
    const expected = await local.transcribeWindows(windows, options);
    const got = await pool.transcribeWindows(windows, options);
    expect(got.map((r) => r.tokens)).toEqual(expected.map((r) => r.tokens));
    expect(got.map((r) => r.words)).toEqual(expected.map((r) => r.words));
    expect(got.map((r) => r.temperature)).toEqual(expected.map((r) => r.temperature));
    expect(await pool.detectLanguage(windows[0]!)).toEqual(
      expect.objectContaining({ language: (await local.detectLanguage(windows[0]!)).language }),
    );
  });

  it("passes a worker's ApiError on as one (a 400, not a 500)", async () => {
    const error = await pool
      .transcribeWindows([windows[0]!], { language: 'yue', task: 'transcribe', withTimestamps: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'unsupported_language', param: 'language' });
  });
});
