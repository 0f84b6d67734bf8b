import { ApiError } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import { edgeConfig } from '../config.js';
import type { AppEnv } from '../env.js';
import type { ApiOperation } from '../http/openapi/api-operation.js';
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
    status: 'success' as const,
    bucket: bucketName,
    key: file.key,
    file_size: file.size,
    storage_url: storageUrl(bucketName, file.key),
    content_type: file.contentType ?? 'application/octet-stream',
    sha256: file.sha256,
  } satisfies z.infer<typeof uploadSchema>);
});

export const uploadSchema = z
  .object({
    status: z.literal('success'),
    bucket: z.string(),
    key: z
      .string()
      .meta({ description: 'Generated (never the file name); the extension comes from the bytes' }),
    file_size: z.number().int(),
    storage_url: z.string().meta({ description: '`s3://bucket/key`' }),
    content_type: z.string(),
    sha256: z.string(),
  })
  .meta({ id: 'Upload' });

export const uploadApi: ApiOperation[] = [
  {
    method: 'post',
    path: '/v1/uploads',
    operationId: 'createUpload',
    tags: ['Uploads'],
    summary: 'Upload audio or video into R2 (streamed, never buffered)',
    description: 'Up to the Worker’s request limit; larger files go browser → R2 (presign or multipart).',
    body: {
      content: {
        'multipart/form-data': z.object({
          file: z.file(),
          bucket: z.string().optional().meta({ description: 'Must name the bound bucket if given' }),
        }),
      },
    },
    responses: { 200: { description: 'Stored', content: { 'application/json': uploadSchema } } },
    errors: [400, 401, 413, 415],
  },
];
