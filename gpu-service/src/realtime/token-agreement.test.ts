import { describe, expect, it } from 'vitest';
import { TokenAgreement } from './token-agreement.js';

describe('TokenAgreement (LocalAgreement-2)', () => {
  it('commits nothing on the first hypothesis, then the prefix two in a row share', () => {
    const agreement = new TokenAgreement();
    expect(agreement.offer([1, 2, 3])).toEqual([]);
    expect(agreement.offer([1, 2, 4, 5])).toEqual([1, 2]);
    expect(agreement.committed).toEqual([1, 2]);
    expect(agreement.pending).toEqual([4, 5]);
  });

  it('compares the next hypothesis (continuing after the committed tokens) with the rest of the previous one', () => {
    const agreement = new TokenAgreement();
    agreement.offer([1, 2, 3]);
    agreement.offer([1, 2, 4, 5]);
    // Decoding continues from [1, 2]: the hypothesis is what follows them.
    expect(agreement.offer([4, 5, 6])).toEqual([4, 5]);
    expect(agreement.committed).toEqual([1, 2, 4, 5]);
    expect(agreement.offer([7])).toEqual([]);
    expect(agreement.offer([7, 8])).toEqual([7]);
  });

  it('never takes back a committed token, whatever later hypotheses say', () => {
    const agreement = new TokenAgreement();
    const seen: number[][] = [];
    const hypotheses = [[5, 6, 7], [5, 6, 9], [1, 2], [3], [3, 4], [], [4]];
    for (const h of hypotheses) {
      agreement.offer(h);
      seen.push([...agreement.committed]);
    }
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.slice(0, seen[i - 1]!.length)).toEqual(seen[i - 1]);
    expect(agreement.committed).toEqual([5, 6, 3]);
  });

  it('settle() takes the latest hypothesis whole', () => {
    const agreement = new TokenAgreement();
    agreement.offer([1, 2, 3]);
    agreement.offer([1, 9]);
    expect(agreement.settle()).toEqual([9]);
    expect(agreement.committed).toEqual([1, 9]);
    expect(agreement.pending).toEqual([]);
  });
});
