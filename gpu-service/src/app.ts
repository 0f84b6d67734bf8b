import { ApiError, asApiError } from '@whisper-edge/shared';
import { createLogger, type Logger, logContext } from '@whisper-edge/shared/logging';
import { Hono } from 'hono';
import { DEFAULT_PACE } from './audio/download-pace.js';
import { resolveFfmpeg } from './audio/ffmpeg-path.js';
import type { AudioIntake } from './audio/request-audio.js';
import { SAMPLE_RATE } from './audio/sample-rate.js';
import type { Config } from './config.js';
import type { DiarizerFactory } from './diarization/create-diarizer.js';
import { Admission } from './http/admission.js';
import { createMetrics, type Metrics, metricsAuth, routeLabel } from './http/metrics.js';
import { NonceCache } from './http/nonce-cache.js';
import { RealtimeCapacity } from './http/realtime-capacity.js';
import { requestTracing } from './http/request-tracing.js';
import { diarizeRoutes } from './http/routes/diarize.js';
import { healthRoutes } from './http/routes/health.js';
import { realtimeRoutes } from './http/routes/realtime.js';
import { transcribeRoutes } from './http/routes/transcribe.js';
import { verifySignature } from './http/verify-signature.js';
import { ModelLoadError } from './models/model-manager.js';
import type { ModelRegistry } from './models/model-registry.js';
import { Transcriber } from './transcription/transcribe.js';

export interface AppDeps {
  config: Config;
  models: ModelRegistry;
  /** Each diarized request's backend: neural when main.ts configured its models, else acoustic. */
  diarizers: DiarizerFactory;
  /** Structured JSON lines; each carries the request id of the work it is about. */
  log?: Logger;
  admission?: Admission;
  metrics?: Metrics;
  /** Live sessions' cap; main.ts keeps it to close them when draining. */
  realtime?: RealtimeCapacity;
}

export function createApp({
  config,
  models,
  diarizers,
  log = createLogger('gpu-service'),
  ...deps
}: AppDeps) {
  const admission =
    deps.admission ??
    new Admission({ maxConcurrent: config.MAX_CONCURRENT_REQUESTS, maxQueue: config.MAX_QUEUED_REQUESTS });
  const metrics =
    deps.metrics ?? createMetrics({ queued: () => admission.queued, inFlight: () => admission.inFlight });
  const realtime = deps.realtime ?? new RealtimeCapacity(config.MAX_REALTIME_SESSIONS);
  const app = new Hono();
  // Errors are answered inside the tracing middleware's context: their bodies name the request.
  app.onError((error) => {
    const requestId = logContext().request_id;
    if (error instanceof ModelLoadError) {
      return new ApiError(503, error.message, { code: 'model_unavailable' }).toResponse(requestId);
    }
    if (!(error instanceof ApiError)) log.error('unhandled error', { error });
    return asApiError(error).toResponse(requestId);
  });
  app.notFound(() => new ApiError(404, 'Not found').toResponse(logContext().request_id));
  app.use('*', requestTracing(log));
  app.route('/', healthRoutes(models, admission, realtime));
  app.get('/metrics', metricsAuth(config.METRICS_TOKEN), async (c) =>
    c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }),
  );
  app.use('/internal/*', async (c, next) => {
    await next();
    metrics.requests.inc({ route: routeLabel(c), status: String(c.res.status) });
  });
  app.use(
    '/internal/*',
    verifySignature({
      secret: config.GPU_SHARED_SECRET,
      maxSkewSeconds: config.SIGNATURE_MAX_SKEW_SECONDS,
      maxBodyBytes: config.MAX_INTERNAL_BODY_BYTES,
    }),
  );
  const audio: AudioIntake = {
    ffmpegPath: () => resolveFfmpeg(config.FFMPEG_PATH),
    maxBytes: config.MAX_AUDIO_BYTES,
    maxSeconds: config.MAX_AUDIO_SECONDS,
    pace: {
      minBytesPerSecond: config.MIN_DOWNLOAD_BYTES_PER_SECOND,
      stallSeconds: config.DOWNLOAD_STALL_SECONDS,
      graceSeconds: DEFAULT_PACE.graceSeconds,
    },
    allowPrivateExternal: config.ALLOW_PRIVATE_AUDIO_URLS,
  };
  const maxRequestSeconds = config.MAX_REQUEST_SECONDS;
  const transcriber = new Transcriber({ diarizers });
  app.route(
    '/',
    transcribeRoutes({ models, transcriber, admission, metrics, audio, maxRequestSeconds, log }),
  );
  app.route('/', diarizeRoutes({ diarizers, admission, audio, maxRequestSeconds }));
  app.route(
    '/',
    realtimeRoutes({
      models,
      transcriber,
      capacity: realtime,
      // A signed upgrade is good for the signature's skew either side of now.
      nonces: new NonceCache(2 * config.SIGNATURE_MAX_SKEW_SECONDS * 1000),
      partial: { stepSamples: Math.round((config.REALTIME_STEP_MS * SAMPLE_RATE) / 1000) },
      ...(config.REALTIME_TEMPERATURE_FALLBACK ? {} : { finalTemperatures: [0] }),
      log: (message) => log.warn(message),
    }),
  );
  return app;
}
