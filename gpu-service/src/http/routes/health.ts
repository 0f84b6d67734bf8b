import type { GpuHealthBody } from '@whisper-edge/shared';
import { Hono } from 'hono';
import type { ModelRegistry } from '../../models/model-registry.js';
import { versions } from '../../versions.js';
import type { Admission } from '../admission.js';
import type { RealtimeCapacity } from '../realtime-capacity.js';

export function healthRoutes(models: ModelRegistry, admission: Admission, realtime?: RealtimeCapacity) {
  return new Hono().get('/health', (c) => {
    const status = models.status();
    const { maxConcurrent, maxQueue } = admission.capacity;
    const body: GpuHealthBody = {
      status: status.model_error ? 'degraded' : 'ok',
      ...status,
      // What the edge's GPU pool balances on.
      load: {
        in_flight: admission.inFlight,
        queued: admission.queued,
        max_concurrent: maxConcurrent,
        max_queued: maxQueue,
      },
      ...(realtime ? { realtime: { sessions: realtime.sessions, max_sessions: realtime.max } } : {}),
      versions: versions(),
    };
    return c.json(body);
  });
}
