import { captionOptionsSchema, MAX_KNOWN_SPEAKERS, vadOverridesSchema } from '@whisper-edge/shared';
import { z } from 'zod';
import { formFlagSchema } from '../http/field-values.js';
import { diarizationFormatSchema, speakerFieldsSchema } from './diarization-params.js';
import { keywordsSchema } from './keywords.js';
import { granularitiesSchema, paramsSchema } from './transcription-params.js';

/**
 * The fields of POST /v1/audio/transcriptions (and translations), as the OpenAPI document shows them:
 * put together from the schemas each field's parser validates with. Multipart, urlencoded and JSON
 * bodies carry the same fields (list fields as repeated `name[]` fields, comma lists or JSON arrays).
 */
const audioInputFields = {
  file: z
    .file()
    .optional()
    .meta({ description: 'The audio or video (any format ffmpeg reads); multipart only' }),
  storage_key: z
    .string()
    .optional()
    .meta({ description: 'A key from POST /v1/uploads (inside the caller’s root)' }),
  s3_presigned_url: z.url().optional().meta({
    description: 'A pre-signed https URL the GPU service fetches (public hosts only, no redirects)',
  }),
};

export const serverVadSchema = z
  .object({ type: z.literal('server_vad'), ...vadOverridesSchema.shape })
  .meta({ id: 'ServerVad', description: 'OpenAI’s server_vad, mapped onto Silero VAD for this request' });

const knownSpeakerFields = {
  'known_speaker_names[]': z
    .array(z.string().min(1).max(64))
    .max(4)
    .optional()
    .meta({ description: 'Names for the reference clips, in order' }),
  'known_speaker_references[]': z
    .array(z.string().startsWith('data:'))
    .max(4)
    .optional()
    .meta({ description: 'One 2–10 s clip per name as a data URL (≤ 2 MiB each)' }),
  'known_speakers[]': z
    .array(z.string())
    .max(MAX_KNOWN_SPEAKERS)
    .optional()
    .meta({ description: 'Voice profile ids from POST /v1/speakers' }),
};

const modeFields = {
  stream: formFlagSchema.optional().meta({ description: 'Answer as server-sent events (OpenAI’s events)' }),
  async: formFlagSchema.optional().meta({ description: 'Run as a job: 202 with the job at once' }),
  callback_url: z.url().optional().meta({
    description: 'https URL the finished job is POSTed to (Standard Webhooks signature); implies async',
  }),
};

const exportFields = {
  output_bucket: z
    .string()
    .optional()
    .meta({ description: 'Bucket for a copy of the result (EXPORT_BUCKETS)' }),
  output_key: z.string().optional().meta({ description: 'Key of the copy (generated when absent)' }),
  output_use_r2: formFlagSchema.optional().meta({ description: 'R2 rather than S3 for output_bucket' }),
  stored_output: formFlagSchema.optional().meta({ description: 'Keep a copy in the bound bucket' }),
};

export const transcriptionFormSchema = z
  .object({
    ...audioInputFields,
    ...paramsSchema.shape,
    'timestamp_granularities[]': granularitiesSchema.optional(),
    'keywords[]': keywordsSchema.optional(),
    chunking_strategy: z
      .union([z.literal('auto'), serverVadSchema])
      .optional()
      .meta({
        description: '`auto` or a server_vad object (JSON, or `chunking_strategy[type]` form fields)',
      }),
    ...captionOptionsSchema.shape,
    enable_diarization: formFlagSchema.optional().meta({ description: 'Label who spoke when' }),
    ...speakerFieldsSchema.shape,
    ...knownSpeakerFields,
    ...modeFields,
    ...exportFields,
  })
  .meta({ id: 'TranscriptionRequest', description: 'Exactly one of file, storage_key, s3_presigned_url' });

/** POST /v1/audio/diarization: the same audio inputs and speaker fields, JSON or RTTM out. */
export const diarizationFormSchema = z
  .object({
    ...audioInputFields,
    response_format: diarizationFormatSchema,
    ...speakerFieldsSchema.shape,
    ...knownSpeakerFields,
  })
  .meta({ id: 'DiarizationRequest', description: 'Exactly one of file, storage_key, s3_presigned_url' });
