import { describe, expect, it } from 'vitest';
import { diarizationErrorRate } from './der.js';

const reference = [
  { start: 0, end: 10, speaker: 'alice' },
  { start: 10, end: 20, speaker: 'bob' },
];

describe('diarizationErrorRate', () => {
  it('is zero for a perfect hypothesis under any label names', () => {
    const hyp = reference.map((t) => ({
      ...t,
      speaker: t.speaker === 'alice' ? 'SPEAKER_01' : 'SPEAKER_00',
    }));
    expect(diarizationErrorRate(reference, hyp).der).toBe(0);
  });

  it('counts confusion, miss and false alarm, outside the collars', () => {
    const oneLabel = [{ start: 0, end: 20, speaker: 'X' }];
    const r = diarizationErrorRate(reference, oneLabel, 0);
    expect(r.confusion).toBeCloseTo(10, 1);
    expect(r.der).toBeCloseTo(0.5, 2);
    const missing = diarizationErrorRate(reference, [{ start: 0, end: 10, speaker: 'A' }], 0);
    expect(missing.miss).toBeCloseTo(10, 1);
    const extra = diarizationErrorRate(reference, [...reference, { start: 20, end: 25, speaker: 'C' }], 0);
    expect(extra.falseAlarm).toBeCloseTo(5, 1);
  });

  it('forgives boundary errors within the collar', () => {
    const late = [
      { start: 0.2, end: 10.2, speaker: 'a' },
      { start: 10.2, end: 20, speaker: 'b' },
    ];
    expect(diarizationErrorRate(reference, late, 0.25).der).toBe(0);
    expect(diarizationErrorRate(reference, late, 0).der).toBeGreaterThan(0);
  });
});
