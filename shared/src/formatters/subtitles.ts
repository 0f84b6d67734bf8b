import type { TranscriptionResult } from '../transcription.js';
import { formatCueTime } from './timestamps.js';

type Segment = TranscriptionResult['segments'][number];

// Subtitle cues must not be empty or contain blank lines: a blank line ends a cue in both formats.
function cueText(text: string): string {
  return text.trim().replace(/\n\s*\n/g, '\n');
}

// A speaker-labelled cue names its speaker first, so players show who is talking.
function srtText(segment: Segment): string {
  const text = cueText(segment.text);
  return segment.speaker ? `[${segment.speaker}] ${text}` : text;
}

// WebVTT has a voice span for exactly this: `<v Name>text`.
function vttText(segment: Segment): string {
  const text = cueText(segment.text);
  return segment.speaker ? `<v ${segment.speaker}>${text}` : text;
}

export function formatSrt(result: TranscriptionResult): string {
  return result.segments
    .filter((segment) => cueText(segment.text) !== '')
    .map(
      (segment, index) =>
        `${index + 1}\n${formatCueTime(segment.start, ',')} --> ${formatCueTime(segment.end, ',')}\n${srtText(segment)}\n`,
    )
    .join('\n');
}

export function formatVtt(result: TranscriptionResult): string {
  const cues = result.segments
    .filter((segment) => cueText(segment.text) !== '')
    .map(
      (segment) =>
        `${formatCueTime(segment.start, '.')} --> ${formatCueTime(segment.end, '.')}\n${vttText(segment)}\n`,
    );
  return ['WEBVTT\n', ...cues].join('\n');
}
