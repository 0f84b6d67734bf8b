import { Hono } from 'hono';
import type { ModelRegistry } from '../inference/model-registry.js';
import { versions } from '../versions.js';

export function healthRoutes(models: ModelRegistry) {
  return new Hono().get('/health', (c) => {
    const status = models.status();
    return c.json({ status: status.model_error ? 'degraded' : 'ok', ...status, versions: versions() });
  });
}
