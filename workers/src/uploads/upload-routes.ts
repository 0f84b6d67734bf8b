import { ApiError } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { edgeConfig } from '../config.js';
import type { AppEnv } from '../env.js';
import { storageUrl } from '../storage/storage-url.js';
import { tenantRoot } from '../storage/tenant-keys.js';
import { receiveForm } from './intake/receive-form.js';

/** `POST /v1/uploads`: the storage guide's direct upload, streamed into R2. */
export const uploadRoutes = new Hono<AppEnv>().post('/v1/uploads', async (c) => {
  const bucketName = edgeConfig(c.env).bucketName;
  const { fields, file } = await receiveForm(c.req.raw, c.env.UPLOADS, {
    keyRoot: tenantRoot(c.get('tenant')),
    requireMedia: true,
  });
  if (!file)
    throw new ApiError(400, "You must provide a 'file' to upload", { param: 'file', code: 'missing_file' });
  if (fields.bucket && fields.bucket !== bucketName) {
    await c.env.UPLOADS.delete(file.key);
    throw new ApiError(
      400,
      `Unknown bucket '${fields.bucket}': this deployment stores uploads in '${bucketName}'`,
      {
        param: 'bucket',
        code: 'unknown_bucket',
      },
    );
  }
  return c.json({
    status: 'success',
    bucket: bucketName,
    key: file.key,
    file_size: file.size,
    storage_url: storageUrl(bucketName, file.key),
    content_type: file.contentType ?? 'application/octet-stream',
    sha256: file.sha256,
  });
});
