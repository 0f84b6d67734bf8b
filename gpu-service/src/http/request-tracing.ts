import {
  acceptRequestId,
  type Logger,
  REQUEST_ID_HEADER,
  withLogContext,
} from '@whisper-edge/shared/logging';
import type { MiddlewareHandler } from 'hono';

/**
 * The id of the edge request this call serves (`x-request-id`, covered by the edge's signature), or a
 * new one for a direct call: in the log context of all the work done for it, and on the answer. Each
 * signed call logs one line with its outcome; health probes and metrics scrapes do not.
 */
export function requestTracing(log: Logger): MiddlewareHandler {
  return async function requestTracingMiddleware(c, next) {
    const requestId = acceptRequestId(c.req.header(REQUEST_ID_HEADER));
    const started = performance.now();
    await withLogContext({ request_id: requestId }, async () => {
      await next();
      if (c.req.path.startsWith('/internal/')) {
        log.info('request', {
          method: c.req.method,
          path: c.req.path,
          status: c.res.status,
          ms: Math.round(performance.now() - started),
        });
      }
    });
    // A WebSocket upgrade (101) is the socket library's to answer.
    if (c.res.status !== 101) c.res.headers.set(REQUEST_ID_HEADER, requestId);
  };
}
