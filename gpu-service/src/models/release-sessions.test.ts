import { describe, expect, it } from 'vitest';
import { testModelDir } from '../../test/fixtures.js';
import { speechSamples } from '../../test/test-model.js';
import { diarizerFactory } from '../diarization/create-diarizer.js';
import { Transcriber } from '../transcription/transcribe.js';
import { ModelManager } from './model-manager.js';

describe('the main thread’s copy of the sessions', () => {
  it('is freed once engine workers hold theirs; transcription, names and unload still work', async () => {
    const manager = new ModelManager({
      model: testModelDir,
      modelDir: testModelDir,
      device: 'cpu',
      hubTimeoutMs: 1000,
      engineWorkers: 1,
    });
    const model = await manager.get();
    const decoderOutputs = [...model.whisper.sessions.decoder.outputNames];
    const transcriber = new Transcriber({ diarizers: diarizerFactory() });
    const options = { task: 'transcribe' as const, language: 'en' };
    const result = await transcriber.transcribe(model, await speechSamples(), options, { temperatures: [0] });
    expect(result.segments.length).toBeGreaterThan(0);
    // What the main thread still reads survives; running the freed sessions says where they are.
    expect(model.whisper.sessions.decoder.outputNames).toEqual(decoderOutputs);
    await expect(model.whisper.sessions.encoder.run({})).rejects.toThrow(/live on its engine workers/);
    // Words need the decoder's cross-attention outputs, read from the names alone.
    const again = await transcriber.transcribe(
      model,
      await speechSamples(),
      { ...options, timestamp_granularities: ['word'] },
      { temperatures: [0] },
    );
    expect(again.text).toBe(result.text);
    expect(again.words!.length).toBeGreaterThan(0);
    // The pipeline's own dispose at unload must not trip over the sessions already released.
    await expect(manager.unload()).resolves.toBeUndefined();
  });
});
