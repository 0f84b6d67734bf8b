import type { TranscriptionResult } from '../transcription.js';
import { type CaptionOptions, type Cue, shapeCues } from './captions.js';
import { formatCueTime } from './timestamps.js';

// A speaker-labelled cue names its speaker first, so players show who is talking.
function srtText(cue: Cue): string {
  const text = cue.lines.join('\n');
  return cue.speaker ? `[${cue.speaker}] ${text}` : text;
}

// WebVTT has a voice span for exactly this: `<v Name>text`.
function vttText(cue: Cue): string {
  const text = cue.lines.join('\n');
  return cue.speaker ? `<v ${cue.speaker}>${text}` : text;
}

export function formatSrt(result: TranscriptionResult, captions?: CaptionOptions): string {
  return shapeCues(result, captions)
    .map(
      (cue, index) =>
        `${index + 1}\n${formatCueTime(cue.start, ',')} --> ${formatCueTime(cue.end, ',')}\n${srtText(cue)}\n`,
    )
    .join('\n');
}

export function formatVtt(result: TranscriptionResult, captions?: CaptionOptions): string {
  const cues = shapeCues(result, captions).map(
    (cue) => `${formatCueTime(cue.start, '.')} --> ${formatCueTime(cue.end, '.')}\n${vttText(cue)}\n`,
  );
  return ['WEBVTT\n', ...cues].join('\n');
}
