import {
  diarizedJsonSchema,
  type ErrorBody,
  errorBodySchema,
  type ResponseFormat,
  responseFormats,
  type Segment,
  type TimestampGranularity,
  type TranscribeOptions,
  transcriptionJsonSchema,
  verboseJsonSchema,
} from '@whisper-edge/shared';
import { z } from 'zod';

export const jobStatuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof jobStatuses)[number];

const webhookStateSchema = z.object({
  url: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  last_status: z.number().int().optional(),
  last_error: z.string().optional(),
});

/** The job as its owner sees it (GET /v1/jobs/{id}, webhooks, events): publicJob's return type. */
export const jobSchema = z
  .object({
    id: z.string().meta({ description: '`job_` and 32 hex digits' }),
    object: z.literal('transcription.job'),
    status: z.enum(jobStatuses),
    created_at: z.number().int().meta({ description: 'Unix seconds' }),
    started_at: z.number().int().nullable(),
    completed_at: z.number().int().nullable(),
    task: z.enum(['transcribe', 'translate']),
    response_format: z.enum(responseFormats),
    model: z.string().nullable(),
    request_id: z
      .string()
      .nullable()
      .meta({ description: 'The x-request-id of the request that submitted it (also on its webhook)' }),
    name: z.string().nullable().meta({ description: 'The uploaded file’s name, when there was one' }),
    duration: z.number().nullable().meta({ description: 'Audio seconds, once finished' }),
    speakers: z.array(z.string()),
    revisions: z.number().int().meta({ description: 'Edited revisions saved (0: only the original)' }),
    revision: z.number().int().meta({ description: 'The latest revision (0 = the original)' }),
    attempts: z.number().int(),
    progress: z.object({
      processed_seconds: z.number(),
      total_seconds: z.number().nullable(),
      percent: z.number().nullable(),
      eta_seconds: z.number().nullable(),
    }),
    storage_url: z.string().optional(),
    export_error: z.string().optional(),
    error: errorBodySchema.shape.error.optional(),
    last_error: z.string().optional(),
    webhook: webhookStateSchema.optional(),
    result_deleted_at: z.number().int().optional(),
  })
  .meta({ id: 'Job' });
export type PublicJob = z.infer<typeof jobSchema>;

/** The `{id}` of the job routes, and a job result's JSON forms: what their OpenAPI descriptions share. */
export const jobId = z.object({ id: z.string().meta({ description: '`job_` and 32 hex digits' }) });
export const jobResultJson = z.union([verboseJsonSchema, diarizedJsonSchema, transcriptionJsonSchema]);

export const isTerminal = (status: JobStatus) =>
  status === 'succeeded' || status === 'failed' || status === 'cancelled';

/** What a job needs to run again on any attempt: URLs are minted per attempt, never stored. */
export interface JobSpec {
  /** The request's validated fields; an uploaded file appears as its `storage_key`, a planned export as a fixed `output_key`. */
  fields: Record<string, string>;
  task: TranscribeOptions['task'];
  responseFormat: ResponseFormat;
  timestampGranularities?: TimestampGranularity[];
  /** Origin for the Worker's own signed object URLs. */
  origin: string;
  callbackUrl?: string;
  /** `s3://bucket/key` of the planned export. */
  storageUrl?: string;
  /** The audio was uploaded with this request (not named by the caller): it goes when the job does. */
  ownsAudio?: boolean;
  /** The submitting request's id: every attempt's logs and GPU calls, and the webhook, carry it. */
  requestId?: string;
}

export type WebhookState = z.infer<typeof webhookStateSchema>;

export interface JobState {
  id: string;
  tenant: string | null;
  status: JobStatus;
  created_at: number;
  started_at?: number;
  completed_at?: number;
  attempts: number;
  spec: JobSpec;
  progress: { processed_seconds: number; total_seconds: number | null };
  /** The attempt that owns the job while it runs; a duplicate delivery waits while this is fresh. */
  lease?: { id: string; until: number };
  /** Which GPU service ran the latest attempt. */
  gpu?: string;
  /** The canonical result in R2, written before the job is marked done. */
  result_key?: string;
  text?: string;
  export_done?: boolean;
  export_error?: string;
  error?: ErrorBody['error'];
  last_error?: string;
  /** When DELETE /v1/jobs/{id}/result removed the transcript (ms since the epoch). */
  result_deleted_at?: number;
  /** Times the job found no GPU capacity and waited (no attempt spent); spaces out the next look. */
  waits?: number;
  webhook?: WebhookState;
  /** The owner's name for it (PATCH /v1/jobs/{id}); an uploaded file's name by default. */
  name?: string;
  summary?: ResultSummary;
  /** Edits saved over the result, oldest first; the latest is what every format renders. */
  revisions?: RevisionInfo[];
  /** The number the next saved edit gets (numbers are never reused, even when a save fails). */
  next_revision?: number;
}

/** A saved edit of the result (`jobs/<id>/revisions/<n>.json`); the original is revision 0. */
export interface RevisionInfo {
  revision: number;
  /** ms since the epoch */
  created_at: number;
  bytes: number;
}

/** What the library shows without loading the transcript: kept from the latest revision. */
export interface ResultSummary {
  duration: number;
  /** In order of first appearance, as named in the latest revision. */
  speakers: string[];
}

export interface JobMessage {
  job_id: string;
}

/** The job as its owner sees it (GET /v1/jobs/{id}, webhooks, events). */
export function publicJob(state: JobState, now = Date.now()): PublicJob {
  const { processed_seconds, total_seconds } = state.progress;
  const done = state.status === 'succeeded';
  const percent = done
    ? 100
    : total_seconds
      ? Math.min(99, Math.round((processed_seconds / total_seconds) * 1000) / 10)
      : null;
  const elapsed = state.started_at ? (now - state.started_at) / 1000 : 0;
  const eta =
    state.status === 'running' && total_seconds && processed_seconds > 0
      ? Math.max(0, Math.round((elapsed * (total_seconds - processed_seconds)) / processed_seconds))
      : null;
  return {
    id: state.id,
    object: 'transcription.job' as const,
    status: state.status,
    created_at: Math.floor(state.created_at / 1000),
    started_at: state.started_at ? Math.floor(state.started_at / 1000) : null,
    completed_at: state.completed_at ? Math.floor(state.completed_at / 1000) : null,
    task: state.spec.task,
    response_format: state.spec.responseFormat,
    model: state.spec.fields.model ?? null,
    request_id: state.spec.requestId ?? null,
    name: state.name ?? null,
    duration: state.summary?.duration ?? null,
    speakers: state.summary?.speakers ?? [],
    revisions: state.revisions?.length ?? 0,
    revision: state.revisions?.at(-1)?.revision ?? 0,
    attempts: state.attempts,
    progress: { processed_seconds, total_seconds, percent, eta_seconds: eta },
    ...(state.spec.storageUrl && state.export_done ? { storage_url: state.spec.storageUrl } : {}),
    ...(state.export_error ? { export_error: state.export_error } : {}),
    ...(state.error ? { error: state.error } : {}),
    ...(state.last_error && !isTerminal(state.status) ? { last_error: state.last_error } : {}),
    ...(state.webhook ? { webhook: state.webhook } : {}),
    ...(state.result_deleted_at ? { result_deleted_at: Math.floor(state.result_deleted_at / 1000) } : {}),
  };
}

export type { Segment };
