import { requireObjectUrlSecret } from '../config.js';
import type { Scope } from '../http/request-scope.js';
import { type PartBinding, signObjectUrl } from './object-urls.js';
import { presign, r2S3Endpoint } from './storage-clients.js';

/** Browser upload URLs stay valid long enough for a slow part, and no longer. */
export const UPLOAD_URL_TTL_SECONDS = 3600;

/**
 * A URL a browser can PUT to: R2's S3 endpoint when its credentials are configured (the bytes never
 * touch the Worker), else the Worker's own signed route (bounded by the Worker's body limit per request).
 */
export async function uploadUrl(
  scope: Scope,
  key: string,
  part?: PartBinding,
): Promise<{ url: string; direct: boolean }> {
  const r2 = r2S3Endpoint(scope.config);
  if (r2) {
    const query = part ? { partNumber: String(part.partNumber), uploadId: part.uploadId } : undefined;
    const url = await presign(r2, scope.config.bucketName, key, {
      method: 'PUT',
      expiresSeconds: UPLOAD_URL_TTL_SECONDS,
      ...(query ? { query } : {}),
    });
    return { url, direct: true };
  }
  const url = await signObjectUrl(scope.origin, requireObjectUrlSecret(scope.config), key, {
    method: 'PUT',
    ttlSeconds: UPLOAD_URL_TTL_SECONDS,
    ...(part ? { part } : {}),
  });
  return { url, direct: false };
}
