import { describe, expect, it } from 'vitest';
import { searchSegments } from './transcript-search.js';

const texts = ['Hello there, hello again.', 'General Kenobi.', 'Un café, s’il vous plaît.'];

describe('searchSegments', () => {
  it('finds every occurrence, ignoring case', () => {
    expect(searchSegments(texts, 'HELLO')).toEqual([
      {
        segmentIndex: 0,
        ranges: [
          [0, 5],
          [13, 18],
        ],
      },
    ]);
  });

  it('ignores accents and keeps ranges on the original text', () => {
    const [match] = searchSegments(texts, 'cafe');
    expect(match?.segmentIndex).toBe(2);
    const [start, end] = match!.ranges[0]!;
    expect(texts[2]!.slice(start, end)).toBe('café');
  });

  it('matches nothing for an empty or absent query', () => {
    expect(searchSegments(texts, '  ')).toEqual([]);
    expect(searchSegments(texts, 'obi-wan')).toEqual([]);
  });
});
