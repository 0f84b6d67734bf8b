import type { Context } from 'hono';
import { gpuSecret } from '../config.js';
import type { AppEnv } from '../env.js';
import { requestScope, type Scope } from '../http/request-scope.js';
import { storeRequestClips } from '../speakers/known-speaker-fields.js';
import { tenantRoot } from '../storage/tenant-keys.js';
import type { StoredFile } from '../uploads/intake/receive-form.js';
import { readRequestFields } from '../uploads/intake/request-fields.js';

export interface AudioRequest {
  scope: Scope;
  fields: Record<string, string>;
  file: StoredFile | undefined;
  /** What this request stored (its upload, its reference clips): removed if it is refused. */
  stored: string[];
}

/** The common front of every audio endpoint: configuration check, fields, the upload streamed to R2. */
export async function receiveAudioRequest(c: Context<AppEnv>): Promise<AudioRequest> {
  const scope = requestScope(c);
  // Before the body is read: a deployment that cannot reach its GPU must not store audio first.
  gpuSecret(scope.config);
  const { fields, file, clips } = await readRequestFields(c.req.raw, c.env.UPLOADS, {
    keyRoot: tenantRoot(scope.tenant),
    // ffmpeg is the judge here: it reads formats no signature list knows, and says why it could not.
    requireMedia: false,
  });
  const stored = file ? [file.key] : [];
  stored.push(
    ...(await withoutLeftovers(c.env.UPLOADS, stored, () => storeRequestClips(scope, fields, clips))),
  );
  return { scope, fields, file, stored };
}

/** Validation before any work: a request refused there must not leave what it stored behind. */
export async function withoutLeftovers<T>(
  bucket: R2Bucket,
  stored: readonly string[],
  prepare: () => Promise<T>,
): Promise<T> {
  try {
    return await prepare();
  } catch (error) {
    if (stored.length > 0) await bucket.delete([...stored]);
    throw error;
  }
}
