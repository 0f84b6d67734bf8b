import { ApiError, formatResponse } from '@whisper-edge/shared';
import { Hono } from 'hono';
import type { AppEnv, Bindings } from '../env.js';
import { resolveAudioInput } from '../lib/audio-input.js';
import { transcribeOnGpu } from '../lib/gpu-client.js';
import { readRequestFields } from '../lib/request-fields.js';
import { tenantRoot } from '../lib/tenant-keys.js';
import { parseTranscriptionParams } from '../lib/transcription-params.js';

function publicOrigin(env: Bindings, request: Request): string {
  return env.PUBLIC_URL ?? new URL(request.url).origin;
}

export const transcriptionRoutes = new Hono<AppEnv>().post('/v1/audio/transcriptions', async (c) => {
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
  let params: ReturnType<typeof parseTranscriptionParams>;
  let input: Awaited<ReturnType<typeof resolveAudioInput>>;
  try {
    params = parseTranscriptionParams(fields, 'transcribe');
    input = await resolveAudioInput(fields, file, {
      env: c.env,
      tenant,
      origin: publicOrigin(c.env, c.req.raw),
      secret,
    });
  } catch (error) {
    // A request refused before any work must not leave its upload behind.
    if (file) await c.env.UPLOADS.delete(file.key);
    throw error;
  }
  const result = await transcribeOnGpu(
    { baseUrl: c.env.GPU_SERVICE_URL, secret },
    { audio_url: input.audioUrl, audio_source: input.source, options: params.options },
  );
  const formatted = formatResponse(result, params.responseFormat);
  return c.body(formatted.body, 200, { 'content-type': formatted.contentType });
});
