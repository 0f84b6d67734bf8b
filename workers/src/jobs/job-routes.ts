import {
  ApiError,
  captionOptionsSchema,
  diarizedJsonSchema,
  formatResponse,
  responseFormats,
  transcriptionJsonSchema,
  transcriptionResultSchema,
  verboseJsonSchema,
} from '@whisper-edge/shared';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.js';
import type { ApiOperation } from '../http/openapi/api-operation.js';
import { granularitiesSchema, parseOutputFormat } from '../transcription/transcription-params.js';
import { isTerminal, type JobState, jobSchema, publicJob } from './job-types.js';
import { jobStub } from './run-job.js';
import { tenantJobs } from './tenant-jobs-object.js';

const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.string().optional().meta({ description: 'A job id: the page after it' }),
});

const notFound = () => new ApiError(404, 'Job not found', { code: 'job_not_found', param: 'id' });

/** The caller's own job, or 404: another key's jobs do not exist as far as this caller can tell. */
async function ownJob(c: Context<AppEnv>): Promise<JobState> {
  const id = c.req.param('id') ?? '';
  if (!/^job_[0-9a-f]{32}$/.test(id)) throw notFound();
  const state = await jobStub(c.env, id).get();
  if (!state || state.tenant !== c.get('tenant').id) throw notFound();
  return state;
}

type OutputFormat = ReturnType<typeof parseOutputFormat>;

async function formattedResult(c: Context<AppEnv>, state: JobState, output?: OutputFormat) {
  if (state.status !== 'succeeded' || !state.result_key) return undefined;
  const object = await c.env.UPLOADS.get(state.result_key);
  if (!object) return undefined;
  const result = transcriptionResultSchema.parse(await object.json());
  const format = output ?? parseOutputFormat(state.spec.fields, state.spec.responseFormat);
  // What the stored result never held cannot be rendered: say how to get it instead of inventing it.
  if (format.timestampGranularities?.includes('word') && !result.words) {
    throw new ApiError(
      400,
      'This job ran without word timestamps: submit it again with timestamp_granularities[]=word',
      {
        param: 'timestamp_granularities',
        code: 'words_not_available',
      },
    );
  }
  if (format.responseFormat === 'diarized_json' && !result.segments.some((s) => s.speaker)) {
    throw new ApiError(
      400,
      'This job ran without diarization: submit it again with enable_diarization=true',
      {
        param: 'response_format',
        code: 'speakers_not_available',
      },
    );
  }
  return formatResponse(result, format.responseFormat, {
    timestampGranularities: format.timestampGranularities,
  });
}

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
    const formatted = await formattedResult(c, state);
    const result = formatted
      ? formatted.contentType.startsWith('application/json')
        ? JSON.parse(formatted.body)
        : formatted.body
      : undefined;
    return c.json({ ...publicJob(state), ...(result !== undefined ? { result } : {}) });
  })
  // Any response_format (and timestamp_granularities[]) from the stored canonical result, without a rerun.
  .get('/v1/jobs/:id/result', async (c) => {
    const state = await ownJob(c);
    const query = new URL(c.req.url).searchParams;
    const granularities = [
      ...query.getAll('timestamp_granularities[]'),
      ...query.getAll('timestamp_granularities'),
    ];
    const format = query.get('response_format')?.trim() || state.spec.responseFormat;
    // Subtitles rendered again keep the job's caption shaping unless the query sets its own.
    const captionFields = ['max_line_chars', 'max_lines_per_cue', 'max_cue_seconds'];
    const inherited =
      format === 'srt' || format === 'vtt'
        ? Object.fromEntries(
            captionFields.flatMap((k) => (state.spec.fields[k] ? [[k, state.spec.fields[k]!]] : [])),
          )
        : {};
    const output = parseOutputFormat(
      {
        ...inherited,
        ...Object.fromEntries(captionFields.flatMap((k) => (query.has(k) ? [[k, query.get(k)!]] : []))),
        response_format: format,
        ...(granularities.length > 0 ? { timestamp_granularities: granularities.join(',') } : {}),
      },
      state.spec.responseFormat,
    );
    const formatted = await formattedResult(c, state, output);
    if (!formatted && state.result_deleted_at) {
      throw new ApiError(410, "The job's result was deleted", { code: 'result_deleted' });
    }
    if (!formatted) {
      throw new ApiError(409, `The job has no result (status: ${state.status})`, {
        code: 'job_not_finished',
      });
    }
    return c.body(formatted.body, 200, { 'content-type': formatted.contentType });
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
  .delete('/v1/jobs/:id', async (c) => {
    const state = await ownJob(c);
    if (isTerminal(state.status)) return c.json(publicJob(state));
    const cancelled = await jobStub(c.env, state.id).cancel();
    return c.json(publicJob(cancelled ?? state));
  });

const jobId = z.object({ id: z.string().meta({ description: '`job_` and 32 hex digits' }) });
const resultJson = z.union([verboseJsonSchema, diarizedJsonSchema, transcriptionJsonSchema]);
const jobWithResult = jobSchema
  .extend({
    result: z
      .union([resultJson, z.string()])
      .optional()
      .meta({ description: 'A finished job’s transcript: JSON formats as objects, text formats as strings' }),
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
    method: 'get',
    path: '/v1/jobs/{id}/result',
    operationId: 'getJobResult',
    tags: ['Jobs'],
    summary: 'A finished job’s result in any format, rendered from its stored result (no rerun)',
    params: {
      path: jobId,
      query: z.object({
        response_format: z.enum(responseFormats).optional().meta({ description: 'Default: the job’s own' }),
        'timestamp_granularities[]': granularitiesSchema.optional(),
        ...captionOptionsSchema.shape,
      }),
    },
    responses: {
      200: {
        description: 'The result',
        content: {
          'application/json': resultJson,
          'text/plain': z.string(),
          'text/vtt': z.string(),
        },
      },
    },
    errors: [400, 401, 404, 409, 410],
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
    summary: 'Cancel a job (a running one stops on the GPU service too)',
    params: { path: jobId },
    responses: { 200: { description: 'The job', content: { 'application/json': jobSchema } } },
    errors: [401, 404],
  },
];
