import { describe, expect, it } from 'vitest';
import type { TranscriptionResult } from '../transcription.js';
import { formatResponse } from './format-response.js';

const base: Omit<TranscriptionResult, 'segments'> = {
  task: 'transcribe',
  text: '',
  language: 'en',
  duration: 60,
  model: 'test',
};

describe('response_format=paragraphs', () => {
  it('joins segments into paragraphs, breaking at pauses of 2 s or more', () => {
    const { body, contentType } = formatResponse(
      {
        ...base,
        segments: [
          { id: 0, start: 0, end: 2, text: ' First thought.' },
          { id: 1, start: 2.3, end: 4, text: ' Still the first.' },
          { id: 2, start: 7, end: 9, text: ' After a pause.' },
        ],
      },
      'paragraphs',
    );
    expect(contentType).toMatch(/^text\/plain/);
    expect(body).toBe('First thought. Still the first.\n\nAfter a pause.\n');
  });

  it('starts a paragraph at each speaker change, labelled', () => {
    const { body } = formatResponse(
      {
        ...base,
        segments: [
          { id: 0, start: 0, end: 1, text: ' Hello.', speaker: 'SPEAKER_00' },
          { id: 1, start: 1.1, end: 2, text: ' Hi there.', speaker: 'SPEAKER_01' },
          { id: 2, start: 2.1, end: 3, text: ' How are you?', speaker: 'SPEAKER_01' },
        ],
      },
      'paragraphs',
    );
    expect(body).toBe('SPEAKER_00: Hello.\n\nSPEAKER_01: Hi there. How are you?\n');
  });

  it('ends a long paragraph at its next sentence end', () => {
    const sentence = ' This sentence is about sixty characters long, give or take.';
    const segments = Array.from({ length: 20 }, (_, i) => ({
      id: i,
      start: i,
      end: i + 0.9,
      text: sentence,
    }));
    const paragraphs = formatResponse({ ...base, segments }, 'paragraphs')
      .body.trim()
      .split('\n\n');
    expect(paragraphs.length).toBeGreaterThan(1);
    for (const p of paragraphs) expect(p.length).toBeLessThan(700);
  });
});
