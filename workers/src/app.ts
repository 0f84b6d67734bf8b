import { Hono } from 'hono';
import type { AppEnv } from './env.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { healthRoutes } from './routes/health.js';
import { objectRoutes } from './routes/objects.js';
import { transcriptionRoutes } from './routes/transcriptions.js';

export function createApp() {
  const app = new Hono<AppEnv>();
  app.onError(errorHandler);
  app.notFound(notFoundHandler);
  app.route('/', healthRoutes);
  app.route('/', objectRoutes);
  app.route('/', transcriptionRoutes);
  return app;
}
