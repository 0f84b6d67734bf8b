import { describe, expect, it } from 'vitest';
import { toSpeakerTurns } from './speaker-turns.js';

describe('toSpeakerTurns', () => {
  it('names speakers by first appearance and joins touching spans of one speaker', () => {
    const turns = toSpeakerTurns(
      [
        { start: 5, end: 6, cluster: 3 },
        { start: 0, end: 1, cluster: 7 },
        { start: 1, end: 2, cluster: 7 },
        { start: 2.5, end: 4, cluster: 3 },
      ],
      0.01,
    );
    expect(turns).toEqual([
      { start: 0, end: 2, speaker: 'SPEAKER_00' },
      { start: 2.5, end: 4, speaker: 'SPEAKER_01' },
      { start: 5, end: 6, speaker: 'SPEAKER_01' },
    ]);
  });
});
