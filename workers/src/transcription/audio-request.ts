import type { Context } from 'hono';
import { gpuSecret } from '../config.js';
import type { AppEnv } from '../env.js';
import { requestScope, type Scope } from '../http/request-scope.js';
import { tenantRoot } from '../storage/tenant-keys.js';
import type { StoredFile } from '../uploads/intake/receive-form.js';
import { readRequestFields } from '../uploads/intake/request-fields.js';

export interface AudioRequest {
  scope: Scope;
  fields: Record<string, string>;
  file: StoredFile | undefined;
}

/** The common front of every audio endpoint: configuration check, fields, the upload streamed to R2. */
export async function receiveAudioRequest(c: Context<AppEnv>): Promise<AudioRequest> {
  const scope = requestScope(c);
  // Before the body is read: a deployment that cannot reach its GPU must not store audio first.
  gpuSecret(scope.config);
  const { fields, file } = await readRequestFields(c.req.raw, c.env.UPLOADS, {
    keyRoot: tenantRoot(scope.tenant),
    // ffmpeg is the judge here: it reads formats no signature list knows, and says why it could not.
    requireMedia: false,
  });
  return { scope, fields, file };
}

/** Validation before any work: a request refused there must not leave its upload behind. */
export async function withoutLeftovers<T>(
  bucket: R2Bucket,
  file: StoredFile | undefined,
  prepare: () => Promise<T>,
): Promise<T> {
  try {
    return await prepare();
  } catch (error) {
    if (file) await bucket.delete(file.key);
    throw error;
  }
}
