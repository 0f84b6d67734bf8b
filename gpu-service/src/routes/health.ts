import { Hono } from 'hono';
import type { ModelManager } from '../inference/model-manager.js';
import { versions } from '../versions.js';

export function healthRoutes(models: ModelManager) {
  return new Hono().get('/health', (c) => {
    const status = models.status();
    return c.json({ status: status.model_error ? 'degraded' : 'ok', ...status, versions: versions() });
  });
}
