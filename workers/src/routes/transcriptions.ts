import { ApiError, formatResponse } from '@whisper-edge/shared';
import { Hono } from 'hono';
import type { AppEnv, Bindings } from '../env.js';
import { transcribeOnGpu } from '../lib/gpu-client.js';
import { signObjectUrl } from '../lib/object-urls.js';
import { receiveForm } from '../lib/receive-form.js';
import { tenantRoot } from '../lib/tenant-keys.js';
import { parseTranscriptionParams } from '../lib/transcription-params.js';

function publicOrigin(env: Bindings, request: Request): string {
  return env.PUBLIC_URL ?? new URL(request.url).origin;
}

export const transcriptionRoutes = new Hono<AppEnv>().post('/v1/audio/transcriptions', async (c) => {
  const { fields, file } = await receiveForm(c.req.raw, c.env.UPLOADS, {
    keyRoot: tenantRoot(c.get('tenant')),
    // ffmpeg is the judge here: it reads formats no signature list knows, and says why it could not.
    requireMedia: false,
  });
  if (!file) {
    throw new ApiError(400, "You must provide a 'file' to transcribe", {
      param: 'file',
      code: 'missing_file',
    });
  }
  let params: ReturnType<typeof parseTranscriptionParams>;
  try {
    params = parseTranscriptionParams(fields, 'transcribe');
  } catch (error) {
    await c.env.UPLOADS.delete(file.key);
    throw error;
  }

  const secret = c.env.GPU_SHARED_SECRET;
  if (!secret)
    throw new ApiError(500, 'GPU_SHARED_SECRET is not configured on the edge', { type: 'server_error' });
  const audioUrl = await signObjectUrl(publicOrigin(c.env, c.req.raw), secret, file.key, {
    ttlSeconds: Number(c.env.AUDIO_URL_TTL_SECONDS) || 3600,
  });
  const result = await transcribeOnGpu(
    { baseUrl: c.env.GPU_SERVICE_URL, secret },
    { audio_url: audioUrl, options: params.options },
  );
  const formatted = formatResponse(result, params.responseFormat);
  return c.body(formatted.body, 200, { 'content-type': formatted.contentType });
});
