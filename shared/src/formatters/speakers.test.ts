import { describe, expect, it } from 'vitest';
import type { TranscriptionResult } from '../transcription.js';
import { formatResponse } from './format-response.js';
import { formatRttm } from './speakers.js';

const diarized: TranscriptionResult = {
  task: 'transcribe',
  text: 'Hi Bob. How are you? Fine, thanks. Good.',
  language: 'en',
  duration: 9.5,
  model: 'test',
  segments: [
    { id: 0, start: 0, end: 1.2, text: ' Hi Bob.', speaker: 'SPEAKER_00' },
    { id: 1, start: 1.2, end: 2.5, text: ' How are you?', speaker: 'SPEAKER_00' },
    { id: 2, start: 3, end: 4.75, text: ' Fine, thanks.', speaker: 'SPEAKER_01' },
    { id: 3, start: 5, end: 9.5, text: ' Good.', speaker: 'SPEAKER_00' },
  ],
  words: [
    { word: 'Hi', start: 0, end: 0.4, speaker: 'SPEAKER_00' },
    { word: 'Fine,', start: 3, end: 3.6, speaker: 'SPEAKER_01' },
  ],
};

describe('speaker-aware formats', () => {
  it('diarized_json has OpenAI shape: task, duration, text, typed segments with string ids and speakers', () => {
    const body = JSON.parse(formatResponse(diarized, 'diarized_json').body);
    expect(Object.keys(body)).toEqual(['task', 'duration', 'text', 'segments', 'usage']);
    expect(body.usage).toEqual({ type: 'duration', seconds: 10 });
    expect(body.task).toBe('transcribe');
    expect(body.duration).toBe(9.5);
    expect(body.segments[2]).toEqual({
      type: 'transcript.text.segment',
      id: 'seg_2',
      start: 3,
      end: 4.75,
      text: 'Fine, thanks.',
      speaker: 'SPEAKER_01',
    });
    expect(body.segments.map((s: { speaker: string }) => s.speaker)).toEqual([
      'SPEAKER_00',
      'SPEAKER_00',
      'SPEAKER_01',
      'SPEAKER_00',
    ]);
  });

  it('text puts each speaker turn on its own line, merging consecutive segments of one speaker', () => {
    expect(formatResponse(diarized, 'text').body).toBe(
      'SPEAKER_00: Hi Bob. How are you?\nSPEAKER_01: Fine, thanks.\nSPEAKER_00: Good.\n',
    );
  });

  it('srt prefixes each cue with its speaker', () => {
    const srt = formatResponse(diarized, 'srt').body;
    expect(srt).toContain('3\n00:00:03,000 --> 00:00:04,750\n[SPEAKER_01] Fine, thanks.\n');
    expect(srt.match(/\[SPEAKER_0\d\]/g)).toHaveLength(4);
  });

  it('vtt uses voice tags', () => {
    const vtt = formatResponse(diarized, 'vtt').body;
    expect(vtt.startsWith('WEBVTT\n')).toBe(true);
    expect(vtt).toContain('00:00:03.000 --> 00:00:04.750\n<v SPEAKER_01>Fine, thanks.\n');
  });

  it('verbose_json segments and words carry the speaker', () => {
    const body = JSON.parse(
      formatResponse(diarized, 'verbose_json', { timestampGranularities: ['segment', 'word'] }).body,
    );
    expect(body.segments[2].speaker).toBe('SPEAKER_01');
    expect(body.words[1]).toEqual({ word: 'Fine,', start: 3, end: 3.6, speaker: 'SPEAKER_01' });
  });

  it('without speakers every format is unchanged (no labels invented)', () => {
    const plain: TranscriptionResult = {
      ...diarized,
      segments: diarized.segments.map(({ speaker: _speaker, ...segment }) => segment),
      words: undefined,
    };
    expect(formatResponse(plain, 'text').body).toBe(`${plain.text}\n`);
    expect(formatResponse(plain, 'srt').body).not.toContain('SPEAKER');
    expect(formatResponse(plain, 'vtt').body).not.toContain('<v ');
    expect(JSON.parse(formatResponse(plain, 'verbose_json').body).segments[0].speaker).toBeUndefined();
  });
});

describe('formatRttm', () => {
  it('writes one NIST SPEAKER line per turn with onset and duration', () => {
    const rttm = formatRttm(
      [
        { start: 0.5, end: 2.25, speaker: 'SPEAKER_00' },
        { start: 2.5, end: 4, speaker: 'SPEAKER_01' },
      ],
      'my call',
    );
    expect(rttm).toBe(
      'SPEAKER my_call 1 0.500 1.750 <NA> <NA> SPEAKER_00 <NA> <NA>\n' +
        'SPEAKER my_call 1 2.500 1.500 <NA> <NA> SPEAKER_01 <NA> <NA>\n',
    );
    expect(rttm.split('\n')[0]!.split(' ')).toHaveLength(10);
  });
});
