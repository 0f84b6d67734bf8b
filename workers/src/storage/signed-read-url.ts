import { requireObjectUrlSecret } from '../config.js';
import type { Scope } from '../http/request-scope.js';
import { signObjectUrl } from './object-urls.js';
import { presign, r2S3Endpoint } from './storage-clients.js';

/**
 * A URL the GPU service reads one of the tenant's objects through: R2's own pre-signed URL when its
 * S3 API is configured (the GPU service then reads R2 directly); otherwise the Worker's signed object
 * route, which streams it from the binding.
 */
export async function signedReadUrl(
  scope: Scope,
  key: string,
  ttlSeconds = scope.config.audioUrlTtlSeconds,
): Promise<string> {
  const { config } = scope;
  const r2 = r2S3Endpoint(config);
  return r2
    ? presign(r2, config.bucketName, key, { method: 'GET', expiresSeconds: ttlSeconds })
    : signObjectUrl(scope.origin, requireObjectUrlSecret(config), key, { ttlSeconds });
}
