import type { TranscriptionResult } from '@whisper-edge/shared';
import { formatSrt, formatVtt } from '@whisper-edge/shared/formatters';
import { speakersOf } from '../transcript/speakers.js';
import type { Transcript } from '../transcript/transcript.js';

export const exportFormats = ['json', 'verbose_json', 'srt', 'vtt', 'txt'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface RenderedExport {
  body: string;
  mimeType: string;
  filename: string;
}

const MIME: Record<ExportFormat, string> = {
  json: 'application/json',
  verbose_json: 'application/json',
  srt: 'application/x-subrip',
  vtt: 'text/vtt',
  txt: 'text/plain',
};

function baseName(sourceName: string): string {
  return sourceName.replace(/\.[^./]+$/, '') || 'transcript';
}

/**
 * Renders a transcript in a download format, with the speaker names the reader chose. Subtitles reuse
 * the service's own formatters (`@whisper-edge/shared`), so a download matches what the API would send.
 */
export function renderExport(
  transcript: Transcript,
  format: ExportFormat,
  options: { renames?: Readonly<Record<string, string>>; sourceName?: string } = {},
): RenderedExport {
  const labels = new Map(speakersOf(transcript.segments, options.renames).map((s) => [s.id, s.label]));
  const labelled = transcript.segments.map((segment) => {
    const label = segment.speaker ? labels.get(segment.speaker) : undefined;
    return { segment, label, text: label ? `${label}: ${segment.text.trim()}` : segment.text };
  });
  const filename = `${baseName(options.sourceName ?? 'transcript')}.${format === 'verbose_json' ? 'verbose.json' : format}`;
  const result = {
    task: transcript.task,
    text: transcript.text,
    language: transcript.language,
    duration: transcript.duration,
    model: '',
    segments: labelled.map(({ segment, text }) => ({
      id: segment.id,
      start: segment.start,
      end: segment.end,
      text,
    })),
  } satisfies TranscriptionResult;
  let body: string;
  switch (format) {
    case 'json':
      body = JSON.stringify({ text: transcript.text }, null, 2);
      break;
    case 'verbose_json':
      body = JSON.stringify(
        {
          ...transcript,
          segments: labelled.map(({ segment, label }) => ({
            ...segment,
            ...(label ? { speaker_label: label } : {}),
          })),
        },
        null,
        2,
      );
      break;
    case 'srt':
      body = formatSrt(result);
      break;
    case 'vtt':
      body = formatVtt(result);
      break;
    case 'txt':
      // With speakers, one line per segment reads like a script; without, the plain transcript.
      body =
        labels.size > 0
          ? `${labelled.map((l) => l.text.trim()).join('\n')}\n`
          : `${transcript.text.trim()}\n`;
      break;
  }
  return { body, mimeType: `${MIME[format]};charset=utf-8`, filename };
}
