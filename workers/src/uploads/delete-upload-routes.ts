import { ApiError } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import { edgeConfig } from '../config.js';
import type { AppEnv } from '../env.js';
import type { ApiOperation } from '../http/openapi/api-operation.js';
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
  return c.json({
    object: 'upload',
    bucket: edgeConfig(c.env).bucketName,
    key,
    deleted: true,
  } satisfies z.infer<typeof deletedUploadSchema>);
});

export const deletedUploadSchema = z
  .object({ object: z.literal('upload'), bucket: z.string(), key: z.string(), deleted: z.literal(true) })
  .meta({ id: 'DeletedUpload' });

export const deleteUploadApi: ApiOperation[] = [
  {
    method: 'delete',
    path: '/v1/uploads/{key}',
    operationId: 'deleteUpload',
    tags: ['Uploads'],
    summary: 'Delete an uploaded or exported object from the caller’s root',
    params: { path: z.object({ key: z.string().meta({ description: 'The object key (may contain /)' }) }) },
    responses: { 200: { description: 'Deleted', content: { 'application/json': deletedUploadSchema } } },
    errors: [400, 401, 403, 404],
  },
];
