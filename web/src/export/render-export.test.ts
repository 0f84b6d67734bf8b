import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../transcript/transcript.js';
import { renderExport } from './render-export.js';

// Hand-written verbose_json in OpenAI's shape, with the `speaker` field diarization adds.
const diarized = parseTranscript({
  task: 'transcribe',
  language: 'english',
  duration: 7.5,
  text: 'Hello there. General Kenobi. You are a bold one.',
  segments: [
    { id: 0, seek: 0, start: 0, end: 1.25, text: ' Hello there.', speaker: 'SPEAKER_00' },
    { id: 1, seek: 125, start: 1.5, end: 3.75, text: ' General Kenobi.', speaker: 'SPEAKER_01' },
    { id: 2, seek: 400, start: 4, end: 7.5, text: ' You are a bold one.', speaker: 'SPEAKER_01' },
  ],
  words: [{ word: 'Hello', start: 0, end: 0.5 }],
  storage_url: 's3://default-uploads/transcriptions/x.json',
});

const plain = parseTranscript({
  task: 'transcribe',
  language: 'english',
  duration: 3,
  text: 'One. Two.',
  segments: [
    { id: 0, start: 0, end: 1, text: ' One.' },
    { id: 1, start: 1, end: 3, text: ' Two.' },
  ],
});

describe('renderExport', () => {
  it('renders SRT with the shared formatter, naming speakers as renamed', () => {
    const srt = renderExport(diarized, 'srt', {
      renames: { SPEAKER_01: 'Grievous' },
      sourceName: 'duel.mp4',
    });
    expect(srt.filename).toBe('duel.srt');
    expect(srt.body).toBe(
      '1\n00:00:00,000 --> 00:00:01,250\nSpeaker 1: Hello there.\n\n' +
        '2\n00:00:01,500 --> 00:00:03,750\nGrievous: General Kenobi.\n\n' +
        '3\n00:00:04,000 --> 00:00:07,500\nGrievous: You are a bold one.\n',
    );
  });

  it('renders WebVTT and plain subtitles without speakers', () => {
    expect(renderExport(plain, 'vtt').body).toBe(
      'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nOne.\n\n00:00:01.000 --> 00:00:03.000\nTwo.\n',
    );
    expect(renderExport(plain, 'srt').body.startsWith('1\n00:00:00,000 --> 00:00:01,000\nOne.\n')).toBe(true);
  });

  it('renders txt as the transcript, or as a script when speakers are known', () => {
    expect(renderExport(plain, 'txt').body).toBe('One. Two.\n');
    expect(renderExport(diarized, 'txt', { renames: { SPEAKER_00: 'Obi-Wan' } }).body).toBe(
      'Obi-Wan: Hello there.\nSpeaker 2: General Kenobi.\nSpeaker 2: You are a bold one.\n',
    );
  });

  it('keeps verbose_json whole, adding the chosen speaker labels', () => {
    const out = JSON.parse(
      renderExport(diarized, 'verbose_json', { renames: { SPEAKER_00: 'Obi-Wan' } }).body,
    );
    expect(out.storage_url).toBe('s3://default-uploads/transcriptions/x.json');
    expect(out.words).toHaveLength(1);
    expect(out.segments[0]).toMatchObject({ seek: 0, speaker: 'SPEAKER_00', speaker_label: 'Obi-Wan' });
    expect(JSON.parse(renderExport(plain, 'json').body)).toEqual({ text: 'One. Two.' });
  });
});

describe('parseTranscript', () => {
  it('refuses an answer without segments rather than showing nothing', () => {
    expect(() => parseTranscript({ text: 'hi' })).toThrow(/verbose_json/);
    expect(() => parseTranscript({ text: 'hi', segments: [{ start: 'a' }] })).toThrow(/segment 0/);
  });
});
