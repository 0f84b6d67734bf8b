import { describe, expect, it } from 'vitest';
import { findCueIndex, wordsBySegment } from './cue-lookup.js';

const spans = [
  { start: 0, end: 1.5 },
  { start: 1.5, end: 3 },
  { start: 4, end: 6 },
  { start: 7, end: 7 },
];

describe('findCueIndex', () => {
  it('finds the span playing at a time, with ends exclusive', () => {
    expect(findCueIndex(spans, 0)).toBe(0);
    expect(findCueIndex(spans, 1.49)).toBe(0);
    expect(findCueIndex(spans, 1.5)).toBe(1);
    expect(findCueIndex(spans, 5.99)).toBe(2);
  });

  it('answers -1 before the first span, in gaps and after the last', () => {
    expect(findCueIndex(spans, -1)).toBe(-1);
    expect(findCueIndex(spans, 3.5)).toBe(-1);
    expect(findCueIndex(spans, 9)).toBe(-1);
    expect(findCueIndex([], 1)).toBe(-1);
  });

  it('matches a zero-length span at its instant only', () => {
    expect(findCueIndex(spans, 7)).toBe(3);
    expect(findCueIndex(spans, 7.01)).toBe(-1);
  });

  it('agrees with a linear scan on many spans', () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ start: i * 0.4, end: i * 0.4 + 0.3 }));
    for (const time of [0, 0.35, 17.2, 1999.75, 1999.9]) {
      const linear = many.findIndex((s) => s.start <= time && time < s.end);
      expect(findCueIndex(many, time)).toBe(linear);
    }
  });
});

describe('wordsBySegment', () => {
  it('groups words under the segment holding their midpoint', () => {
    const segments = [
      { start: 0, end: 2 },
      { start: 2, end: 5 },
    ];
    const words = [
      { word: 'a', start: 0, end: 0.5 },
      { word: 'b', start: 1.8, end: 2.1 },
      { word: 'c', start: 2.0, end: 2.6 },
      { word: 'd', start: 5.5, end: 6 },
    ];
    expect(wordsBySegment(segments, words).map((g) => g.map((w) => w.word))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('keeps a word whose midpoint is a boundary with the segment ending there (as the GPU service does)', () => {
    const segments = [
      { start: 0, end: 2 },
      { start: 2, end: 4 },
    ];
    const words = [
      { word: 'x', start: 1.5, end: 2.5 },
      { word: 'y', start: 2.5, end: 3 },
    ];
    expect(wordsBySegment(segments, words).map((g) => g.map((w) => w.word))).toEqual([['x'], ['y']]);
  });
});
