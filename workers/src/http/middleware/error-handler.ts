import { ApiError, asApiError } from '@whisper-edge/shared';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../../env.js';
import { log } from '../log.js';

/** Every failure leaves the edge in OpenAI's error shape with its request id; internals are logged, never returned. */
export function errorHandler(error: Error, c: Context<AppEnv>): Response {
  const requestId = c.get('requestId');
  if (error instanceof HTTPException)
    return new ApiError(error.status, error.message || 'Request failed').toResponse(requestId);
  if (!(error instanceof ApiError)) log.error('unhandled error', { error });
  return asApiError(error).toResponse(requestId);
}

export function notFoundHandler(c: Context<AppEnv>): Response {
  return new ApiError(404, `No route for ${c.req.method} ${new URL(c.req.url).pathname}`, {
    code: 'route_not_found',
  }).toResponse(c.get('requestId'));
}
