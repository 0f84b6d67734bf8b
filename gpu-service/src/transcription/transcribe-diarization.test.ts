import type { SpeakerTurn } from '@whisper-edge/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { testModelDir } from '../../test/fixtures.js';
import { synthesizeConversation } from '../../test/synthetic-conversation.js';
import { loadTestModel } from '../../test/test-model.js';
import { speakerAt } from '../diarization/assign-speakers.js';
import { diarizerFactory } from '../diarization/create-diarizer.js';
import type { LoadedModel } from '../models/model-manager.js';
import { Transcriber } from './transcribe.js';

const transcriber = new Transcriber({ diarizers: diarizerFactory() });

// The test model has random weights (no GPU or download here): its words are gibberish, but they come
// with real timestamps from the real pipeline, which is what speaker assignment works from.
let model: LoadedModel;
let pcm: Float32Array;

beforeAll(async () => {
  model = await loadTestModel(testModelDir);
  pcm = synthesizeConversation({ seed: 21, speakers: 2, turns: 6, voices: [2, 3] }).pcm;
}, 60_000);

describe('transcribe with diarization', () => {
  it('labels every segment and word with the speaker the diarizer found there', async () => {
    let turns: SpeakerTurn[] = [];
    const result = await transcriber.transcribe(
      model,
      pcm,
      { task: 'transcribe', language: 'en', diarization: {}, timestamp_granularities: ['word', 'segment'] },
      { temperatures: [0], onDiarized: (found) => (turns = found) },
    );
    expect(new Set(turns.map((t) => t.speaker))).toEqual(new Set(['SPEAKER_00', 'SPEAKER_01']));
    expect(result.segments.length).toBeGreaterThan(0);
    for (const segment of result.segments) {
      expect(segment.speaker).toBe(speakerAt(turns, segment.start, segment.end));
    }
    expect(result.words!.length).toBeGreaterThan(0);
    for (const word of result.words!) expect(word.speaker).toMatch(/^SPEAKER_0[01]$/);
    expect(result.segments.map((s) => s.id)).toEqual(result.segments.map((_, i) => i));
  });

  it('labels segments and words with a known voice’s name where it matches', async () => {
    // Other sentences of voice 3: the second voice of the conversation.
    const voice = synthesizeConversation({ seed: 77, speakers: 1, turns: 3, voices: [3] }).pcm;
    let turns: SpeakerTurn[] = [];
    const result = await transcriber.transcribe(
      model,
      pcm,
      { task: 'transcribe', language: 'en', diarization: {}, timestamp_granularities: ['word'] },
      {
        temperatures: [0],
        voices: [{ name: 'dana', samples: voice.subarray(0, 10 * 16_000) }],
        onDiarized: (found) => (turns = found),
      },
    );
    expect(new Set(turns.map((t) => t.speaker))).toEqual(new Set(['SPEAKER_00', 'dana']));
    expect(result.diarization).toEqual({ backend: 'acoustic' });
    for (const segment of result.segments) {
      expect(segment.speaker).toBe(speakerAt(turns, segment.start, segment.end));
    }
    expect(result.words!.some((w) => w.speaker === 'dana')).toBe(true);
  });

  it('computes words internally but returns them only when asked for', async () => {
    const result = await transcriber.transcribe(
      model,
      pcm,
      { task: 'transcribe', language: 'en', diarization: {} },
      { temperatures: [0] },
    );
    expect(result.words).toBeUndefined();
    expect(result.segments.every((s) => s.speaker !== undefined)).toBe(true);
  });

  it('refuses diarization_backend=neural with a 400 when no neural models are configured', async () => {
    await expect(
      transcriber.transcribe(model, pcm, {
        task: 'transcribe',
        language: 'en',
        diarization: { backend: 'neural' },
      }),
    ).rejects.toMatchObject({
      status: 400,
      param: 'diarization_backend',
      code: 'diarization_backend_unavailable',
    });
  });
});
