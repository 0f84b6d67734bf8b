import { ApiError } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.js';
import { requestScope } from '../http/request-scope.js';
import { readJsonBody } from '../uploads/intake/capped-body.js';
import { jobAudio } from './job-audio.js';
import { purgeJob } from './job-purge.js';
import { latestResultInJobFormat } from './job-result-routes.js';
import { isTerminal, type JobState, publicJob } from './job-types.js';
import { ownJob } from './own-job.js';
import { jobStub } from './run-job.js';
import { tenantJobs } from './tenant-jobs-object.js';

export const MAX_JOB_NAME = 200;

/** A job's name: printable text without line breaks; `null` clears it. */
export const jobNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(MAX_JOB_NAME)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'must not hold control characters')
  .nullable();

export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.string().optional().meta({ description: 'A job id: the page after it' }),
});

export const jobRoutes = new Hono<AppEnv>()
  .get('/v1/jobs', async (c) => {
    const query = listQuerySchema.safeParse({
      limit: c.req.query('limit'),
      after: c.req.query('after') || undefined,
    });
    if (!query.success) {
      throw new ApiError(400, "Invalid 'limit': expected an integer from 1 to 100", {
        param: 'limit',
        code: 'invalid_value',
      });
    }
    const { limit, after } = query.data;
    const page = await tenantJobs(c.env, c.get('tenant')).list(limit, after);
    const states = await Promise.all(page.ids.map((id) => jobStub(c.env, id).get()));
    const data = states.flatMap((s) => (s ? [publicJob(s as JobState)] : []));
    return c.json({
      object: 'list' as const,
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: page.hasMore,
    });
  })
  .get('/v1/jobs/:id', async (c) => {
    const state = await ownJob(c);
    const result = await latestResultInJobFormat(c, state);
    return c.json({ ...publicJob(state), ...(result !== undefined ? { result } : {}) });
  })
  .patch('/v1/jobs/:id', async (c) => {
    const state = await ownJob(c);
    const body = (await readJsonBody(c.req.raw, 16 * 1024)) as { name?: unknown } | undefined;
    if (!body || typeof body !== 'object' || !('name' in body)) {
      throw new ApiError(400, 'Expected {"name": "…"} (or null to clear it)', {
        param: 'name',
        code: 'invalid_value',
      });
    }
    const name = jobNameSchema.safeParse(body.name);
    if (!name.success) {
      throw new ApiError(
        400,
        `Invalid 'name': ${name.error.issues[0]!.message} (1-${MAX_JOB_NAME} characters, or null)`,
        { param: 'name', code: 'invalid_value' },
      );
    }
    const updated = (await jobStub(c.env, state.id).rename(name.data)) ?? state;
    return c.json(publicJob(updated));
  })
  // A short-lived URL of the job's audio, straight from R2 (Range requests work, so players seek at once).
  .get('/v1/jobs/:id/audio', async (c) => {
    const state = await ownJob(c);
    return c.json(await jobAudio(requestScope(c), state));
  })
  .get('/v1/jobs/:id/events', async (c) => {
    const state = await ownJob(c);
    return jobStub(c.env, state.id).fetch('https://job/events');
  })
  // The transcript goes, the job's record stays (saying when): for callers whose data must not linger.
  .delete('/v1/jobs/:id/result', async (c) => {
    const state = await ownJob(c);
    if (!isTerminal(state.status)) {
      throw new ApiError(409, `The job is still ${state.status}: cancel it first (DELETE /v1/jobs/{id})`, {
        code: 'job_not_finished',
      });
    }
    const updated = (await jobStub(c.env, state.id).deleteResult()) ?? state;
    return c.json({ ...publicJob(updated), deleted: true });
  })
  // Cancels a running job; with purge=true, the job goes whole: record, audio, result, revisions, exports.
  .delete('/v1/jobs/:id', async (c) => {
    const state = await ownJob(c);
    const purge = c.req.query('purge');
    if (purge !== undefined && !/^(true|false|1|0)$/.test(purge)) {
      throw new ApiError(400, "Invalid 'purge': expected true or false", {
        param: 'purge',
        code: 'invalid_value',
      });
    }
    const stub = jobStub(c.env, state.id);
    const current = isTerminal(state.status) ? state : ((await stub.cancel()) ?? state);
    if (purge === 'true' || purge === '1') {
      const deleted = await purgeJob(requestScope(c), current);
      return c.json({
        id: state.id,
        object: 'transcription.job' as const,
        deleted: true as const,
        objects_deleted: deleted,
      });
    }
    return c.json(publicJob(current));
  });
