import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/test-signals.js';
import { ComplexFft } from './complex-fft.js';

/** O(n²) DFT straight from the definition, in float64. */
function naiveDft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < n; j++) {
      const angle = (-2 * Math.PI * ((j * k) % n)) / n;
      outRe[k]! += re[j]! * Math.cos(angle) - im[j]! * Math.sin(angle);
      outIm[k]! += re[j]! * Math.sin(angle) + im[j]! * Math.cos(angle);
    }
  }
  return [outRe, outIm];
}

describe('ComplexFft', () => {
  // 200 is the size Whisper needs; the others exercise each radix alone and mixed.
  for (const size of [200, 2, 4, 5, 8, 25, 40, 100, 500]) {
    it(`matches the DFT definition for n = ${size}`, () => {
      const random = seededRandom(size);
      const re = Float64Array.from({ length: size }, () => random() - 0.5);
      const im = Float64Array.from({ length: size }, () => random() - 0.5);
      const [expectedRe, expectedIm] = naiveDft(re, im);
      new ComplexFft(size).transform(re, im);
      for (let k = 0; k < size; k++) {
        expect(Math.abs(re[k]! - expectedRe[k]!)).toBeLessThan(1e-12 * size);
        expect(Math.abs(im[k]! - expectedIm[k]!)).toBeLessThan(1e-12 * size);
      }
    });
  }

  it('rejects sizes with other prime factors', () => {
    expect(() => new ComplexFft(12)).toThrow(/2s and 5s/);
  });
});
