import { ApiError, diarizationResultSchema, formatRttm } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, Bindings } from '../env.js';
import { resolveAudioInput } from '../lib/audio-input.js';
import { parseSpeakerParams } from '../lib/diarization-params.js';
import { postToGpu } from '../lib/gpu-client.js';
import { readRequestFields } from '../lib/request-fields.js';
import { tenantRoot } from '../lib/tenant-keys.js';
import { withGpu } from '../lib/with-gpu.js';

const formatSchema = z.enum(['json', 'rttm']).default('json');

function publicOrigin(env: Bindings, request: Request): string {
  return env.PUBLIC_URL ?? new URL(request.url).origin;
}

/** The RTTM file id: the uploaded file's name without extension, as scoring tools expect. */
function fileId(fields: Record<string, string>, filename: string | undefined): string {
  const name = filename ?? fields.storage_key?.split('/').pop() ?? 'audio';
  return name.replace(/\.[^.]+$/, '') || 'audio';
}

/**
 * `POST /v1/audio/diarization`: who spoke when, without a transcript. Takes audio like the
 * transcription endpoint (file, storage_key or s3_presigned_url) and answers turns as JSON or RTTM.
 */
export const diarizationRoutes = new Hono<AppEnv>().post('/v1/audio/diarization', async (c) => {
  const secret = c.env.GPU_SHARED_SECRET;
  if (!secret) {
    throw new ApiError(500, 'GPU_SHARED_SECRET is not configured on the edge', { type: 'server_error' });
  }
  const tenant = c.get('tenant');
  const { fields, file } = await readRequestFields(c.req.raw, c.env.UPLOADS, {
    keyRoot: tenantRoot(tenant),
    requireMedia: false,
  });
  const origin = publicOrigin(c.env, c.req.raw);
  const prepared = await (async () => {
    const format = formatSchema.safeParse(fields.response_format?.trim() || undefined);
    if (!format.success) {
      throw new ApiError(400, "Invalid 'response_format': expected 'json' or 'rttm'", {
        param: 'response_format',
        code: 'invalid_value',
      });
    }
    const { options } = parseSpeakerParams(fields);
    const input = await resolveAudioInput(fields, file, { env: c.env, tenant, origin, secret });
    return { format: format.data, options, input };
  })().catch(async (error: unknown) => {
    if (file) await c.env.UPLOADS.delete(file.key);
    throw error;
  });

  const result = await withGpu(c.env, (baseUrl) =>
    postToGpu(
      { baseUrl, secret },
      '/internal/diarize',
      { audio_url: prepared.input.audioUrl, audio_source: prepared.input.source, options: prepared.options },
      diarizationResultSchema,
    ),
  );
  if (prepared.format === 'rttm') {
    return c.body(formatRttm(result.turns, fileId(fields, file?.filename)), 200, {
      'content-type': 'text/plain; charset=utf-8',
    });
  }
  return c.json({ task: 'diarize', ...result });
});
