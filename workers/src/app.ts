import { Hono } from 'hono';
import type { AppEnv } from './env.js';
import { apiKeyAuth } from './middleware/api-key-auth.js';
import { corsFromEnv } from './middleware/cors-from-env.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { diarizationRoutes } from './routes/diarization.js';
import { healthRoutes } from './routes/health.js';
import { jobRoutes } from './routes/jobs.js';
import { modelRoutes } from './routes/models.js';
import { multipartUploadRoutes } from './routes/multipart-uploads.js';
import { objectRoutes } from './routes/objects.js';
import { transcriptionRoutes } from './routes/transcriptions.js';
import { uploadRoutes } from './routes/uploads.js';

export function createApp() {
  const app = new Hono<AppEnv>();
  app.onError(errorHandler);
  app.notFound(notFoundHandler);
  app.route('/', healthRoutes);
  // Object URLs carry their own signature; everything under /v1 needs an API key when keys are set.
  app.route('/', objectRoutes);
  // CORS first, so preflights (which carry no credentials) are answered before auth.
  app.use('/v1/*', corsFromEnv());
  app.use('/v1/*', apiKeyAuth());
  app.route('/', uploadRoutes);
  app.route('/', multipartUploadRoutes);
  app.route('/', modelRoutes);
  app.route('/', diarizationRoutes);
  app.route('/', transcriptionRoutes);
  app.route('/', jobRoutes);
  return app;
}
