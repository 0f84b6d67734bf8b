import { ApiError, asApiError } from '@whisper-edge/shared';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';

/** Every failure leaves the edge in OpenAI's error shape; internals are logged, never returned. */
export function errorHandler(error: Error, _c: Context): Response {
  if (error instanceof HTTPException)
    return new ApiError(error.status, error.message || 'Request failed').toResponse();
  if (!(error instanceof ApiError)) console.error('unhandled error', error);
  return asApiError(error).toResponse();
}

export function notFoundHandler(c: Context): Response {
  return new ApiError(404, `No route for ${c.req.method} ${new URL(c.req.url).pathname}`, {
    code: 'route_not_found',
  }).toResponse();
}
