import { ApiError, formatResponse, transcriptionResultSchema } from '@whisper-edge/shared';
import { type Context, Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { parseOutputFormat } from '../transcription/transcription-params.js';
import { isTerminal, type JobState, publicJob } from './job-types.js';
import { jobStub } from './run-job.js';
import { tenantJobs } from './tenant-jobs-object.js';

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
    const limit = Number(c.req.query('limit') ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new ApiError(400, "Invalid 'limit': expected an integer from 1 to 100", {
        param: 'limit',
        code: 'invalid_value',
      });
    }
    const after = c.req.query('after') || undefined;
    const page = await tenantJobs(c.env, c.get('tenant')).list(limit, after);
    const states = await Promise.all(page.ids.map((id) => jobStub(c.env, id).get()));
    const data = states.flatMap((s) => (s ? [publicJob(s as JobState)] : []));
    return c.json({
      object: 'list',
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
