import type { PublicJob } from './job-types.js';

/** A job's own SSE event: its public state after every change. */
export function jobEvent(job: PublicJob): unknown {
  return {
    type: `job.${job.status === 'queued' || job.status === 'running' ? 'progress' : job.status}`,
    job,
  };
}
