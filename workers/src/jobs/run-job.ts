import {
  ApiError,
  apiErrorFromBody,
  type TranscriptionResult,
  transcriptionResultSchema,
} from '@whisper-edge/shared';
import type { Bindings } from '../env.js';
import { GpuUnreachableError, streamFromGpu } from '../gpu/gpu-client.js';
import { withGpu } from '../gpu/with-gpu.js';
import { jobScope } from '../http/request-scope.js';
import { resolveKnownSpeakers } from '../speakers/known-speaker-fields.js';
import { tenantRoot } from '../storage/tenant-keys.js';
import { resolveAudioInput } from '../transcription/audio-input.js';
import { transcribeRequest } from '../transcription/gpu-request.js';
import { parseTranscriptionParams } from '../transcription/transcription-params.js';
import { recordUsage } from '../usage/record-usage.js';
import { exportJobResult } from './export-job-result.js';
import type { JobObject } from './job-object.js';
import type { JobState } from './job-types.js';

/** The job was cancelled or taken over by another delivery: this attempt stops quietly. */
export class AttemptStopped extends Error {}

export function jobStub(env: Bindings, id: string): DurableObjectStub<JobObject> {
  return env.JOBS.get(env.JOBS.idFromName(id));
}

function resultKey(state: JobState): string {
  return `${tenantRoot({ id: state.tenant })}jobs/${state.id}/result.json`;
}

/** Streams the job through the GPU pool; the result is in R2 before this returns. */
async function transcribeAttempt(
  env: Bindings,
  state: JobState,
  leaseId: string,
): Promise<TranscriptionResult> {
  const job = jobStub(env, state.id);
  const { spec } = state;
  const scope = jobScope(env, state.tenant, spec.origin, spec.requestId ?? '');
  const params = parseTranscriptionParams(spec.fields, spec.task);
  const input = await resolveAudioInput(spec.fields, undefined, scope);
  const request = transcribeRequest(input, params, scope.config.limits.job, {
    jobId: state.id,
    knownSpeakers: await resolveKnownSpeakers(scope, spec.fields),
  });
  const startedAt = Date.now();
  return withGpu(
    env,
    async (gpu) => {
      const abort = new AbortController();
      for await (const event of streamFromGpu(gpu, request, abort.signal)) {
        if (event.type === 'error') throw apiErrorFromBody(event.status, { error: event.error });
        if (event.type === 'result') {
          const key = resultKey(state);
          await env.UPLOADS.put(key, JSON.stringify(event.result), {
            httpMetadata: { contentType: 'application/json' },
          });
          // A job cancelled (or purged) meanwhile keeps nothing behind.
          await job.resultStored(leaseId, key, event.result).catch(async (error: unknown) => {
            await env.UPLOADS.delete(key);
            throw error;
          });
          await recordUsage(env, scope.tenant, {
            jobs: 1,
            audioSeconds: event.result.duration,
            gpuSeconds: (Date.now() - startedAt) / 1000,
          });
          return event.result;
        }
        if (event.type === 'progress') gpu.commit();
        const { stop } = await job.progress(
          leaseId,
          event.type === 'progress'
            ? {
                processed_seconds: event.processed_seconds,
                total_seconds: event.total_seconds,
                segments: event.segments,
              }
            : undefined,
        );
        if (stop) {
          // Closing the stream is what stops the work on the GPU service.
          abort.abort();
          throw new AttemptStopped();
        }
      }
      throw new GpuUnreachableError(503, 'GPU service unavailable: the stream ended without a result', {
        code: 'gpu_unavailable',
      });
    },
    scope.tenant,
  );
}

async function storedResult(env: Bindings, key: string): Promise<TranscriptionResult> {
  const object = await env.UPLOADS.get(key);
  if (!object) throw new Error(`stored result ${key} is missing`);
  return transcriptionResultSchema.parse(await object.json());
}

/** Runs (or finishes) one attempt of a job. Throws for the caller to decide between retry and failure. */
export async function runJob(
  env: Bindings,
  state: JobState,
  leaseId: string,
  action: 'run' | 'finish',
): Promise<void> {
  const job = jobStub(env, state.id);
  const result =
    action === 'run'
      ? await transcribeAttempt(env, state, leaseId)
      : await storedResult(env, state.result_key!);
  if (state.spec.storageUrl && !state.export_done) {
    await job.exported(leaseId, await exportJobResult(env, state.spec, state.tenant, result));
  }
  await job.complete(leaseId);
}

/**
 * Errors that another attempt cannot fix: the caller's input or request, and a job that used its
 * whole time budget (another attempt would take as long again).
 */
export function isPermanent(error: unknown): error is ApiError {
  if (!(error instanceof ApiError) || error instanceof GpuUnreachableError) return false;
  if (error.code === 'deadline_exceeded') return true;
  return error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
}
