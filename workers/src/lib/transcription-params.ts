import { ApiError, type ResponseFormat, responseFormats, type TranscribeOptions } from '@whisper-edge/shared';
import { z } from 'zod';

const paramsSchema = z.object({
  response_format: z.enum(responseFormats).default('json'),
  language: z
    .string()
    .regex(/^[a-zA-Z-]{2,16}$/, 'must be a language code such as "en"')
    .optional(),
  prompt: z.string().max(4000).optional(),
  temperature: z.coerce.number().min(0).max(1).optional(),
  model: z.string().max(200).optional(),
});

export interface TranscriptionParams {
  responseFormat: ResponseFormat;
  model: string | undefined;
  options: TranscribeOptions;
}

/** Validates the form fields of a transcription request; the first problem becomes a 400 naming it. */
export function parseTranscriptionParams(fields: Record<string, string>, task: TranscribeOptions['task']) {
  const parsed = paramsSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = String(issue.path[0] ?? '');
    throw new ApiError(400, `Invalid '${param}': ${issue.message}`, { param, code: 'invalid_value' });
  }
  const { response_format, language, prompt, temperature, model } = parsed.data;
  return {
    responseFormat: response_format,
    model,
    options: {
      task,
      ...(language ? { language: language.toLowerCase() } : {}),
      ...(prompt ? { prompt } : {}),
      ...(temperature !== undefined ? { temperature } : {}),
    },
  } satisfies TranscriptionParams;
}
