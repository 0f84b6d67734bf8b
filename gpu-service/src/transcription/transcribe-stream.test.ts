import { beforeAll, describe, expect, it } from 'vitest';
import { testModelDir } from '../../test/fixtures.js';
import { loadTestModel, speechSamples } from '../../test/test-model.js';
import { diarizerFactory } from '../diarization/create-diarizer.js';
import type { LoadedModel } from '../models/model-manager.js';
import { ModelManager } from '../models/model-manager.js';
import { Transcriber } from './transcribe.js';

const transcriber = new Transcriber({ diarizers: diarizerFactory() });

const SR = 16_000;
let model: LoadedModel;
let clip: Float32Array;

beforeAll(async () => {
  model = await loadTestModel();
  clip = await speechSamples();
});

/** `minutes` of audio, the speech clip at the start of each minute, in one-second blocks. */
async function* minutesOfSpeech(minutes: number): AsyncGenerator<Float32Array> {
  for (let second = 0; second < minutes * 60; second++) {
    const block = new Float32Array(SR);
    const from = (second % 60) * SR;
    if (from < clip.length) block.set(clip.subarray(from, Math.min(clip.length, from + SR)));
    yield block;
  }
}

describe('streaming transcription', () => {
  it('holds a bounded amount of audio however long the input, and maps every segment to its minute', async () => {
    let maxRetained = 0;
    const result = await transcriber.transcribeStream(
      model,
      minutesOfSpeech(8),
      { task: 'transcribe', language: 'en' },
      { temperatures: [0], onRetained: (n) => (maxRetained = Math.max(maxRetained, n)) },
    );
    expect(result.duration).toBe(480);
    // The windows waiting to fill a batch (≤ 30 s of speech each, the last being assembled) plus VAD's
    // look-behind (35 s): never the whole 8 min.
    expect(maxRetained / SR).toBeLessThanOrEqual(66 + (model.batchSize - 1) * 30);
    expect(result.segments.length).toBeGreaterThan(0);
    const clipSeconds = clip.length / SR;
    for (const segment of result.segments) {
      const minuteStart = Math.floor((segment.start + 0.5) / 60) * 60;
      expect(segment.start).toBeGreaterThanOrEqual(minuteStart - 0.3);
      expect(segment.end).toBeLessThanOrEqual(minuteStart + clipSeconds + 0.3);
    }
  });
});

describe('concurrent requests', () => {
  it('share batches on the device and get the same transcripts as when run alone', async () => {
    const batched = await new ModelManager({
      model: testModelDir,
      modelDir: testModelDir,
      device: 'cpu',
      hubTimeoutMs: 1000,
      batchSize: 4,
    }).get();
    const options = { task: 'transcribe' as const, language: 'en' };
    const alone = await transcriber.transcribeStream(batched, minutesOfSpeech(2), options, {
      temperatures: [0],
    });
    const [a, b] = await Promise.all([
      transcriber.transcribeStream(batched, minutesOfSpeech(2), options, { temperatures: [0] }),
      transcriber.transcribeStream(batched, minutesOfSpeech(2), options, { temperatures: [0] }),
    ]);
    expect(a.segments).toEqual(alone.segments);
    expect(b.segments).toEqual(alone.segments);
  });
});
