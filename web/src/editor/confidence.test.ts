import type { TranscriptionResult } from '@whisper-edge/shared';
import { describe, expect, it } from 'vitest';
import { doubtsOf, isDoubtfulSegment, nextDoubt } from './confidence.js';
import { fromResult, setText } from './edit-document.js';

const base = { task: 'transcribe' as const, language: 'en', duration: 9, model: 'm' };
const withWords: TranscriptionResult = {
  ...base,
  text: '',
  segments: [
    { id: 0, start: 0, end: 3, text: ' sure maybe yes' },
    { id: 1, start: 3, end: 6, text: ' all clear here' },
    { id: 2, start: 6, end: 9, text: ' doubt it' },
  ],
  words: [
    { word: 'sure', start: 0, end: 1, probability: 0.95 },
    { word: 'maybe', start: 1, end: 2, probability: 0.31 },
    { word: 'yes', start: 2, end: 3, probability: 0.49 },
    { word: 'all', start: 3, end: 4, probability: 0.9 },
    { word: 'clear', start: 4, end: 5, probability: 0.8 },
    { word: 'here', start: 5, end: 6, probability: 0.99 },
    { word: 'doubt', start: 6, end: 7, probability: 0.1 },
    { word: 'it', start: 7, end: 8, probability: 0.7 },
  ],
};

describe('confidence', () => {
  it('lists the words below the threshold, in reading order', () => {
    expect(doubtsOf(fromResult(withWords))).toEqual([
      { segment: 0, word: 1 },
      { segment: 0, word: 2 },
      { segment: 2, word: 0 },
    ]);
  });

  it('jumps to the next and previous doubt, wrapping around', () => {
    const doubts = doubtsOf(fromResult(withWords));
    expect(nextDoubt(doubts, undefined)).toEqual({ segment: 0, word: 1 });
    expect(nextDoubt(doubts, { segment: 0, word: 2 })).toEqual({ segment: 2, word: 0 });
    expect(nextDoubt(doubts, { segment: 1 })).toEqual({ segment: 2, word: 0 });
    expect(nextDoubt(doubts, { segment: 2, word: 0 })).toEqual({ segment: 0, word: 1 });
    expect(nextDoubt(doubts, { segment: 0, word: 1 }, -1)).toEqual({ segment: 2, word: 0 });
    expect(nextDoubt([], undefined)).toBeUndefined();
  });

  it('clears a doubt once a person retypes the word', () => {
    const doc = setText(fromResult(withWords), 2, 'doubted it');
    expect(doubtsOf(doc)).toEqual([
      { segment: 0, word: 1 },
      { segment: 0, word: 2 },
    ]);
  });

  it('judges segments without word figures by their average log-probability', () => {
    const { words: _w, ...plain } = withWords;
    plain.segments = [
      { ...plain.segments[0]!, avg_logprob: -0.3 },
      { ...plain.segments[1]!, avg_logprob: -1.4 },
      plain.segments[2]!,
    ];
    const doc = fromResult(plain);
    expect(doc.segments.map(isDoubtfulSegment)).toEqual([false, true, false]);
    expect(doubtsOf(doc)).toEqual([{ segment: 1 }]);
    // Edited text is a person's: the figure no longer applies.
    expect(doubtsOf(setText(doc, 1, 'all clear, really'))).toEqual([]);
  });
});
