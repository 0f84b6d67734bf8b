import { acceptRequestId, REQUEST_ID_HEADER, withLogContext } from '@whisper-edge/shared/logging';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../env.js';
import { log } from '../log.js';

/**
 * The first thing every request meets: its id (the caller's `x-request-id` when sane, else a new
 * `req_…`) goes into the log context of everything done for it (GPU calls sign and forward it, jobs
 * store it) and back out on the response, errors included. One line per request records its outcome.
 */
export function requestTracing(): MiddlewareHandler<AppEnv> {
  return async function requestTracingMiddleware(c, next) {
    const requestId = acceptRequestId(c.req.header(REQUEST_ID_HEADER));
    c.set('requestId', requestId);
    const started = Date.now();
    await withLogContext({ request_id: requestId }, async () => {
      await next();
      log.info('request', {
        method: c.req.method,
        path: new URL(c.req.url).pathname,
        status: c.res.status,
        ms: Date.now() - started,
      });
    });
    // A WebSocket upgrade (101) carries its socket; it is not rebuilt to add a header.
    if (c.res.status === 101) return;
    try {
      c.res.headers.set(REQUEST_ID_HEADER, requestId);
    } catch {
      // A response whose headers are immutable (fetched from a Durable Object): copy it to add ours.
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set(REQUEST_ID_HEADER, requestId);
    }
  };
}
