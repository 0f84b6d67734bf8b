import { describe, expect, it } from 'vitest';
import { type EditWord, retimeWords, tokenize } from './retime-words.js';

const words: EditWord[] = [
  { word: 'The', start: 0, end: 0.3, probability: 0.99 },
  { word: 'quick', start: 0.3, end: 0.7, probability: 0.4 },
  { word: 'brown', start: 0.8, end: 1.2, probability: 0.9 },
  { word: 'fox.', start: 1.3, end: 2, probability: 0.95 },
];
const segment = { start: 0, end: 2.5 };

describe('retimeWords', () => {
  it('keeps every word, time and probability when the text is unchanged', () => {
    expect(retimeWords(words, 'The quick brown fox.', segment)).toEqual(words);
  });

  it('keeps unchanged words and spreads a replacement over the time of the word it replaced', () => {
    const out = retimeWords(words, 'The quack brown fox.', segment);
    expect(out.map((w) => w.word)).toEqual(['The', 'quack', 'brown', 'fox.']);
    expect(out[0]).toEqual(words[0]);
    expect(out[2]).toEqual(words[2]);
    expect(out[3]).toEqual(words[3]);
    // Typed by a person: its time is the old word's, and nothing says it is doubtful.
    expect(out[1]).toEqual({ word: 'quack', start: 0.3, end: 0.7 });
  });

  it('splits the replaced time between several new words by their length', () => {
    const out = retimeWords(words, 'The very quick-witted brown fox.', segment);
    expect(out.map((w) => w.word)).toEqual(['The', 'very', 'quick-witted', 'brown', 'fox.']);
    const [very, witted] = [out[1]!, out[2]!];
    expect(very.start).toBe(0.3);
    expect(witted.end).toBe(0.7);
    expect(very.end).toBe(witted.start);
    // 'very' is 5 of 18 weighted characters (each word's length + 1).
    expect(very.end).toBeCloseTo(0.3 + (0.4 * 5) / 18, 3);
  });

  it('places an inserted word in the gap between its unchanged neighbours', () => {
    const out = retimeWords(words, 'The quick and brown fox.', segment);
    expect(out[2]).toEqual({ word: 'and', start: 0.7, end: 0.8 });
    expect(out.filter((w) => w.word !== 'and')).toEqual(words);
  });

  it('uses the segment edges for words added before the first or after the last', () => {
    const out = retimeWords(words.slice(1, 3), 'Oh quick brown indeed', { start: 0.1, end: 1.6 });
    expect(out[0]).toEqual({ word: 'Oh', start: 0.1, end: 0.3 });
    expect(out[3]).toEqual({ word: 'indeed', start: 1.2, end: 1.6 });
  });

  it('drops deleted words and leaves the rest untouched', () => {
    expect(retimeWords(words, 'The fox.', segment)).toEqual([words[0], words[3]]);
    expect(retimeWords(words, '', segment)).toEqual([]);
  });

  it('matches repeated words in order and keeps times running forwards', () => {
    const repeated: EditWord[] = [
      { word: 'no', start: 0, end: 0.2 },
      { word: 'no', start: 0.3, end: 0.5 },
      { word: 'yes', start: 0.6, end: 0.9 },
    ];
    const out = retimeWords(repeated, 'no no no yes', { start: 0, end: 1 });
    expect(out).toHaveLength(4);
    for (let i = 1; i < out.length; i++) expect(out[i]!.start).toBeGreaterThanOrEqual(out[i - 1]!.end - 1e-9);
    expect(out.at(-1)).toEqual(repeated[2]);
  });

  it('invents nothing for a segment that had no word times', () => {
    expect(retimeWords([], 'Some new words', segment)).toEqual([]);
  });

  it('times languages written without spaces per character', () => {
    expect(tokenize('你好 世界', false)).toEqual(['你', '好', '世', '界']);
    const chars: EditWord[] = ['你', '好', '世', '界'].map((word, i) => ({
      word,
      start: i * 0.5,
      end: i * 0.5 + 0.4,
    }));
    const out = retimeWords(chars, '你们好世界', { start: 0, end: 2 }, false);
    expect(out.map((w) => w.word)).toEqual(['你', '们', '好', '世', '界']);
    expect(out[1]).toEqual({ word: '们', start: 0.4, end: 0.5 });
  });
});
