import type { JobState } from './job-types.js';

/** Attempts a job gets: the queue's first delivery and its max_retries (wrangler.toml). */
export const MAX_ATTEMPTS = 4;

/**
 * A running job whose lease lapsed: its consumer died without a word. Back to the queue, or failed
 * once its attempts are used up, so no job stays `running` forever. Updates `state` in place.
 */
export function recoverLapsed(state: JobState, now: number): 'requeue' | 'failed' {
  delete state.lease;
  if (state.attempts >= MAX_ATTEMPTS) {
    state.status = 'failed';
    state.completed_at = now;
    state.error = {
      message: `The job failed after ${state.attempts} attempts: ${state.last_error ?? 'its worker stopped without a word'}`,
      type: 'server_error',
      code: 'job_retries_exhausted',
      param: null,
    };
    return 'failed';
  }
  state.status = 'queued';
  state.last_error =
    'the attempt stopped without a word (its worker died); the job was put back on the queue';
  return 'requeue';
}
