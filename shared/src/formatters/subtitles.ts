import type { TranscriptionResult } from '../transcription.js';
import { formatCueTime } from './timestamps.js';

// Subtitle cues must not be empty or contain blank lines: a blank line ends a cue in both formats.
function cueText(text: string): string {
  return text.trim().replace(/\n\s*\n/g, '\n');
}

export function formatSrt(result: TranscriptionResult): string {
  return result.segments
    .filter((segment) => cueText(segment.text) !== '')
    .map(
      (segment, index) =>
        `${index + 1}\n${formatCueTime(segment.start, ',')} --> ${formatCueTime(segment.end, ',')}\n${cueText(segment.text)}\n`,
    )
    .join('\n');
}

export function formatVtt(result: TranscriptionResult): string {
  const cues = result.segments
    .filter((segment) => cueText(segment.text) !== '')
    .map(
      (segment) =>
        `${formatCueTime(segment.start, '.')} --> ${formatCueTime(segment.end, '.')}\n${cueText(segment.text)}\n`,
    );
  return ['WEBVTT\n', ...cues].join('\n');
}
