import { ApiError } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { edgeConfig } from '../config.js';
import type { AppEnv } from '../env.js';
import { assertTenantKey } from '../storage/tenant-keys.js';

/**
 * `DELETE /v1/uploads/{key}`: removes an uploaded (or exported) object from the caller's root, so
 * audio need not outlive its transcript. Registered after the multipart routes, whose
 * `DELETE /v1/uploads/s3/multipart/{uploadId}` (an abort) is matched first.
 */
export const deleteUploadRoutes = new Hono<AppEnv>().delete('/v1/uploads/*', async (c) => {
  const raw = new URL(c.req.url).pathname.slice('/v1/uploads/'.length);
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw new ApiError(400, "Invalid 'key': malformed percent-escape", { param: 'key', code: 'invalid_key' });
  }
  const key = assertTenantKey(c.get('tenant'), decoded, 'key');
  const head = await c.env.UPLOADS.head(key);
  if (!head) throw new ApiError(404, 'File not found in R2', { param: 'key', code: 'object_not_found' });
  await c.env.UPLOADS.delete(key);
  return c.json({ object: 'upload', bucket: edgeConfig(c.env).bucketName, key, deleted: true });
});
