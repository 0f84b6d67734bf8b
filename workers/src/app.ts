import { Hono } from 'hono';
import type { AppEnv } from './env.js';
import { modelApi, modelRoutes } from './gpu/model-routes.js';
import { healthApi, healthRoutes } from './health/health-routes.js';
import { apiKeyAuth } from './http/middleware/api-key-auth.js';
import { corsFromEnv } from './http/middleware/cors-from-env.js';
import { errorHandler, notFoundHandler } from './http/middleware/error-handler.js';
import { requestTracing } from './http/middleware/request-tracing.js';
import { openApiRoutes } from './http/openapi/openapi-routes.js';
import { jobApi } from './jobs/job-api.js';
import { jobResultApi } from './jobs/job-result-api.js';
import { jobResultRoutes } from './jobs/job-result-routes.js';
import { jobRoutes } from './jobs/job-routes.js';
import { jobWebhook } from './jobs/webhook.js';
import { realtimeApi, realtimeSecretRoutes, realtimeUpgradeRoutes } from './realtime/realtime-routes.js';
import { speakerApi, speakerRoutes } from './speakers/speaker-routes.js';
import { objectApi, objectRoutes } from './storage/object-routes.js';
import { diarizationApi, diarizationRoutes } from './transcription/diarization-routes.js';
import { transcriptionApi, transcriptionRoutes } from './transcription/transcription-routes.js';
import { deleteUploadApi, deleteUploadRoutes } from './uploads/delete-upload-routes.js';
import { multipartUploadApi } from './uploads/multipart-api.js';
import { multipartUploadRoutes } from './uploads/multipart-routes.js';
import { uploadApi, uploadRoutes } from './uploads/upload-routes.js';
import { usageApi, usageRoutes } from './usage/usage-routes.js';

/** Every route's OpenAPI description, from its own module (the OpenAPI test checks none is missing). */
export const apiOperations = [
  ...healthApi,
  ...uploadApi,
  ...multipartUploadApi,
  ...deleteUploadApi,
  ...modelApi,
  ...diarizationApi,
  ...transcriptionApi,
  ...jobApi,
  ...jobResultApi,
  ...realtimeApi,
  ...usageApi,
  ...speakerApi,
  ...objectApi,
];

export function createApp() {
  const app = new Hono<AppEnv>();
  app.onError(errorHandler);
  app.notFound(notFoundHandler);
  // Before everything, so every answer (errors, health, object URLs) carries the request's id.
  app.use('*', requestTracing());
  app.route('/', healthRoutes);
  app.route('/', openApiRoutes(apiOperations, { jobFinished: jobWebhook }));
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
