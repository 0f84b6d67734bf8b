import { describe, expect, it } from 'vitest';
import { tone } from '../../test/realtime-client.js';
import { Resampler24to16 } from './resample.js';

const rms = (x: Int16Array, from = 100, to = x.length - 100) => {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i]! ** 2;
  return Math.sqrt(sum / (to - from));
};

describe('Resampler24to16', () => {
  it('keeps a tone below 8 kHz at its frequency and level, two output samples per three input', () => {
    const input = tone(1000, 24_000, 1);
    const out = new Resampler24to16().push(input);
    expect(Math.abs(out.length - 16_000)).toBeLessThanOrEqual(16);
    // Compared with the same tone generated at 16 kHz, after the filter's 0.7 ms delay settles.
    const reference = tone(1000, 16_000, 1);
    let worst = 0;
    for (let i = 50; i < out.length - 50; i++) worst = Math.max(worst, Math.abs(out[i]! - reference[i]!));
    expect(worst).toBeLessThan(300);
    expect(rms(out) / rms(reference)).toBeCloseTo(1, 1);
  });

  it('removes what 16 kHz cannot hold (a 10 kHz tone would alias to 6 kHz)', () => {
    const out = new Resampler24to16().push(tone(10_000, 24_000, 0.5));
    expect(rms(out) / rms(tone(10_000, 24_000, 0.5))).toBeLessThan(0.05);
  });

  it('gives the same samples however the input is split', () => {
    const input = tone(440, 24_000, 0.5);
    const whole = new Resampler24to16().push(input);
    const pieces = new Resampler24to16();
    const out: number[] = [];
    for (let at = 0, size = 1; at < input.length; at += size, size = ((size * 7) % 997) + 1)
      out.push(...pieces.push(input.subarray(at, at + size)));
    expect(out).toEqual([...whole]);
  });
});
