import { ApiError, formatResponse, type TranscriptionResult } from '@whisper-edge/shared';
import { type Context, Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { parseOutputFormat } from '../transcription/transcription-params.js';
import { readJsonBody } from '../uploads/intake/capped-body.js';
import { exportJobResult } from './export-job-result.js';
import {
  loadResult,
  MAX_REVISION_BYTES,
  parseRevisionSelector,
  type RevisionSelector,
  revisionKey,
  selectRevision,
  summarize,
  validateRevision,
} from './job-revisions.js';
import { type JobState, publicJob } from './job-types.js';
import { jobNotFound, ownJob } from './own-job.js';
import { jobStub } from './run-job.js';

type OutputFormat = ReturnType<typeof parseOutputFormat>;

export const REVISION_HEADER = 'x-result-revision';

/** The selected revision's canonical result, or why there is none (410 deleted, 409 not finished). */
async function selectedResult(
  c: Context<AppEnv>,
  state: JobState,
  selector: RevisionSelector,
): Promise<{ result: TranscriptionResult; revision: number }> {
  const chosen = state.status === 'succeeded' ? selectRevision(state, selector) : undefined;
  const result = chosen && (await loadResult(c.env, chosen.key));
  if (chosen && result) return { result, revision: chosen.revision };
  if (state.result_deleted_at) {
    throw new ApiError(410, "The job's result was deleted", { code: 'result_deleted' });
  }
  throw new ApiError(409, `The job has no result (status: ${state.status})`, { code: 'job_not_finished' });
}

/** A result in an output format; what the stored result never held is refused with how to get it. */
export function renderResult(result: TranscriptionResult, format: OutputFormat) {
  if (format.timestampGranularities?.includes('word') && !result.words) {
    throw new ApiError(
      400,
      'This job ran without word timestamps: submit it again with timestamp_granularities[]=word',
      { param: 'timestamp_granularities', code: 'words_not_available' },
    );
  }
  if (format.responseFormat === 'diarized_json' && !result.segments.some((s) => s.speaker)) {
    throw new ApiError(
      400,
      'This job ran without diarization: submit it again with enable_diarization=true',
      { param: 'response_format', code: 'speakers_not_available' },
    );
  }
  return formatResponse(result, format.responseFormat, {
    timestampGranularities: format.timestampGranularities,
    captions: format.captions,
  });
}

/** The job's own format (and caption shaping) unless the query names others. */
function outputFormatOf(state: JobState, query: URLSearchParams): OutputFormat {
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
  return parseOutputFormat(
    {
      ...inherited,
      ...Object.fromEntries(captionFields.flatMap((k) => (query.has(k) ? [[k, query.get(k)!]] : []))),
      response_format: format,
      ...(granularities.length > 0 ? { timestamp_granularities: granularities.join(',') } : {}),
    },
    state.spec.responseFormat,
  );
}

/** GET /v1/jobs/{id}'s `result`: the latest revision in the job's own format, when it has one. */
export async function latestResultInJobFormat(c: Context<AppEnv>, state: JobState): Promise<unknown> {
  const chosen = state.status === 'succeeded' ? selectRevision(state, 'latest') : undefined;
  const result = chosen && (await loadResult(c.env, chosen.key));
  if (!result) return undefined;
  const formatted = renderResult(result, parseOutputFormat(state.spec.fields, state.spec.responseFormat));
  return formatted.contentType.startsWith('application/json') ? JSON.parse(formatted.body) : formatted.body;
}

function revisionDocument(state: JobState, revision: number) {
  const info = state.revisions?.find((r) => r.revision === revision);
  return {
    object: 'transcription.revision' as const,
    job_id: state.id,
    revision,
    original: revision === 0,
    created_at: Math.floor((info?.created_at ?? state.completed_at ?? state.created_at) / 1000),
    ...(info ? { bytes: info.bytes } : {}),
  };
}

function baseRevision(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const selector = parseRevisionSelector(value);
  if (selector === 'latest') {
    throw new ApiError(400, "Invalid 'base_revision': expected 'original' or a revision number", {
      param: 'base_revision',
      code: 'invalid_value',
    });
  }
  return selector === 'original' ? 0 : selector;
}

const conflict = (latest: number) =>
  new ApiError(
    409,
    `The result changed meanwhile: revision ${latest} is the latest. Load it and apply the edit again`,
    { param: 'base_revision', code: 'revision_conflict' },
  );

export const jobResultRoutes = new Hono<AppEnv>()
  // Any response_format (and timestamp_granularities[]) from the stored canonical result, without a rerun;
  // the latest revision unless `revision` picks another.
  .get('/v1/jobs/:id/result', async (c) => {
    const state = await ownJob(c);
    const query = new URL(c.req.url).searchParams;
    const output = outputFormatOf(state, query);
    const selector = parseRevisionSelector(query.get('revision') ?? undefined);
    const { result, revision } = await selectedResult(c, state, selector);
    const formatted = renderResult(result, output);
    return c.body(formatted.body, 200, {
      'content-type': formatted.contentType,
      [REVISION_HEADER]: String(revision),
    });
  })
  .get('/v1/jobs/:id/result/revisions', async (c) => {
    const state = await ownJob(c);
    await selectedResult(c, state, 'original');
    const numbers = [0, ...(state.revisions ?? []).map((r) => r.revision)];
    return c.json({
      object: 'list',
      data: numbers.map((n) => revisionDocument(state, n)).reverse(),
      latest: numbers.at(-1) ?? 0,
    });
  })
  // The canonical result of one revision, as an editor loads it (and sends it back edited).
  .get('/v1/jobs/:id/result/revisions/:revision', async (c) => {
    const state = await ownJob(c);
    const selector = parseRevisionSelector(c.req.param('revision'));
    const { result, revision } = await selectedResult(c, state, selector);
    return c.json(result, 200, { [REVISION_HEADER]: String(revision) });
  })
  .post('/v1/jobs/:id/result/revisions', async (c) => {
    const state = await ownJob(c);
    const base = baseRevision(c.req.query('base_revision'));
    const { result: original } = await selectedResult(c, state, 'original');
    const body = await readJsonBody(c.req.raw, MAX_REVISION_BYTES);
    const edited = validateRevision(body, original);
    const job = jobStub(c.env, state.id);
    const reserved = await job.reserveRevision(base);
    if (!reserved) throw jobNotFound();
    if ('conflict' in reserved) throw conflict(reserved.conflict);
    const key = revisionKey(state, reserved.revision);
    const bytes = JSON.stringify(edited);
    await c.env.UPLOADS.put(key, bytes, { httpMetadata: { contentType: 'application/json' } });
    const info = { revision: reserved.revision, created_at: Date.now(), bytes: bytes.length };
    const committed = await job.commitRevision(info, summarize(edited), base);
    if (!committed || 'conflict' in committed) {
      await c.env.UPLOADS.delete(key);
      if (!committed) throw jobNotFound();
      throw conflict(committed.conflict);
    }
    if (committed.dropped.length > 0) {
      await c.env.UPLOADS.delete(committed.dropped.map((n) => revisionKey(state, n)));
    }
    // The job's stored copy follows its latest text too: every export says the same thing.
    const exported = state.spec.storageUrl
      ? await exportJobResult(c.env, state.spec, state.tenant, edited)
      : undefined;
    return c.json(
      {
        ...revisionDocument(committed.state, info.revision),
        job: publicJob(committed.state),
        ...(exported?.ok === false ? { export_error: exported.error } : {}),
      },
      201,
      { [REVISION_HEADER]: String(info.revision) },
    );
  });
