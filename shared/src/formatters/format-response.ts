import type { ResponseFormat, TranscriptionResult } from '../transcription.js';
import { formatSrt, formatVtt } from './subtitles.js';

export interface FormattedResponse {
  body: string;
  contentType: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

/**
 * Renders the canonical result in the caller's response_format; pure so both services can use it.
 * `extras` (e.g. an export's storage_url) are added to the JSON formats; text formats have no place
 * for them, so callers send them as headers.
 */
export function formatResponse(
  result: TranscriptionResult,
  format: ResponseFormat,
  extras: Record<string, unknown> = {},
): FormattedResponse {
  switch (format) {
    case 'json':
      return { body: JSON.stringify({ text: result.text, ...extras }), contentType: JSON_TYPE };
    case 'text':
      return { body: `${result.text}\n`, contentType: TEXT_TYPE };
    case 'srt':
      return { body: formatSrt(result), contentType: TEXT_TYPE };
    case 'vtt':
      return { body: formatVtt(result), contentType: 'text/vtt; charset=utf-8' };
    case 'verbose_json':
      return {
        body: JSON.stringify({
          task: result.task,
          language: result.language,
          duration: result.duration,
          text: result.text,
          segments: result.segments,
          ...extras,
        }),
        contentType: JSON_TYPE,
      };
  }
}
