import { Hono } from 'hono';
import type { AppEnv } from './env.js';
import { modelRoutes } from './gpu/model-routes.js';
import { healthRoutes } from './health/health-routes.js';
import { apiKeyAuth } from './http/middleware/api-key-auth.js';
import { corsFromEnv } from './http/middleware/cors-from-env.js';
import { errorHandler, notFoundHandler } from './http/middleware/error-handler.js';
import { jobResultRoutes } from './jobs/job-result-routes.js';
import { jobRoutes } from './jobs/job-routes.js';
import { realtimeSecretRoutes, realtimeUpgradeRoutes } from './realtime/realtime-routes.js';
import { speakerRoutes } from './speakers/speaker-routes.js';
import { objectRoutes } from './storage/object-routes.js';
import { diarizationRoutes } from './transcription/diarization-routes.js';
import { transcriptionRoutes } from './transcription/transcription-routes.js';
import { deleteUploadRoutes } from './uploads/delete-upload-routes.js';
import { multipartUploadRoutes } from './uploads/multipart-routes.js';
import { uploadRoutes } from './uploads/upload-routes.js';
import { usageRoutes } from './usage/usage-routes.js';

export function createApp() {
  const app = new Hono<AppEnv>();
  app.onError(errorHandler);
  app.notFound(notFoundHandler);
  app.route('/', healthRoutes);
  // Object URLs carry their own signature; everything under /v1 needs an API key when keys are set.
  app.route('/', objectRoutes);
  // Live sessions authenticate themselves: browsers send their credential as a WebSocket subprotocol.
  app.route('/', realtimeUpgradeRoutes);
  // CORS first, so preflights (which carry no credentials) are answered before auth.
  app.use('/v1/*', corsFromEnv());
  app.use('/v1/*', apiKeyAuth());
  app.route('/', uploadRoutes);
  app.route('/', multipartUploadRoutes);
  app.route('/', deleteUploadRoutes);
  app.route('/', modelRoutes);
  app.route('/', diarizationRoutes);
  app.route('/', transcriptionRoutes);
  app.route('/', jobRoutes);
  app.route('/', jobResultRoutes);
  app.route('/', usageRoutes);
  app.route('/', speakerRoutes);
  app.route('/', realtimeSecretRoutes);
  return app;
}
