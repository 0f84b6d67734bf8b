import type { TranscriptionResult } from '@whisper-edge/shared';
import { describe, expect, it } from 'vitest';
import {
  fromResult,
  mergeOffset,
  mergeWithNext,
  renameSpeaker,
  setSpeaker,
  setText,
  speakerIds,
  splitSegment,
  toResult,
} from './edit-document.js';

// A canonical result as the GPU service writes it: words trimmed, segments with leading spaces.
const result: TranscriptionResult = {
  task: 'transcribe',
  language: 'en',
  duration: 6,
  model: 'whisper-test',
  text: 'Hello there. General Kenobi, you are bold.',
  segments: [
    {
      id: 0,
      start: 0,
      end: 1.5,
      text: ' Hello there.',
      speaker: 'SPEAKER_00',
      tokens: [1, 2],
      avg_logprob: -0.2,
    },
    {
      id: 1,
      start: 2,
      end: 6,
      text: ' General Kenobi, you are bold.',
      speaker: 'SPEAKER_01',
      tokens: [3, 4, 5],
    },
  ],
  words: [
    { word: 'Hello', start: 0, end: 0.6, speaker: 'SPEAKER_00', probability: 0.9 },
    { word: 'there.', start: 0.7, end: 1.5, speaker: 'SPEAKER_00', probability: 0.3 },
    { word: 'General', start: 2, end: 2.6, speaker: 'SPEAKER_01', probability: 0.8 },
    { word: 'Kenobi,', start: 2.7, end: 3.4, speaker: 'SPEAKER_01', probability: 0.7 },
    { word: 'you', start: 4, end: 4.3, speaker: 'SPEAKER_01', probability: 0.9 },
    { word: 'are', start: 4.3, end: 4.6, speaker: 'SPEAKER_01', probability: 0.9 },
    { word: 'bold.', start: 4.7, end: 5.5, speaker: 'SPEAKER_01', probability: 0.9 },
  ],
  diarization: { backend: 'acoustic' },
};

describe('the edit document', () => {
  it('round-trips an untouched result exactly', () => {
    expect(toResult(fromResult(result))).toEqual(result);
  });

  it('re-times only the edited words and drops figures that described the old text', () => {
    const doc = setText(fromResult(result), 0, 'Hello their.');
    const saved = toResult(doc);
    expect(saved.text).toBe('Hello their. General Kenobi, you are bold.');
    expect(saved.segments[0]).toEqual({
      id: 0,
      start: 0,
      end: 1.5,
      text: ' Hello their.',
      speaker: 'SPEAKER_00',
    });
    expect(saved.segments[1]).toEqual(result.segments[1]);
    expect(saved.words![0]).toEqual(result.words![0]);
    expect(saved.words![1]).toEqual({ word: 'their.', start: 0.7, end: 1.5, speaker: 'SPEAKER_00' });
    expect(saved.words!.slice(2)).toEqual(result.words!.slice(2));
  });

  it('turns pasted line breaks into spaces and keeps a space typed at the end while editing', () => {
    const doc = setText(fromResult(result), 0, 'Hello\nthere. ');
    expect(doc.segments[0]!.text).toBe('Hello there. ');
    expect(toResult(doc).segments[0]!.text).toBe(' Hello there.');
  });

  it('renames speakers everywhere when saved, and back again with an empty name', () => {
    const doc = renameSpeaker(fromResult(result), 'SPEAKER_01', 'Grievous');
    const saved = toResult(doc);
    expect(saved.segments.map((s) => s.speaker)).toEqual(['SPEAKER_00', 'Grievous']);
    expect(new Set(saved.words!.slice(2).map((w) => w.speaker))).toEqual(new Set(['Grievous']));
    expect(toResult(renameSpeaker(doc, 'SPEAKER_01', ''))).toEqual(result);
    expect(speakerIds(setSpeaker(doc, 0, 'SPEAKER_01'))).toEqual(['SPEAKER_01']);
  });

  it('splits at the cursor between words, at the pause between them', () => {
    const text = 'General Kenobi, you are bold.';
    const doc = splitSegment(fromResult(result), 1, text.indexOf('you'));
    const saved = toResult(doc);
    expect(saved.segments.map((s) => s.text)).toEqual([
      ' Hello there.',
      ' General Kenobi,',
      ' you are bold.',
    ]);
    // Kenobi ends at 3.4, "you" starts at 4: the boundary is the middle of that pause.
    expect(saved.segments[1]).toMatchObject({ start: 2, end: 3.7, speaker: 'SPEAKER_01' });
    expect(saved.segments[2]).toMatchObject({ start: 3.7, end: 6, speaker: 'SPEAKER_01' });
    expect(saved.segments[1]!.tokens).toBeUndefined();
    // Every word kept its time; the keys of the rows stay unique.
    expect(saved.words).toEqual(result.words);
    expect(new Set(doc.segments.map((s) => s.key)).size).toBe(3);
    expect(saved.text).toBe(result.text);
  });

  it('splits inside a word, re-timing its two halves within its own time', () => {
    const doc = splitSegment(fromResult(result), 1, 'General Ken'.length);
    const saved = toResult(doc);
    expect(saved.segments.map((s) => s.text.trim())).toEqual([
      'Hello there.',
      'General Ken',
      'obi, you are bold.',
    ]);
    const words = saved.words!.map((w) => w.word);
    expect(words).toEqual(['Hello', 'there.', 'General', 'Ken', 'obi,', 'you', 'are', 'bold.']);
    const [ken, obi] = [saved.words![3]!, saved.words![4]!];
    expect(ken.start).toBe(2.7);
    expect(obi.end).toBeLessThanOrEqual(4);
    expect(saved.segments[1]!.end).toBeLessThanOrEqual(obi.start);
  });

  it('does not split at either end of a segment', () => {
    const doc = fromResult(result);
    expect(splitSegment(doc, 0, 0)).toBe(doc);
    expect(splitSegment(doc, 0, 'Hello there.'.length)).toBe(doc);
  });

  it('splits a segment without word times in proportion to its text', () => {
    const { words: _w, ...plain } = result;
    const doc = splitSegment(fromResult(plain), 0, 'Hello '.length);
    expect(toResult(doc).segments.slice(0, 2)).toEqual([
      { id: 0, start: 0, end: 0.75, text: ' Hello', speaker: 'SPEAKER_00' },
      { id: 1, start: 0.75, end: 1.5, text: ' there.', speaker: 'SPEAKER_00' },
    ]);
    expect(toResult(doc).words).toBeUndefined();
  });

  it('merges a segment with the next, undoing a split', () => {
    const doc = fromResult(result);
    const split = splitSegment(doc, 1, 'General Kenobi, '.length);
    expect(mergeOffset(split, 1)).toBe('General Kenobi, '.length);
    const merged = toResult(mergeWithNext(split, 1));
    expect(merged.segments[1]).toEqual({
      id: 1,
      start: 2,
      end: 6,
      text: ' General Kenobi, you are bold.',
      speaker: 'SPEAKER_01',
    });
    expect(merged.words).toEqual(result.words);
    const all = toResult(mergeWithNext(doc, 0));
    expect(all.segments).toHaveLength(1);
    expect(all.segments[0]).toMatchObject({
      start: 0,
      end: 6,
      speaker: 'SPEAKER_00',
      text: ` ${result.text}`,
    });
    expect(mergeWithNext(doc, 1)).toBe(doc);
  });

  it('leaves out segments emptied by editing', () => {
    const saved = toResult(setText(fromResult(result), 0, '   '));
    expect(saved.segments.map((s) => s.id)).toEqual([0]);
    expect(saved.text).toBe('General Kenobi, you are bold.');
  });
});
