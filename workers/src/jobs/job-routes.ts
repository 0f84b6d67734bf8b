import { ApiError } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.js';
import type { ApiOperation } from '../http/openapi/api-operation.js';
import { requestScope } from '../http/request-scope.js';
import { readJsonBody } from '../uploads/intake/capped-body.js';
import { jobAudio } from './job-audio.js';
import { purgeJob } from './job-purge.js';
import { latestResultInJobFormat } from './job-result-routes.js';
import { isTerminal, type JobState, jobId, jobResultJson, jobSchema, publicJob } from './job-types.js';
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

const listQuerySchema = z.object({
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

const jobWithResult = jobSchema
  .extend({
    result: z.union([jobResultJson, z.string()]).optional().meta({
      description:
        'The latest revision in the job’s format: JSON formats as objects, text formats as strings',
    }),
  })
  .meta({ id: 'JobWithResult' });

export const jobApi: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/jobs',
    operationId: 'listJobs',
    tags: ['Jobs'],
    summary: 'The caller’s jobs, newest first',
    params: { query: listQuerySchema },
    responses: {
      200: {
        description: 'A page of jobs',
        content: {
          'application/json': z.object({
            object: z.literal('list'),
            data: z.array(jobSchema),
            first_id: z.string().nullable(),
            last_id: z.string().nullable(),
            has_more: z.boolean(),
          }),
        },
      },
    },
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/v1/jobs/{id}',
    operationId: 'getJob',
    tags: ['Jobs'],
    summary: 'A job: status, progress, and its result once it succeeded',
    params: { path: jobId },
    responses: { 200: { description: 'The job', content: { 'application/json': jobWithResult } } },
    errors: [401, 404],
  },
  {
    method: 'patch',
    path: '/v1/jobs/{id}',
    operationId: 'renameJob',
    tags: ['Jobs'],
    summary: 'Name a job (or clear its name with null)',
    params: { path: jobId },
    body: { content: { 'application/json': z.object({ name: jobNameSchema }) } },
    responses: { 200: { description: 'The job', content: { 'application/json': jobSchema } } },
    errors: [400, 401, 404, 413],
  },
  {
    method: 'get',
    path: '/v1/jobs/{id}/audio',
    operationId: 'getJobAudio',
    tags: ['Jobs'],
    summary: 'A short-lived URL of the job’s audio (Range requests work)',
    params: { path: jobId },
    responses: {
      200: {
        description: 'Where to read it',
        content: {
          'application/json': z.object({
            object: z.literal('transcription.audio'),
            job_id: z.string(),
            url: z.string(),
            expires_at: z.number().int(),
            content_type: z.string().nullable(),
            bytes: z.number().int(),
          }),
        },
      },
    },
    errors: [401, 404],
  },
  {
    method: 'get',
    path: '/v1/jobs/{id}/events',
    operationId: 'jobEvents',
    tags: ['Jobs'],
    summary: 'Server-sent events: everything so far, then live until the job ends',
    params: { path: jobId },
    responses: {
      200: {
        description:
          '`job.progress`, transcript events, then `job.succeeded` / `job.failed` / `job.cancelled`',
        content: { 'text/event-stream': z.string() },
      },
    },
    errors: [401, 404],
  },
  {
    method: 'delete',
    path: '/v1/jobs/{id}/result',
    operationId: 'deleteJobResult',
    tags: ['Jobs'],
    summary: 'Delete a finished job’s transcript (the record stays, with result_deleted_at)',
    params: { path: jobId },
    responses: {
      200: {
        description: 'Deleted',
        content: {
          'application/json': jobSchema.extend({ deleted: z.literal(true) }).meta({ id: 'DeletedJobResult' }),
        },
      },
    },
    errors: [401, 404, 409],
  },
  {
    method: 'delete',
    path: '/v1/jobs/{id}',
    operationId: 'cancelJob',
    tags: ['Jobs'],
    summary: 'Cancel a job (a running one stops on the GPU service too); purge=true deletes it whole',
    params: {
      path: jobId,
      query: z.object({
        purge: z.enum(['true', 'false', '1', '0']).optional().meta({
          description: 'Also delete its record, audio, result, revisions and exports',
        }),
      }),
    },
    responses: {
      200: {
        description: 'The job, or what a purge deleted',
        content: {
          'application/json': z.union([
            jobSchema,
            z.object({
              id: z.string(),
              object: z.literal('transcription.job'),
              deleted: z.literal(true),
              objects_deleted: z.number().int(),
            }),
          ]),
        },
      },
    },
    errors: [400, 401, 404],
  },
];
