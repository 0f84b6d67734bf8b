import type { ResponseFormat, TimestampGranularity, TranscriptionResult } from '../transcription.js';
import type { CaptionOptions } from './captions.js';
import { formatParagraphs } from './paragraphs.js';
import type { TranscriptionJson, Usage } from './response-schemas.js';
import { dialogueText, diarizedJson, hasSpeakers } from './speakers.js';
import { formatSrt, formatVtt } from './subtitles.js';
import { verboseJson } from './verbose-json.js';

export interface FormattedResponse {
  body: string;
  contentType: string;
}

export interface FormatOptions {
  /** Added to the JSON formats (e.g. an export's storage_url); text formats send them as headers. */
  extras?: { storage_url?: string; export_error?: string };
  timestampGranularities?: readonly TimestampGranularity[] | undefined;
  /** Line length, lines per cue and cue length for srt and vtt. */
  captions?: CaptionOptions | undefined;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

/** Added to every JSON answer; an export's `storage_url` / `export_error` when there is one. */
type Extras = { usage: Usage; storage_url?: string; export_error?: string };

/** Renders the canonical result in the caller's response_format; pure so both services can use it. */
export function formatResponse(
  result: TranscriptionResult,
  format: ResponseFormat,
  options: FormatOptions = {},
): FormattedResponse {
  // OpenAI reports whisper-1's usage as billed audio seconds, rounded up, on every JSON answer.
  const extras = {
    usage: { type: 'duration', seconds: Math.ceil(result.duration) },
    ...options.extras,
  } as Extras;
  switch (format) {
    case 'json':
      return {
        body: JSON.stringify({ text: result.text, ...extras } satisfies TranscriptionJson),
        contentType: JSON_TYPE,
      };
    case 'text':
      return {
        body: hasSpeakers(result) ? dialogueText(result) : `${result.text}\n`,
        contentType: TEXT_TYPE,
      };
    case 'srt':
      return { body: formatSrt(result, options.captions), contentType: TEXT_TYPE };
    case 'vtt':
      return { body: formatVtt(result, options.captions), contentType: 'text/vtt; charset=utf-8' };
    case 'verbose_json':
      return {
        body: JSON.stringify(verboseJson(result, options.timestampGranularities, extras)),
        contentType: JSON_TYPE,
      };
    case 'paragraphs':
      return { body: formatParagraphs(result), contentType: TEXT_TYPE };
    case 'diarized_json':
      return { body: JSON.stringify(diarizedJson(result, extras)), contentType: JSON_TYPE };
  }
}
