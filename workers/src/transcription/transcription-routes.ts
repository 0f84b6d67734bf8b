import {
  ApiError,
  diarizedJsonSchema,
  formatResponse,
  transcriptionJsonSchema,
  verboseJsonSchema,
} from '@whisper-edge/shared';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.js';
import { transcribeOnGpu } from '../gpu/gpu-client.js';
import { withGpu } from '../gpu/with-gpu.js';
import type { ApiOperation } from '../http/openapi/api-operation.js';
import { jobSchema } from '../jobs/job-types.js';
import { submitJob } from '../jobs/submit-job.js';
import { requestClipKeys, resolveKnownSpeakers } from '../speakers/known-speaker-fields.js';
import { recordUsage, timed } from '../usage/record-usage.js';
import { resolveAudioInput } from './audio-input.js';
import { receiveAudioRequest, withoutLeftovers } from './audio-request.js';
import { transcribeRequest } from './gpu-request.js';
import { requestMode } from './request-mode.js';
import { planExport } from './result-export.js';
import { transcriptSse } from './transcript-sse.js';
import { transcriptionFormSchema } from './transcription-form.js';
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

const formBody = {
  content: {
    'multipart/form-data': transcriptionFormSchema,
    'application/x-www-form-urlencoded': transcriptionFormSchema.omit({ file: true }),
    'application/json': transcriptionFormSchema.omit({ file: true }),
  },
};

const textBody = z.string().meta({ description: 'text, srt or paragraphs (text/plain); vtt (text/vtt)' });

function audioApi(task: 'transcribe' | 'translate'): ApiOperation {
  const translate = task === 'translate';
  return {
    method: 'post',
    path: translate ? '/v1/audio/translations' : '/v1/audio/transcriptions',
    operationId: translate ? 'createTranslation' : 'createTranscription',
    tags: ['Audio'],
    summary: translate
      ? 'Translate speech into English text (same fields, English output)'
      : 'Transcribe audio (OpenAI-compatible), sync, streamed or as a job',
    description:
      'Sync by default; `stream=true` answers server-sent events (`transcript.text.delta`, `transcript.text.segment`, ' +
      '`transcript.text.done`, or `error`); `async=true`, a `callback_url` or a large stored input make it a job (202).',
    body: formBody,
    responses: {
      200: {
        description: 'The transcript in the requested response_format',
        headers: {
          'x-storage-url': { description: 'Where the exported copy went (text formats)' },
          'x-export-error': { description: 'Why the export failed (text formats)' },
          'x-diarization-backend': { description: 'neural or acoustic, when diarized' },
        },
        content: {
          'application/json': z.union([verboseJsonSchema, diarizedJsonSchema, transcriptionJsonSchema]),
          'text/plain': textBody,
          'text/vtt': textBody,
          'text/event-stream': z.string().meta({ description: 'stream=true: OpenAI’s transcription events' }),
        },
      },
      202: {
        description: 'Queued as a job (GET /v1/jobs/{id} follows it)',
        headers: { location: { description: '/v1/jobs/{id}' } },
        content: { 'application/json': jobSchema },
      },
    },
    errors: [400, 401, 403, 404, 409, 413, 429, 500, 503, 504],
  };
}

export const transcriptionApi: ApiOperation[] = [audioApi('transcribe'), audioApi('translate')];
