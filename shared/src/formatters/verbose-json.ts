import { languageName } from '../languages.js';
import type { TimestampGranularity, TranscriptionResult } from '../transcription.js';
import type { Usage, VerboseJson } from './response-schemas.js';

/**
 * OpenAI's verbose_json: `language` as a full name, segments by default, words only when asked for
 * (and segments then only if asked for too, as OpenAI does).
 */
function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

export function verboseJson(
  result: TranscriptionResult,
  granularities: readonly TimestampGranularity[] | undefined,
  extras: { usage: Usage; storage_url?: string; export_error?: string },
): VerboseJson {
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
            seek: segment.seek ?? Math.floor(segment.start * 100),
            start: segment.start,
            end: segment.end,
            text: segment.text,
            // Decoding figures are reported when the engine measured them, never invented.
            ...pick(segment, [
              'tokens',
              'temperature',
              'avg_logprob',
              'compression_ratio',
              'no_speech_prob',
              'speaker',
            ]),
          })),
        }
      : {}),
    ...(wantWords ? { words: result.words ?? [] } : {}),
    ...(result.diarization ? { diarization: result.diarization } : {}),
    ...extras,
  };
}
