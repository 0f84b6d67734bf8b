import { ApiError } from '@whisper-edge/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { tenantUsage, usageDay } from './record-usage.js';

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;

function timeParam(value: string | undefined, param: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0)
    throw new ApiError(400, `Invalid '${param}': expected Unix seconds`, { param, code: 'invalid_value' });
  return seconds * 1000;
}

/**
 * `GET /v1/usage?start_time=&end_time=` (Unix seconds; default the last 7 days): the calling key's
 * requests, jobs, audio seconds and GPU seconds per UTC day, and their totals.
 */
export const usageRoutes = new Hono<AppEnv>().get('/v1/usage', async (c) => {
  const now = Date.now();
  const end = timeParam(c.req.query('end_time'), 'end_time', now);
  const start = timeParam(c.req.query('start_time'), 'start_time', end - 7 * DAY_MS);
  if (start > end) {
    throw new ApiError(400, "Invalid 'start_time': after end_time", {
      param: 'start_time',
      code: 'invalid_value',
    });
  }
  if (end - start > MAX_DAYS * DAY_MS) {
    throw new ApiError(400, `Invalid 'start_time': at most ${MAX_DAYS} days at once`, {
      param: 'start_time',
      code: 'invalid_value',
    });
  }
  const days = await tenantUsage(c.env, c.get('tenant')).days(usageDay(start), usageDay(end));
  const data = days.map((d) => {
    const dayStart = Date.parse(`${d.day}T00:00:00Z`) / 1000;
    return { object: 'usage.day', start_time: dayStart, end_time: dayStart + 86_400, ...d };
  });
  const total = (key: 'requests' | 'jobs' | 'audio_seconds' | 'gpu_seconds') =>
    days.reduce((sum, d) => sum + d[key], 0);
  return c.json({
    object: 'list',
    data,
    totals: {
      requests: total('requests'),
      jobs: total('jobs'),
      audio_seconds: total('audio_seconds'),
      gpu_seconds: total('gpu_seconds'),
    },
  });
});
