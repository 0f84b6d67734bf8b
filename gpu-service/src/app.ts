import { ApiError } from '@whisper-edge/shared';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { resolveFfmpeg } from './audio/ffmpeg-path.js';
import type { Config } from './config.js';
import { ModelLoadError, type ModelManager } from './inference/model-manager.js';
import { verifySignature } from './middleware/verify-signature.js';
import { healthRoutes } from './routes/health.js';
import { transcribeRoutes } from './routes/transcribe.js';

export interface AppDeps {
  config: Config;
  models: ModelManager;
  log?: (message: string) => void;
}

export function createApp({ config, models, log = console.error }: AppDeps) {
  const app = new Hono();
  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json(error.toBody(), error.status as ContentfulStatusCode);
    if (error instanceof ModelLoadError) {
      return c.json(new ApiError(503, error.message, { code: 'model_unavailable' }).toBody(), 503);
    }
    log(`unhandled error: ${error.stack ?? error.message}`);
    return c.json(new ApiError(500, 'Internal server error', { type: 'server_error' }).toBody(), 500);
  });
  app.notFound((c) => c.json(new ApiError(404, 'Not found').toBody(), 404));
  app.route('/', healthRoutes(models));
  app.use(
    '/internal/*',
    verifySignature({ secret: config.GPU_SHARED_SECRET, maxSkewSeconds: config.SIGNATURE_MAX_SKEW_SECONDS }),
  );
  app.route(
    '/',
    transcribeRoutes({
      models,
      ffmpegPath: () => resolveFfmpeg(config.FFMPEG_PATH),
      maxAudioBytes: config.MAX_AUDIO_BYTES,
      allowPrivateAudioUrls: config.ALLOW_PRIVATE_AUDIO_URLS,
    }),
  );
  return app;
}
