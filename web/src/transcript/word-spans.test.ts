import { describe, expect, it } from 'vitest';
import { alignWords } from './word-spans.js';

const join = (pieces: Array<{ text: string }>) => pieces.map((p) => p.text).join('');

describe('alignWords', () => {
  it('marks each word where it occurs, keeping the text exactly', () => {
    const text = 'Hello there, General Kenobi.';
    const pieces = alignWords(text, [{ word: ' Hello' }, { word: ' there,' }, { word: ' Kenobi.' }]);
    expect(join(pieces)).toBe(text);
    expect(pieces.filter((p) => p.word !== undefined).map((p) => [p.text, p.word])).toEqual([
      ['Hello', 0],
      ['there,', 1],
      ['Kenobi.', 2],
    ]);
  });

  it('skips words the text does not contain, and matches repeated words in order', () => {
    const text = 'the cat and the hat';
    const pieces = alignWords(text, [{ word: 'the' }, { word: 'dog' }, { word: 'the' }, { word: 'hat' }]);
    expect(join(pieces)).toBe(text);
    const marked = pieces.filter((p) => p.word !== undefined);
    expect(marked.map((p) => p.word)).toEqual([0, 2, 3]);
    expect(pieces.findIndex((p) => p.word === 2)).toBeGreaterThan(pieces.findIndex((p) => p.word === 0));
  });

  it('keeps plain text when there are no words', () => {
    expect(alignWords('just text', [])).toEqual([{ text: 'just text' }]);
  });
});
