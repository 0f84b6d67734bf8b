import { z } from 'zod';
import { diarizationBackends, transcriptionResultSchema } from '../transcription.js';

/**
 * The JSON answers of the transcription endpoints, as the formatters write them (their return types
 * are these schemas' types) and as the OpenAPI document describes them.
 */
export const usageSchema = z
  .object({
    type: z.literal('duration'),
    seconds: z.number().int().nonnegative().meta({ description: 'The audio’s length, rounded up' }),
  })
  .meta({ id: 'Usage', description: 'OpenAI’s usage for duration-billed models' });

/** What an export adds to a JSON answer: where the copy went, or why it did not. */
const exportExtras = {
  storage_url: z.string().optional().meta({ description: '`s3://bucket/key` of the stored copy' }),
  export_error: z
    .string()
    .optional()
    .meta({ description: 'Why the copy failed (the transcript is still here)' }),
};

const diarizationInfo = z
  .object({ backend: z.enum(diarizationBackends) })
  .meta({ id: 'DiarizationInfo', description: 'Which backend labelled the speakers' });

export const transcriptionJsonSchema = z
  .object({ text: z.string(), usage: usageSchema, ...exportExtras })
  .meta({ id: 'TranscriptionJson', description: 'response_format=json' });

/** verbose_json's words are the canonical result's, as they are. */
export const wordSchema = transcriptionResultSchema.shape.words.unwrap().element.meta({ id: 'Word' });

export const verboseSegmentSchema = z
  .object({
    id: z.number().int(),
    seek: z.number().int(),
    start: z.number(),
    end: z.number(),
    text: z.string(),
    tokens: z.array(z.number().int()).optional(),
    temperature: z.number().optional(),
    avg_logprob: z.number().optional(),
    compression_ratio: z.number().optional(),
    no_speech_prob: z.number().optional(),
    speaker: z.string().optional().meta({ description: 'With diarization: SPEAKER_00… or a known name' }),
  })
  .meta({ id: 'VerboseSegment' });

export const verboseJsonSchema = z
  .object({
    task: z.enum(['transcribe', 'translate']),
    language: z.string().meta({ description: 'Full language name, e.g. english' }),
    duration: z.number(),
    text: z.string(),
    segments: z.array(verboseSegmentSchema).optional(),
    words: z.array(wordSchema).optional(),
    diarization: diarizationInfo.optional(),
    usage: usageSchema,
    ...exportExtras,
  })
  .meta({ id: 'TranscriptionVerboseJson', description: 'response_format=verbose_json' });

export const diarizedJsonSchema = z
  .object({
    task: z.enum(['transcribe', 'translate']),
    duration: z.number(),
    text: z.string(),
    segments: z.array(
      z.object({
        type: z.literal('transcript.text.segment'),
        id: z.string(),
        start: z.number(),
        end: z.number(),
        text: z.string(),
        speaker: z.string(),
      }),
    ),
    diarization: diarizationInfo.optional(),
    usage: usageSchema,
    ...exportExtras,
  })
  .meta({ id: 'TranscriptionDiarizedJson', description: 'response_format=diarized_json (OpenAI’s shape)' });

export type TranscriptionJson = z.infer<typeof transcriptionJsonSchema>;
export type VerboseJson = z.infer<typeof verboseJsonSchema>;
export type DiarizedJson = z.infer<typeof diarizedJsonSchema>;
export type Usage = z.infer<typeof usageSchema>;
