import { ApiError } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.js';
import type { ApiOperation } from '../http/openapi/api-operation.js';
import { tenantUsage, usageDay } from './record-usage.js';

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;

const unixSeconds = z.coerce.number().int().min(0).meta({ description: 'Unix seconds' });

function timeParam(value: string | undefined, param: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const seconds = unixSeconds.safeParse(value);
  if (!seconds.success)
    throw new ApiError(400, `Invalid '${param}': expected Unix seconds`, { param, code: 'invalid_value' });
  return seconds.data * 1000;
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
    return { object: 'usage.day' as const, start_time: dayStart, end_time: dayStart + 86_400, ...d };
  });
  const total = (key: 'requests' | 'jobs' | 'audio_seconds' | 'gpu_seconds') =>
    days.reduce((sum, d) => sum + d[key], 0);
  return c.json({
    object: 'list' as const,
    data,
    totals: {
      requests: total('requests'),
      jobs: total('jobs'),
      audio_seconds: total('audio_seconds'),
      gpu_seconds: total('gpu_seconds'),
    },
  } satisfies z.infer<typeof usageListSchema>);
});

const counts = {
  requests: z.number().int().meta({ description: 'Finished sync, stream=true and diarization requests' }),
  jobs: z.number().int().meta({ description: 'Finished jobs' }),
  audio_seconds: z.number(),
  gpu_seconds: z.number().meta({ description: 'Wall-clock seconds the work held a GPU slot' }),
};

export const usageListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(
      z.object({
        object: z.literal('usage.day'),
        start_time: z.number().int(),
        end_time: z.number().int(),
        day: z.string().meta({ description: 'UTC day, YYYY-MM-DD' }),
        ...counts,
      }),
    ),
    totals: z.object(counts),
  })
  .meta({ id: 'UsageList' });

export const usageApi: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/usage',
    operationId: 'getUsage',
    tags: ['Usage'],
    summary: 'The calling key’s usage per UTC day (default the last 7 days, at most 366)',
    params: {
      query: z.object({
        start_time: unixSeconds.optional(),
        end_time: unixSeconds.optional().meta({ description: 'Unix seconds (default now)' }),
      }),
    },
    responses: { 200: { description: 'Usage', content: { 'application/json': usageListSchema } } },
    errors: [400, 401],
  },
];
