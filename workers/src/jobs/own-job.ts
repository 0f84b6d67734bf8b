import { ApiError } from '@whisper-edge/shared';
import type { Context } from 'hono';
import type { AppEnv } from '../env.js';
import type { JobState } from './job-types.js';
import { jobStub } from './run-job.js';

export const jobNotFound = () => new ApiError(404, 'Job not found', { code: 'job_not_found', param: 'id' });

/** The caller's own job, or 404: another key's jobs do not exist as far as this caller can tell. */
export async function ownJob(c: Context<AppEnv>): Promise<JobState> {
  const id = c.req.param('id') ?? '';
  if (!/^job_[0-9a-f]{32}$/.test(id)) throw jobNotFound();
  const state = await jobStub(c.env, id).get();
  if (!state || state.tenant !== c.get('tenant').id) throw jobNotFound();
  return state;
}
