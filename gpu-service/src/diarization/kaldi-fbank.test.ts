import { describe, expect, it } from 'vitest';
import { kaldiFbank } from './kaldi-fbank.js';

describe('kaldiFbank', () => {
  const tone = (hz: number, seconds = 1) =>
    Float32Array.from(
      { length: seconds * 16_000 },
      (_, i) => 0.3 * Math.sin((2 * Math.PI * hz * i) / 16_000),
    );

  it('frames 25 ms every 10 ms without edge padding, and removes the per-utterance mean', () => {
    const { frames, data } = kaldiFbank(tone(440));
    expect(frames).toBe(1 + Math.floor((16_000 - 400) / 160));
    for (let m = 0; m < 80; m++) {
      let mean = 0;
      for (let f = 0; f < frames; f++) mean += data[f * 80 + m]!;
      expect(Math.abs(mean / frames)).toBeLessThan(1e-3);
    }
    expect(kaldiFbank(new Float32Array(399)).frames).toBe(0);
  });

  it('puts a tone’s energy in a higher mel bin the higher the tone', () => {
    // CMN removes the level per bin, so compare the raw spectrum shape via two tones mixed in time.
    const low = tone(300);
    const high = tone(3000);
    const both = new Float32Array(low.length + high.length);
    both.set(low);
    both.set(high, low.length);
    const { frames, data } = kaldiFbank(both);
    const peak = (f: number) => {
      let best = 0;
      for (let m = 1; m < 80; m++) if (data[f * 80 + m]! > data[f * 80 + best]!) best = m;
      return best;
    };
    expect(peak(Math.floor(frames / 4))).toBeLessThan(peak(Math.floor((3 * frames) / 4)));
  });
});
