import { ApiError, formatResponse } from '@whisper-edge/shared';
import { type Context, Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { transcribeOnGpu } from '../gpu/gpu-client.js';
import { withGpu } from '../gpu/with-gpu.js';
import { submitJob } from '../jobs/submit-job.js';
import { requestClipKeys, resolveKnownSpeakers } from '../speakers/known-speaker-fields.js';
import { recordUsage, timed } from '../usage/record-usage.js';
import { resolveAudioInput } from './audio-input.js';
import { receiveAudioRequest, withoutLeftovers } from './audio-request.js';
import { transcribeRequest } from './gpu-request.js';
import { requestMode } from './request-mode.js';
import { planExport } from './result-export.js';
import { transcriptSse } from './transcript-sse.js';
import { parseTranscriptionParams } from './transcription-params.js';

function isInputRefusal(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429;
}

/** One handler for both endpoints: translations are transcriptions with task `translate`. */
function audioHandler(task: 'transcribe' | 'translate') {
  return async (c: Context<AppEnv>) => {
    const { scope, fields, file, stored } = await receiveAudioRequest(c);
    const prepared = await withoutLeftovers(c.env.UPLOADS, stored, async () => {
      const mode = await requestMode(scope, fields, file?.size);
      const params = parseTranscriptionParams(fields, task);
      const input = await resolveAudioInput(fields, file, scope);
      // Profile ids are checked here, for a job too (which signs its clips again on each attempt).
      const knownSpeakers = await resolveKnownSpeakers(scope, fields);
      const plannedExport = await planExport(fields, {
        scope,
        format: params.responseFormat,
        timestampGranularities: params.timestampGranularities,
        captions: params.captions,
      });
      return { ...mode, params, input, plannedExport, knownSpeakers };
    });
    const { params, input, plannedExport, stream, asJob, callbackUrl, knownSpeakers } = prepared;

    if (asJob) {
      const { job, replayed } = await submitJob(scope, {
        fields,
        file,
        params,
        task,
        plannedExport,
        callbackUrl,
        idempotencyKey: c.req.header('idempotency-key')?.slice(0, 255),
      });
      return c.json(job, replayed ? 200 : 202, {
        location: `/v1/jobs/${job.id}`,
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
      });
    }
    const gpuRequest = transcribeRequest(input, params, scope.config.limits.sync, {
      plannedExport,
      knownSpeakers,
    });
    // A sync request's reference clips serve it alone: they go once it is answered.
    const clips = requestClipKeys(fields);
    const dropClips = async () => {
      if (clips.length > 0) await c.env.UPLOADS.delete(clips);
    };
    if (stream) {
      return transcriptSse(
        scope,
        gpuRequest,
        plannedExport,
        (p) => c.executionCtx.waitUntil(p.finally(dropClips)),
        c.req.raw.signal,
      ).catch(async (error: unknown) => {
        await dropClips();
        throw error;
      });
    }
    const { value: response, seconds } = await timed(() =>
      withGpu(c.env, (gpu) => transcribeOnGpu(gpu, gpuRequest, c.req.raw.signal), scope.tenant),
    )
      .catch(async (error: unknown) => {
        // Audio sent only for this request, refused as input (not decodable, too long), is not kept.
        if (file && isInputRefusal(error)) await c.env.UPLOADS.delete(file.key);
        throw error;
      })
      .finally(dropClips);
    await recordUsage(c.env, scope.tenant, {
      requests: 1,
      audioSeconds: response.result.duration,
      gpuSeconds: seconds,
    });
    const extras: Record<string, string> = {};
    if (plannedExport) {
      if (response.export?.ok) extras.storage_url = plannedExport.storageUrl;
      else extras.export_error = response.export?.error ?? 'the GPU service did not export the result';
    }
    const formatted = formatResponse(response.result, params.responseFormat, {
      extras,
      timestampGranularities: params.timestampGranularities,
      captions: params.captions,
    });
    const headers: Record<string, string> = { 'content-type': formatted.contentType };
    if (extras.storage_url) headers['x-storage-url'] = extras.storage_url;
    if (extras.export_error) headers['x-export-error'] = extras.export_error.replace(/[\r\n]+/g, ' ');
    if (response.result.diarization) headers['x-diarization-backend'] = response.result.diarization.backend;
    return c.body(formatted.body, 200, headers);
  };
}

export const transcriptionRoutes = new Hono<AppEnv>()
  .post('/v1/audio/transcriptions', audioHandler('transcribe'))
  .post('/v1/audio/translations', audioHandler('translate'));
