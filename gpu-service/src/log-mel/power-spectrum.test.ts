import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/test-signals.js';
import { periodicHann } from './hann-window.js';
import { PowerSpectrum } from './power-spectrum.js';

describe('PowerSpectrum', () => {
  it('equals |DFT|² of the windowed frame, read at an offset, rounded to float32', () => {
    const n = 400;
    const window = periodicHann(n);
    const random = seededRandom(7);
    const samples = Float32Array.from({ length: 1000 }, () => random() * 2 - 1);
    const offset = 160;
    const out = new Float64Array(n / 2 + 1);
    new PowerSpectrum(n, window).compute(samples, offset, out);

    for (let k = 0; k <= n / 2; k++) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < n; j++) {
        const x = samples[offset + j]! * window[j]!;
        const angle = (-2 * Math.PI * ((j * k) % n)) / n;
        re += x * Math.cos(angle);
        im += x * Math.sin(angle);
      }
      const expected = re * re + im * im;
      expect(Math.fround(out[k]!)).toBe(out[k]);
      expect(Math.abs(out[k]! - expected)).toBeLessThanOrEqual(1e-6 * Math.max(expected, 1e-3));
    }
  });

  it('matches the periodic Hann window numpy and Transformers.js use', () => {
    const window = periodicHann(400);
    expect(window[0]).toBe(0);
    expect(window[200]).toBe(1);
    expect(window[100]).toBeCloseTo(0.5, 15);
  });
});
