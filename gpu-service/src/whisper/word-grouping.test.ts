import { describe, expect, it } from 'vitest';
import { groupWords, writesWithoutSpaces } from './word-grouping.js';

/** A toy vocabulary: token i decodes to PIECES[i]; 100 is the end token, 200 + n the timestamp n × 20 ms. */
const PIECES = [' Hello', ',', ' wor', 'ld', '.', ' "', 'Yes', '"', ' ¿', 'Qué', '?', ' ', '\uFFFD', 'x'];
const vocab = { eot: 100, timestampBegin: 200 };
const ts = (seconds: number) => 200 + Math.round(seconds / 0.02);
/** Decodes bytes of a two-token character: 12 alone is half of "é", 12 + 13 together make it. */
const decode = (ids: number[]) =>
  ids
    .map((id, i) => (id === 12 && ids[i + 1] === 13 ? 'é' : id === 13 && ids[i - 1] === 12 ? '' : PIECES[id]))
    .join('');

/** Tokens with times; every token starts 0.1 s after the one before it, from `from`. */
function timed(tokens: number[], from = 0): { tokens: number[]; times: number[] } {
  return { tokens, times: tokens.map((_, i) => from + i * 0.1) };
}

describe('groupWords', () => {
  it('joins sub-word tokens, attaches closing punctuation, and times each word by its tokens', () => {
    const { tokens, times } = timed([ts(0), 0, 1, 2, 3, 4, ts(1), 100]);
    expect(groupWords(tokens, times, vocab, { decode })).toEqual([
      { word: ' Hello,', start: 0.1, end: 0.22 },
      { word: ' world.', start: 0.3, end: 0.52 },
    ]);
  });

  it("gives each word its tokens' mean probability, punctuation merged in, timestamp tokens left out", () => {
    const { tokens, times } = timed([ts(0), 0, 1, 2, 3, 4, ts(1), 100]);
    // One probability per token, timestamps and the end token included (they are skipped).
    const probabilities = [0.99, 0.9, 0.6, 0.2, 0.4, 0.9, 0.99, 1];
    expect(groupWords(tokens, times, vocab, { decode }, probabilities)).toEqual([
      { word: ' Hello,', start: 0.1, end: 0.22, probability: 0.75 },
      { word: ' world.', start: 0.3, end: 0.52, probability: 0.5 },
    ]);
  });

  it('gives punctuation one timestamp step at most, so a pause after it is not part of the word', () => {
    const tokens = [ts(0), 0, 1, ts(2), 100];
    expect(groupWords(tokens, [0, 0.1, 0.3, 1.9, 1.9], vocab, { decode })).toEqual([
      { word: ' Hello,', start: 0.1, end: 0.32 },
    ]);
  });

  it('attaches opening punctuation to the word after it', () => {
    const { tokens, times } = timed([ts(0), 5, 6, 7, 8, 9, 10, ts(2), 100]);
    expect(groupWords(tokens, times, vocab, { decode }).map((w) => w.word)).toEqual([' "Yes"', ' ¿Qué?']);
  });

  it("caps a word's end at its segment's end, but never before the word's start", () => {
    const tokens = [ts(0), 0, 2, 3, ts(0.2), ts(0.2), 0, ts(0.3), 100];
    const times = [0, 0.1, 0.3, 0.4, 0.5, 0.5, 0.5, 0.9, 0.9];
    expect(groupWords(tokens, times, vocab, { decode })).toEqual([
      // Would end at 0.3, where the next token starts: capped at the segment's 0.2.
      { word: ' Hello', start: 0.1, end: 0.2 },
      // Starts after its segment's end, so capping would turn it inside out: left alone.
      { word: ' world', start: 0.3, end: 0.5 },
      { word: ' Hello', start: 0.5, end: 0.9 },
    ]);
  });

  it('keeps a segment open across a repeated timestamp, and keeps the words of an unclosed last segment', () => {
    const tokens = [ts(0), 0, ts(0), 2, 3, 100];
    const times = [0, 0.1, 0.2, 0.3, 0.4, 0.4];
    expect(groupWords(tokens, times, vocab, { decode })).toEqual([
      { word: ' Hello', start: 0.1, end: 0.2 },
      { word: ' world', start: 0.3, end: 0.4 },
    ]);
  });

  it('never splits a character across words', () => {
    const { tokens, times } = timed([ts(0), 6, 12, 13, ts(1), 100]);
    expect(groupWords(tokens, times, vocab, { decode })).toEqual([{ word: 'Yesé', start: 0.1, end: 0.4 }]);
  });

  it('splits at whole characters, not spaces, for languages written without them', () => {
    const { tokens, times } = timed([ts(0), 6, 12, 13, ts(1), 100]);
    expect(groupWords(tokens, times, vocab, { decode, splitOnCharacters: true })).toEqual([
      { word: 'Yes', start: 0.1, end: 0.2 },
      { word: 'é', start: 0.2, end: 0.4 },
    ]);
    expect(writesWithoutSpaces('ja')).toBe(true);
    expect(writesWithoutSpaces('en')).toBe(false);
  });
});
