import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { edgeConfig } from '../../config.js';
import type { AppEnv } from '../../env.js';

/**
 * CORS for browser clients, configured by `CORS_ORIGINS` (comma-separated origins, or `*`). Unset means
 * no cross-origin access. ETag is exposed because browser multipart uploads read it from part responses.
 */
export function corsFromEnv(): MiddlewareHandler<AppEnv> {
  return async function corsFromEnvMiddleware(c, next) {
    const allowed = edgeConfig(c.env).corsOrigins;
    if (allowed.length === 0) return next();
    const handler = cors({
      origin: allowed.includes('*') ? '*' : allowed,
      allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id'],
      exposeHeaders: ['etag', 'x-storage-url', 'x-export-error', 'retry-after', 'x-request-id'],
      maxAge: 600,
    });
    return handler(c, next);
  };
}
