import { ApiError, type TranscriptionResult, transcriptionResultSchema } from '@whisper-edge/shared';
import type { Bindings } from '../env.js';
import { tenantRoot } from '../storage/tenant-keys.js';
import type { JobState, ResultSummary, RevisionInfo } from './job-types.js';

/** A 4-hour job's result with words and their probabilities is a few MiB; this leaves room, not a heap. */
export const MAX_REVISION_BYTES = 16 * 1024 * 1024;
/** Edits kept per job besides the original: older ones are deleted as new ones are saved. */
export const KEPT_REVISIONS = 50;

/** Everything a job stores lives under this prefix (its result, its revisions). */
export function jobPrefix(state: Pick<JobState, 'id' | 'tenant'>): string {
  return `${tenantRoot({ id: state.tenant })}jobs/${state.id}/`;
}

export function revisionKey(state: Pick<JobState, 'id' | 'tenant'>, revision: number): string {
  return `${jobPrefix(state)}revisions/${revision}.json`;
}

export type RevisionSelector = 'latest' | 'original' | number;

/** `?revision=`: absent or `latest`, `original` (or 0), or a revision number. */
export function parseRevisionSelector(value: string | undefined): RevisionSelector {
  const v = value?.trim();
  if (!v || v === 'latest') return 'latest';
  if (v === 'original' || v === '0') return 'original';
  if (/^[1-9]\d{0,8}$/.test(v)) return Number(v);
  throw new ApiError(400, "Invalid 'revision': expected 'latest', 'original' or a revision number", {
    param: 'revision',
    code: 'invalid_value',
  });
}

/** The stored object a selector names; a number the job never had (or no longer keeps) is a 404. */
export function selectRevision(
  state: JobState,
  selector: RevisionSelector,
): { revision: number; key: string } | undefined {
  if (!state.result_key) return undefined;
  const revisions = state.revisions ?? [];
  const chosen =
    selector === 'latest'
      ? revisions.at(-1)?.revision
      : selector === 'original'
        ? undefined
        : revisions.find((r) => r.revision === selector)?.revision;
  if (typeof selector === 'number' && chosen === undefined) {
    throw new ApiError(404, `The job has no revision ${selector}`, {
      param: 'revision',
      code: 'revision_not_found',
    });
  }
  return chosen === undefined
    ? { revision: 0, key: state.result_key }
    : { revision: chosen, key: revisionKey(state, chosen) };
}

export async function loadResult(env: Bindings, key: string): Promise<TranscriptionResult | undefined> {
  const object = await env.UPLOADS.get(key);
  if (!object) return undefined;
  return transcriptionResultSchema.parse(await object.json());
}

export function summarize(result: TranscriptionResult): ResultSummary {
  const speakers: string[] = [];
  for (const segment of result.segments) {
    if (segment.speaker && !speakers.includes(segment.speaker)) speakers.push(segment.speaker);
  }
  return { duration: result.duration, speakers };
}

/** Whisper's own rule for the whole text: the segments' texts end to end, trimmed. */
export function joinedText(segments: TranscriptionResult['segments']): string {
  return segments
    .map((s) => s.text)
    .join('')
    .trim();
}

const invalid = (message: string, param: string) =>
  new ApiError(400, message, { param, code: 'invalid_result' });

/**
 * An edited result as a revision: the canonical schema, times that run forwards, and the facts of the
 * run (task, model, the audio's duration) unchanged, since an edit corrects the text, not the audio.
 * `text` is always derived from the segments, so every format says the same thing.
 */
export function validateRevision(body: unknown, original: TranscriptionResult): TranscriptionResult {
  if (body === undefined) throw invalid('Expected the edited result as JSON', 'body');
  const parsed = transcriptionResultSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.') || 'body';
    throw invalid(`Invalid result at '${where}': ${issue.message}`, where);
  }
  const result = parsed.data;
  for (const field of ['task', 'model', 'duration'] as const) {
    if (result[field] !== original[field]) {
      throw invalid(
        `'${field}' must stay as the job produced it (${JSON.stringify(original[field])})`,
        field,
      );
    }
  }
  const limit = result.duration + 0.5;
  const checkSpan = (span: { start: number; end: number }, where: string) => {
    if (span.start < 0 || span.end < span.start || span.end > limit) {
      throw invalid(
        `Invalid result at '${where}': needs 0 <= start <= end <= duration (got ${span.start}-${span.end})`,
        where,
      );
    }
  };
  for (const [i, s] of result.segments.entries()) checkSpan(s, `segments.${i}`);
  for (const [i, w] of (result.words ?? []).entries()) checkSpan(w, `words.${i}`);
  return { ...result, text: joinedText(result.segments) };
}

/** Revision numbers that fall out of the kept window once `added` joins `existing`. */
export function withRevision(
  existing: readonly RevisionInfo[],
  added: RevisionInfo,
): { kept: RevisionInfo[]; dropped: number[] } {
  const all = [...existing, added].sort((a, b) => a.revision - b.revision);
  const cut = Math.max(0, all.length - KEPT_REVISIONS);
  return { kept: all.slice(cut), dropped: all.slice(0, cut).map((r) => r.revision) };
}

/** Every key the job stored under its prefix (result, revisions), listed page by page. */
export async function storedJobKeys(
  env: Bindings,
  state: Pick<JobState, 'id' | 'tenant'>,
): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.UPLOADS.list({ prefix: jobPrefix(state), ...(cursor ? { cursor } : {}) });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys;
}
