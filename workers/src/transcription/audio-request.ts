import { ApiError } from '@whisper-edge/shared';
import type { Context } from 'hono';
import type { AppEnv, Tenant } from '../env.js';
import { tenantRoot } from '../storage/tenant-keys.js';
import type { StoredFile } from '../uploads/intake/receive-form.js';
import { readRequestFields } from '../uploads/intake/request-fields.js';

export interface AudioRequest {
  secret: string;
  tenant: Tenant;
  fields: Record<string, string>;
  file: StoredFile | undefined;
  /** Origin the GPU service reaches this Worker at (PUBLIC_URL, else the request's). */
  origin: string;
}

/** The common front of every audio endpoint: configuration check, fields, the upload streamed to R2. */
export async function receiveAudioRequest(c: Context<AppEnv>): Promise<AudioRequest> {
  const secret = c.env.GPU_SHARED_SECRET;
  if (!secret) {
    throw new ApiError(500, 'GPU_SHARED_SECRET is not configured on the edge', { type: 'server_error' });
  }
  const tenant = c.get('tenant');
  const { fields, file } = await readRequestFields(c.req.raw, c.env.UPLOADS, {
    keyRoot: tenantRoot(tenant),
    // ffmpeg is the judge here: it reads formats no signature list knows, and says why it could not.
    requireMedia: false,
  });
  return { secret, tenant, fields, file, origin: c.env.PUBLIC_URL ?? new URL(c.req.url).origin };
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
