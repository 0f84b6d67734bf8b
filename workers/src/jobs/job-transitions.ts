import type { ErrorBody, TranscriptionResult } from '@whisper-edge/shared';
import { summarize, withRevision } from './job-revisions.js';
import { isTerminal, type JobState, type ResultSummary, type RevisionInfo } from './job-types.js';

/**
 * The job's state changes, each on a state the job object has already checked (it exists, and the
 * caller holds its lease where one is needed); the object stores the result and tells its watchers.
 */

/** A running attempt must show signs of life this often, or a redelivery may take the job over. */
export const LEASE_MS = 90_000;

/** The watchdog looks this long after a lease would lapse, so a slow heartbeat is not a death. */
export const WATCHDOG_GRACE_MS = 30_000;

export type BeginOutcome =
  | { action: 'run' | 'finish'; state: JobState }
  | { action: 'skip' | 'busy'; state: JobState | undefined };

/**
 * One delivery of the job's queue message claims it: it runs (or, with its result already stored,
 * only finishes); a finished job is skipped, one another delivery holds is busy.
 */
export function claim(state: JobState | undefined, leaseId: string, now: number, gpu?: string): BeginOutcome {
  if (!state || isTerminal(state.status)) return { action: 'skip', state };
  if (state.lease && state.lease.id !== leaseId && state.lease.until > now) return { action: 'busy', state };
  state.lease = { id: leaseId, until: now + LEASE_MS };
  if (state.result_key) return { action: 'finish', state };
  state.status = 'running';
  state.attempts += 1;
  state.started_at ??= now;
  if (gpu) state.gpu = gpu;
  return { action: 'run', state };
}

export function storeResult(state: JobState, key: string, result: TranscriptionResult): void {
  state.result_key = key;
  state.text = result.text;
  state.summary = summarize(result);
  state.progress = { processed_seconds: result.duration, total_seconds: result.duration };
}

export function succeed(state: JobState): void {
  state.status = 'succeeded';
  state.completed_at = Date.now();
  delete state.lease;
  delete state.last_error;
}

/** A failed attempt that will be retried: the job goes back to waiting. */
export function requeue(state: JobState, reason: string): void {
  state.status = 'queued';
  state.last_error = reason;
  delete state.lease;
}

/** Back to waiting for GPU capacity; the attempt does not count, since nothing ran. */
export function awaitCapacity(state: JobState, reason: string): number {
  requeue(state, reason);
  state.attempts = Math.max(0, state.attempts - 1);
  state.waits = (state.waits ?? 0) + 1;
  return state.waits;
}

export function end(state: JobState, status: 'failed' | 'cancelled', error?: ErrorBody['error']): void {
  state.status = status;
  if (error) state.error = error;
  state.completed_at = Date.now();
  delete state.lease;
}

const latestRevision = (state: JobState) => state.revisions?.at(-1)?.revision ?? 0;

/** A number for an edit about to be stored; `base` must still be the latest revision. */
export function reserveRevision(state: JobState, base?: number): { revision: number } | { conflict: number } {
  if (base !== undefined && base !== latestRevision(state)) return { conflict: latestRevision(state) };
  const revision = state.next_revision ?? 1;
  state.next_revision = revision + 1;
  return { revision };
}

/** The stored edit becomes the latest (unless `base` moved meanwhile); answers revisions to delete. */
export function commitRevision(
  state: JobState,
  info: RevisionInfo,
  summary: ResultSummary,
  base?: number,
): { dropped: number[] } | { conflict: number } {
  if (base !== undefined && base !== latestRevision(state)) return { conflict: latestRevision(state) };
  const { kept, dropped } = withRevision(state.revisions ?? [], info);
  state.revisions = kept;
  if (kept.at(-1)?.revision === info.revision) state.summary = summary;
  return { dropped };
}
