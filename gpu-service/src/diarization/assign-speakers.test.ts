import { describe, expect, it } from 'vitest';
import { assignSpeakers, speakerAt } from './assign-speakers.js';

const turns = [
  { start: 0, end: 2.1, speaker: 'SPEAKER_00' },
  { start: 2.4, end: 5, speaker: 'SPEAKER_01' },
];

describe('assignSpeakers', () => {
  it('splits a segment at the word where the speaker changes', () => {
    const { segments, words } = assignSpeakers(
      [
        {
          id: 0,
          start: 0,
          end: 4,
          text: ' Hello there. Hi, how are you?',
          tokens: [1, 2, 3],
          avg_logprob: -0.2,
        },
      ],
      [
        { word: 'Hello', start: 0.1, end: 0.6 },
        { word: 'there.', start: 0.7, end: 1.9 },
        { word: 'Hi,', start: 2.5, end: 2.8 },
        { word: 'how', start: 2.9, end: 3.1 },
        { word: 'are', start: 3.1, end: 3.3 },
        { word: 'you?', start: 3.3, end: 4 },
      ],
      turns,
    );
    expect(segments).toEqual([
      { id: 0, start: 0, end: 1.9, text: ' Hello there.', avg_logprob: -0.2, speaker: 'SPEAKER_00' },
      { id: 1, start: 2.5, end: 4, text: ' Hi, how are you?', avg_logprob: -0.2, speaker: 'SPEAKER_01' },
    ]);
    expect(words.map((w) => w.speaker)).toEqual([
      'SPEAKER_00',
      'SPEAKER_00',
      'SPEAKER_01',
      'SPEAKER_01',
      'SPEAKER_01',
      'SPEAKER_01',
    ]);
  });

  it('labels a segment without words by the speaker it overlaps most, keeping its ids in order', () => {
    const { segments } = assignSpeakers(
      [
        { id: 0, start: 0, end: 2, text: ' a' },
        { id: 1, start: 2, end: 4.5, text: ' b' },
      ],
      [],
      turns,
    );
    expect(segments.map((s) => [s.id, s.speaker])).toEqual([
      [0, 'SPEAKER_00'],
      [1, 'SPEAKER_01'],
    ]);
  });

  it('falls back to the nearest turn in a gap, and leaves everything unlabelled without turns', () => {
    expect(speakerAt(turns, 2.2, 2.3)).toBe('SPEAKER_00');
    expect(speakerAt(turns, 9, 10)).toBe('SPEAKER_01');
    const { segments } = assignSpeakers([{ id: 0, start: 0, end: 1, text: ' x' }], [], []);
    expect(segments[0]!.speaker).toBeUndefined();
  });
});
