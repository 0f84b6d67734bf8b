import { describe, expect, it } from 'vitest';
import { nameSpeakers } from './known-speakers.js';

const turns = [
  { start: 0, end: 1, speaker: 'SPEAKER_00' },
  { start: 1, end: 2, speaker: 'SPEAKER_01' },
  { start: 2, end: 3, speaker: 'SPEAKER_02' },
  { start: 3, end: 4, speaker: 'SPEAKER_00' },
];
const speakers = ['SPEAKER_00', 'SPEAKER_01', 'SPEAKER_02'];

describe('nameSpeakers', () => {
  it('gives each name to its nearest speaker once, closest pairs first, only under the threshold', () => {
    const { turns: named, named: map } = nameSpeakers(
      turns,
      {
        speakers,
        // ann is nearest SPEAKER_01 (0.5) and SPEAKER_00 (0.6); bob's only match under 1 is SPEAKER_00.
        distances: [
          [0.6, 0.7, 2],
          [0.5, 1.5, 2],
          [1.2, 1.3, 1.1],
        ],
        threshold: 1,
      },
      ['ann', 'bob', 'cy'],
    );
    expect(Object.fromEntries(map)).toEqual({ SPEAKER_01: 'ann', SPEAKER_00: 'bob' });
    // The unnamed speaker is numbered again from SPEAKER_00.
    expect(named.map((t) => t.speaker)).toEqual(['bob', 'ann', 'SPEAKER_00', 'bob']);
  });

  it('names no one when every reference is far', () => {
    const { turns: named } = nameSpeakers(turns, { speakers, distances: [[3], [3], [3]], threshold: 1 }, [
      'ann',
    ]);
    expect(named).toEqual(turns);
  });
});
