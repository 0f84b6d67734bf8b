import type { Scope } from '../http/request-scope.js';
import { requestClipKeys } from '../speakers/known-speaker-fields.js';
import { boundExportKey } from './export-job-result.js';
import { storedJobKeys } from './job-revisions.js';
import type { JobState } from './job-types.js';
import { jobStub } from './run-job.js';
import { tenantJobs } from './tenant-jobs-object.js';

/**
 * Deletes a finished (or just cancelled) job whole: its result and revisions, its audio (an upload it
 * named by `storage_key` too: purging says the recording should go), its export when it went to the
 * bound bucket, its reference clips, its place in the list and its record. Answers how many objects went.
 */
export async function purgeJob(scope: Scope, state: JobState): Promise<number> {
  const { env } = scope;
  const keys = new Set([
    ...(await storedJobKeys(env, state)),
    ...(state.result_key ? [state.result_key] : []),
    ...(state.spec.fields.storage_key ? [state.spec.fields.storage_key] : []),
    ...requestClipKeys(state.spec.fields),
  ]);
  const exported = boundExportKey(state.spec, scope.config.bucketName);
  if (exported) keys.add(exported);
  let deleted = 0;
  const all = [...keys];
  for (let i = 0; i < all.length; i += 1000) {
    const batch = all.slice(i, i + 1000);
    const present = await Promise.all(batch.map((k) => env.UPLOADS.head(k)));
    deleted += present.filter(Boolean).length;
    await env.UPLOADS.delete(batch);
  }
  await tenantJobs(env, { id: state.tenant }).release(state.id);
  await jobStub(env, state.id).purge();
  return deleted;
}
