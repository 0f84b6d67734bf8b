import { ApiError, sha256Hex } from '@whisper-edge/shared';
import { log } from '../http/log.js';
import type { Scope } from '../http/request-scope.js';
import { CLIP_KEYS_FIELD, requestClipKeys } from '../speakers/known-speaker-fields.js';
import type { PlannedExport } from '../transcription/result-export.js';
import type { TranscriptionParams } from '../transcription/transcription-params.js';
import type { StoredFile } from '../uploads/intake/receive-form.js';
import { type JobState, publicJob } from './job-types.js';
import { jobStub } from './run-job.js';
import { tenantJobs } from './tenant-jobs-object.js';

export interface JobSubmission {
  fields: Record<string, string>;
  file: StoredFile | undefined;
  params: TranscriptionParams;
  task: JobState['spec']['task'];
  plannedExport: PlannedExport | undefined;
  callbackUrl: string | undefined;
  idempotencyKey: string | undefined;
}

/**
 * What the request asks for, not how it was sent: the idempotency fingerprint. The task is in it, so
 * a translation never replays a transcription sent with the same key and fields.
 */
async function fingerprint(
  task: string,
  fields: Record<string, string>,
  file: StoredFile | undefined,
): Promise<string> {
  const sorted = Object.keys(fields)
    // Clip keys are fresh per request; the clips' digests stand for them.
    .filter((k) => k !== 'async' && k !== 'stream' && k !== CLIP_KEYS_FIELD)
    .sort()
    .map((k) => [k, fields[k]]);
  return sha256Hex(
    JSON.stringify({ task, fields: sorted, file: file ? { size: file.size, sha256: file.sha256 } : null }),
  );
}

/** An uploaded file's own name, made printable and short enough to be a job's name. */
function defaultName(file: StoredFile | undefined): string | undefined {
  const name = file?.filename
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what goes
    ?.replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200);
  return name || undefined;
}

/** Registers, stores and enqueues a job; the same Idempotency-Key gives back the first job. */
export async function submitJob(
  { env, tenant, origin, requestId }: Scope,
  submission: JobSubmission,
): Promise<{ job: ReturnType<typeof publicJob>; replayed: boolean }> {
  const { fields, file, params, plannedExport } = submission;
  const id = `job_${crypto.randomUUID().replaceAll('-', '')}`;
  const now = Date.now();
  const index = tenantJobs(env, tenant);
  const registered = await index.register(
    id,
    now,
    submission.idempotencyKey
      ? { key: submission.idempotencyKey, fingerprint: await fingerprint(submission.task, fields, file) }
      : undefined,
  );
  if (registered.existing) {
    const leftovers = [...(file ? [file.key] : []), ...requestClipKeys(fields)];
    if (leftovers.length > 0) await env.UPLOADS.delete(leftovers);
    if (!registered.sameRequest) {
      throw new ApiError(409, 'This Idempotency-Key was already used with different parameters', {
        code: 'idempotency_key_reused',
      });
    }
    const state = await jobStub(env, registered.id).get();
    if (!state)
      throw new ApiError(409, 'The job for this Idempotency-Key is still being created; retry', {
        code: 'idempotency_conflict',
      });
    return { job: publicJob(state), replayed: true };
  }
  const name = defaultName(file);
  // What a later attempt needs, with nothing that expires: the upload by key, the export at a fixed key.
  const stored: Record<string, string> = { ...fields };
  delete stored.async;
  delete stored.stream;
  delete stored.callback_url;
  if (file) stored.storage_key = file.key;
  if (plannedExport) stored.output_key = plannedExport.key;
  const state: JobState = {
    id,
    tenant: tenant.id,
    status: 'queued',
    created_at: now,
    attempts: 0,
    spec: {
      fields: stored,
      task: submission.task,
      responseFormat: params.responseFormat,
      ...(params.timestampGranularities ? { timestampGranularities: params.timestampGranularities } : {}),
      origin,
      requestId,
      ...(file ? { ownsAudio: true } : {}),
      ...(submission.callbackUrl ? { callbackUrl: submission.callbackUrl } : {}),
      ...(plannedExport ? { storageUrl: plannedExport.storageUrl } : {}),
    },
    progress: { processed_seconds: 0, total_seconds: null },
    ...(name ? { name } : {}),
    ...(submission.callbackUrl
      ? { webhook: { url: submission.callbackUrl, status: 'pending' as const, attempts: 0 } }
      : {}),
  };
  try {
    await jobStub(env, id).init(state);
    await env.JOBS_QUEUE.send({ job_id: id });
  } catch (error) {
    log.error('job enqueue failed', { job_id: id, error });
    // A key must not stay bound to a job that never started: the client's retry has to create it.
    await index.release(id);
    await jobStub(env, id)
      .cancel()
      .catch(() => undefined);
    if (file) await env.UPLOADS.delete(file.key);
    throw new ApiError(503, 'The job could not be queued; retry with the same Idempotency-Key', {
      code: 'queue_unavailable',
    }).withRetryAfter(5);
  }
  return { job: publicJob(state), replayed: false };
}
