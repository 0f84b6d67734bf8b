import { describe, expect, it } from 'vitest';
import { buildTranscriptionRequest, type TranscriptionChoices } from './transcription-request.js';

const base: TranscriptionChoices = {
  storageKey: 'uploads/a.wav',
  model: 'whisper-1',
  language: '',
  task: 'transcribe',
  wordTimestamps: true,
  diarization: false,
  numSpeakers: undefined,
  saveCopy: false,
  outputKey: '',
};

describe('buildTranscriptionRequest', () => {
  it('asks for verbose_json with segment and word timestamps, language auto-detected', () => {
    expect(buildTranscriptionRequest(base)).toEqual({
      path: '/v1/audio/transcriptions',
      body: {
        storage_key: 'uploads/a.wav',
        model: 'whisper-1',
        response_format: 'verbose_json',
        timestamp_granularities: ['segment', 'word'],
      },
    });
  });

  it('sends diarization, speaker count, language and an export key when chosen', () => {
    const { body } = buildTranscriptionRequest({
      ...base,
      language: 'fr',
      wordTimestamps: false,
      diarization: true,
      numSpeakers: 3,
      outputKey: ' meetings/m1.json ',
    });
    expect(body).toMatchObject({
      language: 'fr',
      timestamp_granularities: ['segment'],
      enable_diarization: true,
      num_speakers: 3,
      stored_output: true,
      output_key: 'meetings/m1.json',
    });
  });

  it('translates on the translations endpoint, without a language', () => {
    const request = buildTranscriptionRequest({ ...base, task: 'translate', language: 'de', numSpeakers: 2 });
    expect(request.path).toBe('/v1/audio/translations');
    expect(request.body.language).toBeUndefined();
    // A speaker count without diarization means nothing to the service, so it is not sent.
    expect(request.body.num_speakers).toBeUndefined();
  });
});
