import { describe, expect, it } from 'vitest';
import type { TranscriptionResult } from '../transcription.js';
import { shapeCues } from './captions.js';
import { formatSrt } from './subtitles.js';

const sentence =
  'The quick brown fox jumps over the lazy dog while the speech recognition service runs at the edge of the network';
const result: TranscriptionResult = {
  task: 'transcribe',
  text: sentence,
  language: 'en',
  duration: 12,
  model: 'test',
  segments: [
    { id: 0, start: 0, end: 10, text: ` ${sentence}` },
    { id: 1, start: 10, end: 12, text: ' Short.', speaker: 'SPEAKER_01' },
  ],
};

describe('caption shaping', () => {
  it('keeps one cue per segment without options', () => {
    expect(shapeCues(result).map((c) => c.lines)).toEqual([[sentence], ['Short.']]);
  });

  it('wraps lines at words within max_line_chars and cues within max_lines_per_cue, losing no word', () => {
    const cues = shapeCues(result, { max_line_chars: 32, max_lines_per_cue: 2 });
    for (const cue of cues) {
      expect(cue.lines.length).toBeLessThanOrEqual(2);
      for (const line of cue.lines) expect(line.length).toBeLessThanOrEqual(32);
    }
    expect(cues.flatMap((c) => c.lines).join(' ')).toBe(`${sentence} Short.`);
    // Times follow the words: in order, inside their segment, no overlap.
    for (let i = 1; i < cues.length; i++)
      expect(cues[i]!.start).toBeGreaterThanOrEqual(cues[i - 1]!.end - 1e-9);
    expect(cues[0]!.start).toBe(0);
    expect(cues.at(-1)).toMatchObject({ lines: ['Short.'], speaker: 'SPEAKER_01', start: 10, end: 12 });
  });

  it('cuts cues longer than max_cue_seconds', () => {
    const cues = shapeCues(result, { max_cue_seconds: 2.5 });
    expect(cues.length).toBeGreaterThanOrEqual(5);
    for (const cue of cues) expect(cue.end - cue.start).toBeLessThanOrEqual(2.5 + 1e-9);
  });

  it('uses the decode’s word times where it has them', () => {
    const words = 'one two three four'.split(' ');
    const timed: TranscriptionResult = {
      ...result,
      segments: [{ id: 0, start: 0, end: 8, text: ' one two three four' }],
      words: words.map((word, i) => ({ word, start: i === 3 ? 7 : i, end: i === 3 ? 8 : i + 0.5 })),
    };
    const cues = shapeCues(timed, { max_line_chars: 10, max_lines_per_cue: 1 });
    expect(cues.map((c) => [c.lines[0], c.start, c.end])).toEqual([
      ['one two', 0, 1.5],
      ['three four', 2, 8],
    ]);
  });

  it('renders lines of a cue on separate lines in SRT, speaker label first', () => {
    const srt = formatSrt(result, { max_line_chars: 60, max_lines_per_cue: 2 });
    expect(srt.split('\n\n')[0]).toBe(
      '1\n00:00:00,000 --> 00:00:10,000\nThe quick brown fox jumps over the lazy dog while the speech\nrecognition service runs at the edge of the network',
    );
    expect(srt).toContain('[SPEAKER_01] Short.');
  });
});
