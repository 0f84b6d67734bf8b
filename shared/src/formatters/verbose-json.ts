import { languageName } from '../languages.js';
import type { TimestampGranularity, TranscriptionResult } from '../transcription.js';

/**
 * OpenAI's verbose_json: `language` as a full name, segments by default, words only when asked for
 * (and segments then only if asked for too, as OpenAI does).
 */
export function verboseJson(
  result: TranscriptionResult,
  granularities: readonly TimestampGranularity[] | undefined,
  extras: Record<string, unknown>,
): Record<string, unknown> {
  const wantSegments = !granularities || granularities.length === 0 || granularities.includes('segment');
  const wantWords = granularities?.includes('word') === true;
  return {
    task: result.task,
    language: result.task === 'translate' ? 'english' : languageName(result.language),
    duration: result.duration,
    text: result.text,
    ...(wantSegments
      ? {
          segments: result.segments.map((segment) => ({
            id: segment.id,
            seek: Math.floor(segment.start * 100),
            start: segment.start,
            end: segment.end,
            text: segment.text,
          })),
        }
      : {}),
    ...(wantWords ? { words: result.words ?? [] } : {}),
    ...extras,
  };
}
