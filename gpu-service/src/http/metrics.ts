import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '@whisper-edge/shared';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  requests: Counter<'route' | 'status'>;
  audioSeconds: Counter;
  processingSeconds: Counter;
  realTimeFactor: Histogram;
  modelLoadSeconds: Gauge<'model' | 'device'>;
}

/** Prometheus metrics for /metrics; queue depth and in-flight are read from the admission gate when scraped. */
export function createMetrics(gauges: { queued: () => number; inFlight: () => number }): Metrics {
  const registry = new Registry();
  const metrics: Metrics = {
    registry,
    requests: new Counter({
      name: 'whisper_requests_total',
      help: 'Requests by route and status',
      labelNames: ['route', 'status'],
      registers: [registry],
    }),
    audioSeconds: new Counter({
      name: 'whisper_audio_seconds_total',
      help: 'Seconds of audio transcribed',
      registers: [registry],
    }),
    processingSeconds: new Counter({
      name: 'whisper_processing_seconds_total',
      help: 'Wall-clock seconds spent decoding and transcribing',
      registers: [registry],
    }),
    realTimeFactor: new Histogram({
      name: 'whisper_real_time_factor',
      help: 'Audio seconds per processing second, per request (higher is faster)',
      buckets: [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers: [registry],
    }),
    modelLoadSeconds: new Gauge({
      name: 'whisper_model_load_seconds',
      help: 'Time the loaded model took to load',
      labelNames: ['model', 'device'],
      registers: [registry],
    }),
  };
  new Gauge({
    name: 'whisper_queue_depth',
    help: 'Requests waiting for a slot',
    registers: [registry],
    collect() {
      this.set(gauges.queued());
    },
  });
  new Gauge({
    name: 'whisper_inflight_requests',
    help: 'Requests being processed',
    registers: [registry],
    collect() {
      this.set(gauges.inFlight());
    },
  });
  return metrics;
}

/** The `route` label for requests no route handled (unknown paths, wrong methods). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The route pattern that handled the request (`/internal/transcribe`), never the raw path, so unknown
 * paths cannot grow the number of series; `unmatched` when only middleware (`use`) matched.
 */
export function routeLabel(c: Context): string {
  const handler = matchedRoutes(c)
    .filter((route) => route.method !== 'ALL')
    .at(-1);
  return handler?.path ?? UNMATCHED_ROUTE;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** When `token` is set, refuses calls without `Authorization: Bearer <token>` (compared in constant time). */
export function metricsAuth(token: string | undefined): MiddlewareHandler {
  const expected = token ? digest(token) : undefined;
  return async function metricsAuthMiddleware(c, next) {
    if (expected) {
      const match = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '');
      // Hashing first gives equal lengths, so the comparison time does not depend on the guess.
      if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
        c.header('www-authenticate', 'Bearer');
        throw new ApiError(401, 'Invalid or missing metrics token', { code: 'invalid_api_key' });
      }
    }
    await next();
  };
}
