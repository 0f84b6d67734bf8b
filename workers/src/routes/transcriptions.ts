import { ApiError, formatResponse } from '@whisper-edge/shared';
import { type Context, Hono } from 'hono';
import type { AppEnv, Bindings } from '../env.js';
import { submitJob } from '../jobs/submit-job.js';
import { resolveAudioInput, validatePresignedUrl } from '../lib/audio-input.js';
import { receiveAudioRequest, withoutLeftovers } from '../lib/audio-request.js';
import { transcribeOnGpu } from '../lib/gpu-client.js';
import { parseBoolean, planExport } from '../lib/result-export.js';
import { assertTenantKey } from '../lib/tenant-keys.js';
import { transcriptSse } from '../lib/transcript-sse.js';
import { parseTranscriptionParams } from '../lib/transcription-params.js';
import { withGpu } from '../lib/with-gpu.js';
import type { Tenant } from '../middleware/api-key-auth.js';

/** Bytes of the caller's audio when it is in R2 already: large inputs become jobs on their own. */
async function storedInputBytes(
  env: Bindings,
  fields: Record<string, string>,
  fileSize: number | undefined,
  tenant: Tenant,
): Promise<number | undefined> {
  if (fileSize !== undefined) return fileSize;
  if (!fields.storage_key) return undefined;
  return (await env.UPLOADS.head(assertTenantKey(tenant, fields.storage_key, 'storage_key')))?.size;
}

function modeOf(fields: Record<string, string>) {
  const stream = parseBoolean(fields.stream, 'stream') ?? false;
  const asyncFlag = parseBoolean(fields.async, 'async');
  if (stream && asyncFlag) {
    throw new ApiError(400, "Invalid 'stream': a job streams its progress at GET /v1/jobs/{id}/events", {
      param: 'stream',
      code: 'invalid_value',
    });
  }
  return { stream, asyncFlag };
}

/** One handler for both endpoints: translations are transcriptions with task `translate`. */
function audioHandler(task: 'transcribe' | 'translate') {
  return async (c: Context<AppEnv>) => {
    const { secret, tenant, fields, file, origin } = await receiveAudioRequest(c);
    const prepared = await withoutLeftovers(c.env.UPLOADS, file, async () => {
      const { stream, asyncFlag } = modeOf(fields);
      const params = parseTranscriptionParams(fields, task);
      const callbackUrl = fields.callback_url
        ? validatePresignedUrl(
            fields.callback_url,
            c.env.CALLBACK_URL_ALLOWED_HOSTS,
            c.env.DEV_ALLOW_LOCAL_URLS === 'true',
            'callback_url',
          )
        : undefined;
      if (callbackUrl && !c.env.WEBHOOK_SECRET) {
        throw new ApiError(
          400,
          "Invalid 'callback_url': this deployment has no WEBHOOK_SECRET to sign webhooks with",
          {
            param: 'callback_url',
            code: 'webhooks_not_configured',
          },
        );
      }
      const threshold = Number(c.env.ASYNC_THRESHOLD_BYTES) || Number.POSITIVE_INFINITY;
      const bytes = stream ? undefined : await storedInputBytes(c.env, fields, file?.size, tenant);
      // A callback only makes sense for a job; very large inputs become one unless the caller said no.
      const asJob = !stream && (asyncFlag ?? (callbackUrl !== undefined || (bytes ?? 0) > threshold));
      const input = await resolveAudioInput(fields, file, { env: c.env, tenant, origin, secret });
      const plannedExport = await planExport(fields, {
        env: c.env,
        tenant,
        origin,
        secret,
        format: params.responseFormat,
        timestampGranularities: params.timestampGranularities,
      });
      if (callbackUrl && !asJob) {
        throw new ApiError(400, "Invalid 'callback_url': webhooks are sent for jobs; drop async=false", {
          param: 'callback_url',
          code: 'invalid_value',
        });
      }
      return { params, input, plannedExport, stream, asJob, callbackUrl };
    });
    const { params, input, plannedExport, stream, asJob, callbackUrl } = prepared;

    if (asJob) {
      const { job, replayed } = await submitJob(c.env, {
        fields,
        file,
        params,
        task,
        plannedExport,
        callbackUrl,
        idempotencyKey: c.req.header('idempotency-key')?.slice(0, 255),
        tenant,
        origin,
      });
      return c.json(job, replayed ? 200 : 202, {
        location: `/v1/jobs/${job.id}`,
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
      });
    }
    const gpuRequest = {
      audio_url: input.audioUrl,
      audio_source: input.source,
      options: params.options,
      ...(plannedExport ? { result_target: plannedExport.target } : {}),
    };
    if (stream) {
      return transcriptSse(
        c.env,
        gpuRequest,
        plannedExport,
        (p) => c.executionCtx.waitUntil(p),
        c.req.raw.signal,
      );
    }
    const response = await withGpu(c.env, (baseUrl) => transcribeOnGpu({ baseUrl, secret }, gpuRequest));
    const extras: Record<string, string> = {};
    if (plannedExport) {
      if (response.export?.ok) extras.storage_url = plannedExport.storageUrl;
      else extras.export_error = response.export?.error ?? 'the GPU service did not export the result';
    }
    const formatted = formatResponse(response.result, params.responseFormat, {
      extras,
      timestampGranularities: params.timestampGranularities,
    });
    const headers: Record<string, string> = { 'content-type': formatted.contentType };
    if (extras.storage_url) headers['x-storage-url'] = extras.storage_url;
    if (extras.export_error) headers['x-export-error'] = extras.export_error.replace(/[\r\n]+/g, ' ');
    return c.body(formatted.body, 200, headers);
  };
}

export const transcriptionRoutes = new Hono<AppEnv>()
  .post('/v1/audio/transcriptions', audioHandler('transcribe'))
  .post('/v1/audio/translations', audioHandler('translate'));
