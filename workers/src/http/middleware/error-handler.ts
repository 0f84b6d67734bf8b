import { ApiError } from '@whisper-edge/shared';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Every failure leaves the edge in OpenAI's error shape; internals are logged, never returned. */
export function errorHandler(error: Error, c: Context): Response {
  if (error instanceof ApiError) {
    if (error.retryAfter !== undefined) c.header('retry-after', String(error.retryAfter));
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    return c.json(error.toBody(), error.status as ContentfulStatusCode);
  }
  if (error instanceof HTTPException) {
    const wrapped = new ApiError(error.status, error.message || 'Request failed');
    return c.json(wrapped.toBody(), error.status);
  }
  console.error('unhandled error', error);
  const internal = new ApiError(500, 'Internal server error', { type: 'server_error' });
  return c.json(internal.toBody(), 500);
}

export function notFoundHandler(c: Context): Response {
  const error = new ApiError(404, `No route for ${c.req.method} ${new URL(c.req.url).pathname}`, {
    code: 'route_not_found',
  });
  return c.json(error.toBody(), 404);
}
