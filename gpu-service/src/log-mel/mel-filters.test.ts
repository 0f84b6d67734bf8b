import { describe, expect, it } from 'vitest';
import { referenceExtractor } from '../../test/log-mel-reference.js';
import { N_FREQ_BINS } from '../audio/whisper-audio.js';
import { slaneyMelFilters, sparseMelFilters } from './mel-filters.js';

describe('mel filters', () => {
  for (const nMels of [80, 128]) {
    it(`${nMels} bins equal Transformers.js's slaney filter bank`, () => {
      const reference = referenceExtractor(nMels).config.mel_filters as number[][];
      const ours = slaneyMelFilters(nMels);
      expect(reference).toHaveLength(nMels);
      let maxDiff = 0;
      reference.forEach((row, m) => {
        row.forEach((w, k) => {
          maxDiff = Math.max(maxDiff, Math.abs(w - ours[m * N_FREQ_BINS + k]!));
        });
      });
      expect(maxDiff).toBeLessThan(1e-15);
    });

    it(`${nMels} bins: the sparse form holds exactly the float32 non-zero weights`, () => {
      const dense = slaneyMelFilters(nMels).map(Math.fround);
      const { start, end, weights } = sparseMelFilters(nMels);
      const rebuilt = new Float64Array(nMels * N_FREQ_BINS);
      let w = 0;
      for (let m = 0; m < nMels; m++) {
        for (let k = start[m]!; k < end[m]!; k++) rebuilt[m * N_FREQ_BINS + k] = weights[w++]!;
      }
      expect(w).toBe(weights.length);
      const mismatches = rebuilt.filter((value, i) => value !== dense[i]).length;
      expect(mismatches).toBe(0);
    });
  }
});
