import { describe, expect, it } from 'vitest';
import { formatRate, SpeedMeter } from './upload-speed.js';

describe('SpeedMeter', () => {
  it('needs two samples, then reports the rate', () => {
    const meter = new SpeedMeter();
    expect(meter.sample(0, 0)).toBeUndefined();
    expect(meter.sample(1_000_000, 1000)).toBe(1_000_000);
  });

  it('smooths bursts towards the new rate by the half-life', () => {
    const meter = new SpeedMeter(2000);
    meter.sample(0, 0);
    meter.sample(4_000_000, 2000); // 2 MB/s
    // Two seconds at 0 B/s: one half-life, so halfway from 2 MB/s to 0.
    expect(meter.sample(4_000_000, 4000)).toBeCloseTo(1_000_000);
  });

  it('ignores samples that go back in time or in bytes (a retried part)', () => {
    const meter = new SpeedMeter();
    meter.sample(0, 0);
    const rate = meter.sample(2_000_000, 1000);
    expect(meter.sample(1_000_000, 1500)).toBe(rate);
    expect(meter.sample(3_000_000, 1500)).toBe(rate);
  });
});

describe('formatRate', () => {
  it('uses readable units', () => {
    expect(formatRate(12_345_678)).toBe('12.3 MB/s');
    expect(formatRate(850_400)).toBe('850 kB/s');
    expect(formatRate(12)).toBe('12 B/s');
  });
});
