import { ApiError, formatResponse } from '@whisper-edge/shared';
import { type Context, Hono } from 'hono';
import type { AppEnv, Bindings } from '../env.js';
import { resolveAudioInput } from '../lib/audio-input.js';
import { transcribeOnGpu } from '../lib/gpu-client.js';
import { readRequestFields } from '../lib/request-fields.js';
import { planExport } from '../lib/result-export.js';
import { tenantRoot } from '../lib/tenant-keys.js';
import { parseTranscriptionParams } from '../lib/transcription-params.js';

function publicOrigin(env: Bindings, request: Request): string {
  return env.PUBLIC_URL ?? new URL(request.url).origin;
}

/** One handler for both endpoints: translations are transcriptions with task `translate`. */
function audioHandler(task: 'transcribe' | 'translate') {
  return async (c: Context<AppEnv>) => {
    const secret = c.env.GPU_SHARED_SECRET;
    if (!secret) {
      throw new ApiError(500, 'GPU_SHARED_SECRET is not configured on the edge', { type: 'server_error' });
    }
    const tenant = c.get('tenant');
    const { fields, file } = await readRequestFields(c.req.raw, c.env.UPLOADS, {
      keyRoot: tenantRoot(tenant),
      // ffmpeg is the judge here: it reads formats no signature list knows, and says why it could not.
      requireMedia: false,
    });
    const origin = publicOrigin(c.env, c.req.raw);
    const prepared = await (async () => {
      const params = parseTranscriptionParams(fields, task);
      const input = await resolveAudioInput(fields, file, { env: c.env, tenant, origin, secret });
      const plannedExport = await planExport(fields, {
        env: c.env,
        tenant,
        origin,
        secret,
        format: params.responseFormat,
        timestampGranularities: params.timestampGranularities,
      });
      return { params, input, plannedExport };
    })().catch(async (error: unknown) => {
      // A request refused before any work must not leave its upload behind.
      if (file) await c.env.UPLOADS.delete(file.key);
      throw error;
    });
    const { params, input, plannedExport } = prepared;

    const response = await transcribeOnGpu(
      { baseUrl: c.env.GPU_SERVICE_URL, secret },
      {
        audio_url: input.audioUrl,
        audio_source: input.source,
        options: params.options,
        ...(plannedExport ? { result_target: plannedExport.target } : {}),
      },
    );
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
