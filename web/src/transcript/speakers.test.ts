import { describe, expect, it } from 'vitest';
import { SPEAKER_COLOURS, speakersOf } from './speakers.js';

/** WCAG relative luminance contrast of a #rrggbb colour against white. */
function contrastOnWhite(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}

describe('speakersOf', () => {
  const segments = [{ speaker: 'SPEAKER_01' }, {}, { speaker: 'SPEAKER_00' }, { speaker: 'SPEAKER_01' }];

  it('lists speakers in order of first appearance with distinct colours', () => {
    const speakers = speakersOf(segments);
    expect(speakers.map((s) => [s.id, s.label])).toEqual([
      ['SPEAKER_01', 'Speaker 2'],
      ['SPEAKER_00', 'Speaker 1'],
    ]);
    expect(new Set(speakers.map((s) => s.colour)).size).toBe(2);
  });

  it('applies renames, falling back to the default for blank names', () => {
    const speakers = speakersOf(segments, { SPEAKER_00: 'Alice', SPEAKER_01: '  ' });
    expect(speakers.map((s) => s.label)).toEqual(['Speaker 2', 'Alice']);
  });

  it('has no speakers when segments carry none', () => {
    expect(speakersOf([{}, {}])).toEqual([]);
  });

  it('uses colours readable as text on white (WCAG AA)', () => {
    for (const colour of SPEAKER_COLOURS) expect(contrastOnWhite(colour)).toBeGreaterThanOrEqual(4.5);
  });
});
