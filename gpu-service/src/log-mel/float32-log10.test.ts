import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/test-signals.js';
import { log10OfFloat32Bits } from './float32-log10.js';

describe('log10OfFloat32Bits', () => {
  it('rounds to the same float32 as Math.log10 across the log-mel range', () => {
    const random = seededRandom(11);
    // Mel power spans the 1e-10 floor to well above any real peak.
    const values = Float32Array.from({ length: 200_000 }, () => 10 ** (random() * 16 - 10));
    values.set([Math.fround(1e-10), 1, 2, 10, 0.5, 3.4e38]);
    const bits = new Int32Array(values.buffer);
    let mismatches = 0;
    values.forEach((v, i) => {
      if (Math.fround(log10OfFloat32Bits(bits[i]!, v)) !== Math.fround(Math.log10(v))) mismatches++;
    });
    expect(mismatches).toBe(0);
  });

  it('falls back to Math.log10 outside positive normal floats', () => {
    const values = Float32Array.of(0, -1, 1e-45, Number.POSITIVE_INFINITY, Number.NaN);
    const bits = new Int32Array(values.buffer);
    values.forEach((v, i) => {
      expect(log10OfFloat32Bits(bits[i]!, v)).toBe(Math.log10(v));
    });
  });
});
