import { describe, expect, it } from 'vitest';
import type { TranscriptionResult } from '../transcription.js';
import { formatResponse } from './format-response.js';
import { formatCueTime } from './timestamps.js';

const result: TranscriptionResult = {
  task: 'transcribe',
  text: 'Hello there. General Kenobi.',
  language: 'en',
  duration: 3661.5,
  model: 'test',
  segments: [
    { id: 0, start: 0, end: 1.25, text: ' Hello there.' },
    { id: 1, start: 3600.5, end: 3661.5, text: ' General Kenobi.' },
  ],
};

describe('formatResponse', () => {
  it('json carries the text and the billed audio seconds (rounded up), as OpenAI does', () => {
    const { body, contentType } = formatResponse(result, 'json');
    expect(JSON.parse(body)).toEqual({
      text: 'Hello there. General Kenobi.',
      usage: { type: 'duration', seconds: 3662 },
    });
    expect(contentType).toMatch(/^application\/json/);
  });

  it('text is the plain transcript', () => {
    expect(formatResponse(result, 'text')).toEqual({
      body: 'Hello there. General Kenobi.\n',
      contentType: 'text/plain; charset=utf-8',
    });
  });

  it('srt numbers cues from 1 and uses comma milliseconds', () => {
    expect(formatResponse(result, 'srt').body).toBe(
      '1\n00:00:00,000 --> 00:00:01,250\nHello there.\n\n2\n01:00:00,500 --> 01:01:01,500\nGeneral Kenobi.\n',
    );
  });

  it('vtt starts with the WEBVTT header and uses dot milliseconds', () => {
    expect(formatResponse(result, 'vtt').body).toBe(
      'WEBVTT\n\n00:00:00.000 --> 00:00:01.250\nHello there.\n\n01:00:00.500 --> 01:01:01.500\nGeneral Kenobi.\n',
    );
  });

  it('skips empty segments in subtitles so no cue is blank', () => {
    const withEmpty = {
      ...result,
      segments: [...result.segments, { id: 2, start: 4000, end: 4001, text: '  ' }],
    };
    expect(formatResponse(withEmpty, 'srt').body).not.toContain('3\n');
  });
});

describe('formatCueTime', () => {
  it('rounds to milliseconds without carrying errors into seconds', () => {
    expect(formatCueTime(59.9996, '.')).toBe('00:01:00.000');
    expect(formatCueTime(0.0004, ',')).toBe('00:00:00,000');
    expect(formatCueTime(-1, ',')).toBe('00:00:00,000');
  });
});

describe('verbose_json', () => {
  const withWords: TranscriptionResult = {
    ...result,
    words: [
      { word: 'Hello', start: 0, end: 0.5 },
      { word: 'there.', start: 0.5, end: 1.25 },
    ],
  };

  it('has OpenAI’s shape: full language name and segments by default', () => {
    const body = JSON.parse(formatResponse(withWords, 'verbose_json').body);
    expect(body).toEqual({
      task: 'transcribe',
      language: 'english',
      duration: 3661.5,
      text: 'Hello there. General Kenobi.',
      segments: [
        { id: 0, seek: 0, start: 0, end: 1.25, text: ' Hello there.' },
        { id: 1, seek: 360050, start: 3600.5, end: 3661.5, text: ' General Kenobi.' },
      ],
      usage: { type: 'duration', seconds: 3662 },
    });
  });

  it('adds words when asked for, and drops segments unless asked for too', () => {
    const words = JSON.parse(
      formatResponse(withWords, 'verbose_json', { timestampGranularities: ['word'] }).body,
    );
    expect(words.words).toEqual(withWords.words);
    expect(words.segments).toBeUndefined();
    const both = JSON.parse(
      formatResponse(withWords, 'verbose_json', { timestampGranularities: ['word', 'segment'] }).body,
    );
    expect(both.segments).toHaveLength(2);
    expect(both.words).toHaveLength(2);
  });

  it('reports english for translations, and carries extras', () => {
    const body = JSON.parse(
      formatResponse({ ...result, task: 'translate', language: 'fr' }, 'verbose_json', {
        extras: { storage_url: 's3://b/k' },
      }).body,
    );
    expect(body).toMatchObject({ task: 'translate', language: 'english', storage_url: 's3://b/k' });
  });
});
