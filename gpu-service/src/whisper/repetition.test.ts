import { describe, expect, it } from 'vitest';
import { needsFallback } from './quality.js';
import { collapseLoops, findLoop, keptAfterCollapse } from './repetition.js';

describe('hallucinated loops', () => {
  it('finds a phrase repeated back to back', () => {
    const tokens = [1, 2, 3, 7, 8, 9, 7, 8, 9, 7, 8, 9, 7, 8, 9, 4];
    expect(findLoop(tokens)).toEqual({ start: 3, period: 3, repeats: 4 });
    // A long phrase needs fewer repeats to count.
    const phrase = [11, 12, 13, 14, 15, 16, 17, 18];
    expect(findLoop([...phrase, ...phrase, ...phrase])).toEqual({ start: 0, period: 8, repeats: 3 });
    expect(collapseLoops(tokens)).toEqual([1, 2, 3, 7, 8, 9, 4]);
  });

  it('names the positions a collapse keeps, so per-token times follow their tokens', () => {
    // Two loops: 5 × [7] and 5 × [8, 9].
    const tokens = [1, 7, 7, 7, 7, 7, 2, 8, 9, 8, 9, 8, 9, 8, 9, 8, 9, 3];
    const kept = keptAfterCollapse(tokens);
    expect(kept).toEqual([0, 1, 6, 7, 8, 17]);
    expect(kept.map((i) => tokens[i])).toEqual(collapseLoops(tokens));
  });

  it('leaves ordinary repetition alone', () => {
    // "no, no" and a word said twice are speech, not loops.
    expect(findLoop([5, 6, 5, 6, 9, 9, 10])).toBeUndefined();
    expect(findLoop([1, 2, 3, 4, 1, 2, 3, 4, 5])).toBeUndefined();
    expect(collapseLoops([1, 2, 3])).toEqual([1, 2, 3]);
  });

  it('sends a looping window back for a hotter decode even when it compresses normally', () => {
    const confident = { avgLogprob: -0.2, compressionRatio: 1.3, noSpeechProb: 0.01 };
    expect(needsFallback(confident)).toBe(false);
    expect(needsFallback({ ...confident, looping: true })).toBe(true);
  });

  it('collapses single-token runs and several loops', () => {
    expect(collapseLoops([1, 4, 4, 4, 4, 4, 4, 2, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 3])).toEqual([
      1, 4, 2, 5, 6, 3,
    ]);
  });
});
