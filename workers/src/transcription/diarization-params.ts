import { ApiError, type DiarizationOptions, diarizationBackends } from '@whisper-edge/shared';
import { z } from 'zod';
import { parseBoolean } from '../http/field-values.js';
import { wantsKnownSpeakers } from '../speakers/known-speaker-fields.js';

/** POST /v1/audio/diarization's `response_format`. */
export const diarizationFormatSchema = z
  .enum(['json', 'rttm'])
  .default('json')
  .meta({ description: 'json (turns) or rttm (NIST RTTM, one SPEAKER line per turn)' });

const count = z.coerce.number().int().min(1).max(32).optional();
/** The speaker fields, as validated here (with or without diarization switched on). */
export const speakerFieldsSchema = z.object({
  num_speakers: count.meta({ description: 'Exactly this many speakers' }),
  min_speakers: count,
  max_speakers: count,
  diarization_backend: z
    .enum(diarizationBackends)
    .optional()
    .meta({ description: 'Default: neural where its models load, else acoustic' }),
});

const SPEAKER_FIELDS = ['num_speakers', 'min_speakers', 'max_speakers', 'diarization_backend'] as const;

function invalid(param: string, message: string): ApiError {
  return new ApiError(400, `Invalid '${param}': ${message}`, { param, code: 'invalid_value' });
}

/** The speaker-count and backend fields, validated (whether or not diarization is switched on). */
export function parseSpeakerParams(fields: Record<string, string>): {
  options: DiarizationOptions;
  given: string[];
} {
  const present = Object.fromEntries(
    SPEAKER_FIELDS.filter((key) => (fields[key] ?? '').trim() !== '').map((key) => [
      key,
      fields[key]!.trim(),
    ]),
  );
  const parsed = speakerFieldsSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(String(issue.path[0] ?? ''), issue.message);
  }
  const { num_speakers, min_speakers, max_speakers, diarization_backend } = parsed.data;
  if (min_speakers !== undefined && max_speakers !== undefined && min_speakers > max_speakers) {
    throw invalid('min_speakers', 'must not exceed max_speakers');
  }
  if (num_speakers !== undefined && (min_speakers !== undefined || max_speakers !== undefined)) {
    throw invalid('num_speakers', 'give either num_speakers or min_speakers/max_speakers, not both');
  }
  return {
    given: Object.keys(present),
    options: {
      ...(diarization_backend ? { backend: diarization_backend } : {}),
      ...(num_speakers !== undefined ? { num_speakers } : {}),
      ...(min_speakers !== undefined ? { min_speakers } : {}),
      ...(max_speakers !== undefined ? { max_speakers } : {}),
    },
  };
}

/**
 * `enable_diarization` and its companions → the diarization options, or undefined when not asked for.
 * `response_format=diarized_json` asks for it by itself, as with OpenAI's diarizing model, and so do
 * known speakers (`known_speaker_names[]` with clips, or `known_speakers[]` profile ids).
 */
export function parseDiarizationParams(
  fields: Record<string, string>,
  responseFormat: string,
): DiarizationOptions | undefined {
  const { options, given } = parseSpeakerParams(fields);
  const enabled = parseBoolean(fields.enable_diarization, 'enable_diarization');
  const named = wantsKnownSpeakers(fields);
  const wanted = enabled ?? (responseFormat === 'diarized_json' || named);
  if (wanted) return options;
  if (responseFormat === 'diarized_json') {
    throw invalid('response_format', "'diarized_json' needs diarization; drop enable_diarization=false");
  }
  if (named)
    throw invalid('known_speakers', 'known speakers need diarization; drop enable_diarization=false');
  if (given[0]) throw invalid(given[0], 'requires enable_diarization=true');
  return undefined;
}
