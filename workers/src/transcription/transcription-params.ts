import {
  ApiError,
  type CaptionOptions,
  captionOptionsSchema,
  languageCode,
  type ResponseFormat,
  responseFormats,
  type TimestampGranularity,
  type TranscribeOptions,
  timestampGranularities,
} from '@whisper-edge/shared';
import { z } from 'zod';
import { parseChunkingStrategy } from './chunking-strategy.js';
import { parseDiarizationParams } from './diarization-params.js';
import { parseKeywords, promptWithKeywords } from './keywords.js';

/** The fields OpenAI's transcription endpoint has, as this route validates them. */
export const paramsSchema = z.object({
  response_format: z.enum(responseFormats).default('json').meta({
    description:
      'json, text, srt, vtt, verbose_json, diarized_json (implies diarization) or paragraphs (text in paragraphs)',
  }),
  language: z
    .string()
    .max(32)
    .optional()
    .meta({ description: 'ISO-639-1 code or name (transcriptions only); detected when absent' }),
  prompt: z.string().max(4000).optional().meta({ description: 'Text the decoder continues from' }),
  temperature: z.coerce.number().min(0).max(1).optional(),
  model: z
    .string()
    .max(200)
    .optional()
    .meta({ description: '`whisper-1` (the default model) or one of GET /v1/models' }),
});

/** `timestamp_granularities[]`: repeated, comma-listed or a JSON array; needs verbose_json. */
export const granularitiesSchema = z
  .array(z.enum(timestampGranularities))
  .meta({ description: 'segment and/or word (words come from the same decode); needs verbose_json' });

export interface TranscriptionParams {
  responseFormat: ResponseFormat;
  timestampGranularities: TimestampGranularity[] | undefined;
  captions: CaptionOptions | undefined;
  options: TranscribeOptions;
}

function invalid(param: string, message: string): ApiError {
  return new ApiError(400, `Invalid '${param}': ${message}`, { param, code: 'invalid_value' });
}

/** `timestamp_granularities[]` (OpenAI SDKs) or `timestamp_granularities`, repeated, comma-listed or JSON. */
function parseGranularities(fields: Record<string, string>): TimestampGranularity[] | undefined {
  const raw = fields['timestamp_granularities[]'] ?? fields.timestamp_granularities;
  if (raw === undefined || raw.trim() === '') return undefined;
  let values: unknown;
  try {
    values = raw.trim().startsWith('[') ? JSON.parse(raw) : raw.split(',');
  } catch {
    throw invalid('timestamp_granularities', 'expected a list of "segment" and/or "word"');
  }
  const list = (Array.isArray(values) ? values : [values]).map((v) => String(v).trim());
  const checked = granularitiesSchema.safeParse(list);
  if (!checked.success) {
    const bad = list.find((v) => !(timestampGranularities as readonly string[]).includes(v));
    throw invalid('timestamp_granularities', `'${bad}' is not one of segment, word`);
  }
  return [...new Set(checked.data)];
}

const CAPTION_FIELDS = ['max_line_chars', 'max_lines_per_cue', 'max_cue_seconds'] as const;

/** Caption shaping (`max_line_chars`, `max_lines_per_cue`, `max_cue_seconds`): srt and vtt only. */
function parseCaptions(fields: Record<string, string>, format: ResponseFormat): CaptionOptions | undefined {
  const given = CAPTION_FIELDS.filter((k) => fields[k] !== undefined && fields[k].trim() !== '');
  if (given.length === 0) return undefined;
  if (format !== 'srt' && format !== 'vtt')
    throw invalid(given[0]!, "requires response_format 'srt' or 'vtt'");
  const parsed = captionOptionsSchema.safeParse(Object.fromEntries(given.map((k) => [k, Number(fields[k])])));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(String(issue.path[0] ?? given[0]), issue.message);
  }
  return parsed.data;
}

/**
 * How a stored result is to be rendered: `response_format` and `timestamp_granularities[]` alone
 * (GET /v1/jobs/{id}/result renders a finished job again in any format without running it).
 */
export function parseOutputFormat(
  fields: Record<string, string>,
  fallback: ResponseFormat,
): {
  responseFormat: ResponseFormat;
  timestampGranularities: TimestampGranularity[] | undefined;
  captions: CaptionOptions | undefined;
} {
  const format = fields.response_format?.trim() || fallback;
  if (!(responseFormats as readonly string[]).includes(format)) {
    throw invalid('response_format', `expected one of ${responseFormats.join(', ')}`);
  }
  const granularities = parseGranularities(fields);
  if (granularities && format !== 'verbose_json') {
    throw invalid('timestamp_granularities', "requires response_format 'verbose_json'");
  }
  return {
    responseFormat: format as ResponseFormat,
    timestampGranularities: granularities,
    captions: parseCaptions(fields, format as ResponseFormat),
  };
}

/** Validates the fields of a transcription or translation request; the first problem becomes a 400. */
export function parseTranscriptionParams(
  fields: Record<string, string>,
  task: TranscribeOptions['task'],
): TranscriptionParams {
  const parsed = paramsSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(String(issue.path[0] ?? ''), issue.message);
  }
  const { response_format, language, prompt, temperature, model } = parsed.data;
  const granularities = parseGranularities(fields);
  const diarization = parseDiarizationParams(fields, response_format);
  if (granularities && response_format !== 'verbose_json') {
    throw invalid('timestamp_granularities', "requires response_format 'verbose_json'");
  }
  // Translations always produce English; OpenAI's endpoint takes no language.
  const code = language && task === 'transcribe' ? languageCode(language) : undefined;
  if (language && task === 'transcribe' && !code) throw invalid('language', `unknown language '${language}'`);
  const vad = parseChunkingStrategy(fields);
  const fullPrompt = promptWithKeywords(prompt, parseKeywords(fields));
  return {
    responseFormat: response_format,
    timestampGranularities: granularities,
    captions: parseCaptions(fields, response_format),
    options: {
      task,
      ...(code ? { language: code } : {}),
      ...(fullPrompt ? { prompt: fullPrompt } : {}),
      ...(temperature !== undefined ? { temperature } : {}),
      ...(model ? { model } : {}),
      ...(granularities ? { timestamp_granularities: granularities } : {}),
      ...(diarization ? { diarization } : {}),
      ...(vad ? { vad } : {}),
    },
  };
}
