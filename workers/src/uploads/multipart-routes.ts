import { ApiError } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import { edgeConfig } from '../config.js';
import type { AppEnv } from '../env.js';
import type { ApiOperation } from '../http/openapi/api-operation.js';
import { requestScope } from '../http/request-scope.js';
import { clearLedger, type LedgerPart, listParts } from '../storage/part-ledger.js';
import { awsList, r2S3Endpoint } from '../storage/storage-clients.js';
import { storageUrl } from '../storage/storage-url.js';
import { assertTenantKey, tenantRoot } from '../storage/tenant-keys.js';
import { UPLOAD_URL_TTL_SECONDS, uploadUrl } from '../storage/upload-urls.js';
import { readJsonBody } from './intake/capped-body.js';
import { SNIFF_BYTES, sniffMedia } from './intake/media-sniff.js';
import { newUploadKey } from './upload-keys.js';

/**
 * Browser → R2 uploads that bypass the Worker's body limit: a pre-signed single PUT, and multipart
 * uploads in the shape Uppy's `@uppy/aws-s3` expects from Companion (`endpoint: <edge>/v1/uploads`).
 */
const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;

const createSchema = z.object({
  filename: z.string().max(1024).optional(),
  type: z.string().max(255).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

const completeSchema = z.object({
  parts: z
    .array(z.object({ PartNumber: z.number().int().min(1).max(MAX_PARTS), ETag: z.string().min(1) }))
    .min(1)
    .max(MAX_PARTS),
});

function invalid(message: string, param?: string): ApiError {
  return new ApiError(400, message, { code: 'invalid_upload', ...(param ? { param } : {}) });
}

/** R2 accepts a multipart upload only if every part but the last has the same size, ≥ 5 MiB. */
export function checkPartSizes(parts: LedgerPart[]): void {
  const sorted = [...parts].sort((a, b) => a.PartNumber - b.PartNumber);
  const first = sorted[0];
  if (!first) return;
  for (const [index, part] of sorted.entries()) {
    if (part.PartNumber !== index + 1) throw invalid(`Part ${index + 1} is missing`, 'parts');
    const last = index === sorted.length - 1;
    if (!last && part.Size !== first.Size) {
      throw invalid(
        `All parts except the last must be the same size: part ${part.PartNumber} is ${part.Size} bytes, part 1 is ${first.Size}`,
        'parts',
      );
    }
    if (!last && part.Size < MIN_PART_SIZE) {
      throw invalid(
        `Part ${part.PartNumber} is ${part.Size} bytes; parts but the last must be at least 5 MiB`,
        'parts',
      );
    }
    if (last && part.Size > first.Size) {
      throw invalid(`The last part (${part.Size} bytes) is larger than the others (${first.Size})`, 'parts');
    }
  }
}

/** R2's and S3's multipart upload ids are URL-safe tokens; anything else never reaches storage. */
function uploadIdParam(value: string): string {
  if (!/^[A-Za-z0-9._~+/=-]{1,1024}$/.test(value)) {
    throw new ApiError(400, "Invalid 'uploadId'", { param: 'uploadId', code: 'invalid_upload_id' });
  }
  return value;
}

export const multipartUploadRoutes = new Hono<AppEnv>()
  // A single pre-signed PUT, for files the browser sends in one request.
  .post('/v1/uploads/presign', async (c) => {
    const body = createSchema.safeParse((await readJsonBody(c.req.raw)) ?? {});
    if (!body.success) throw invalid('Expected {"filename", "type"}');
    const key = newUploadKey(body.data.filename, new Date(), `${tenantRoot(c.get('tenant'))}uploads/`);
    const { url, direct } = await uploadUrl(requestScope(c), key);
    return c.json({
      method: 'PUT',
      url,
      key,
      bucket: edgeConfig(c.env).bucketName,
      storage_url: storageUrl(edgeConfig(c.env).bucketName, key),
      headers: body.data.type ? { 'content-type': body.data.type } : {},
      expires_at: new Date(Date.now() + UPLOAD_URL_TTL_SECONDS * 1000).toISOString(),
      direct_to_r2: direct,
    });
  })
  // Uppy's getUploadParameters.
  .get('/v1/uploads/s3/params', async (c) => {
    const filename = c.req.query('filename');
    const type = c.req.query('type');
    const key = newUploadKey(filename, new Date(), `${tenantRoot(c.get('tenant'))}uploads/`);
    const { url } = await uploadUrl(requestScope(c), key);
    return c.json({ method: 'PUT', url, fields: {}, headers: type ? { 'content-type': type } : {}, key });
  })
  .post('/v1/uploads/s3/multipart', async (c) => {
    const body = createSchema.safeParse((await readJsonBody(c.req.raw)) ?? {});
    if (!body.success) throw invalid('Expected {"filename", "type", "metadata"}');
    const key = newUploadKey(body.data.filename, new Date(), `${tenantRoot(c.get('tenant'))}uploads/`);
    const upload = await c.env.UPLOADS.createMultipartUpload(key, {
      ...(body.data.type ? { httpMetadata: { contentType: body.data.type } } : {}),
    });
    return c.json({ key, uploadId: upload.uploadId });
  })
  .get('/v1/uploads/s3/multipart/:uploadId/batch', async (c) => {
    const key = assertTenantKey(c.get('tenant'), c.req.query('key') ?? '', 'key');
    const numbers = (c.req.query('partNumbers') ?? '').split(',').map(Number);
    if (numbers.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_PARTS)) throw invalid('Bad partNumbers');
    const presignedUrls: Record<number, string> = {};
    for (const partNumber of numbers) {
      presignedUrls[partNumber] = (
        await uploadUrl(requestScope(c), key, {
          uploadId: uploadIdParam(c.req.param('uploadId')),
          partNumber,
        })
      ).url;
    }
    return c.json({ presignedUrls });
  })
  .get('/v1/uploads/s3/multipart/:uploadId/:partNumber', async (c) => {
    const key = assertTenantKey(c.get('tenant'), c.req.query('key') ?? '', 'key');
    const partNumber = Number(c.req.param('partNumber'));
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
      throw invalid('partNumber must be an integer from 1 to 10000', 'partNumber');
    }
    const { url } = await uploadUrl(requestScope(c), key, {
      uploadId: uploadIdParam(c.req.param('uploadId')),
      partNumber,
    });
    return c.json({ url, expires: UPLOAD_URL_TTL_SECONDS });
  })
  // Uppy's listParts: what a resuming client can skip.
  .get('/v1/uploads/s3/multipart/:uploadId', async (c) => {
    assertTenantKey(c.get('tenant'), c.req.query('key') ?? '', 'key');
    const uploadId = uploadIdParam(c.req.param('uploadId'));
    const r2 = r2S3Endpoint(edgeConfig(c.env));
    // Parts sent straight to R2 are known to R2 only; where its ListParts answers (production), use it.
    const fromR2 = r2
      ? await awsList(r2, edgeConfig(c.env).bucketName, c.req.query('key')!, uploadId)
      : undefined;
    return c.json(fromR2 ?? (await listParts(c.env.UPLOADS, uploadId)));
  })
  .post('/v1/uploads/s3/multipart/:uploadId/complete', async (c) => {
    const key = assertTenantKey(c.get('tenant'), c.req.query('key') ?? '', 'key');
    const uploadId = uploadIdParam(c.req.param('uploadId'));
    const body = completeSchema.safeParse(await readJsonBody(c.req.raw));
    if (!body.success) throw invalid('Expected {"parts": [{"PartNumber", "ETag"}]}', 'parts');
    const recorded = await listParts(c.env.UPLOADS, uploadId);
    if (recorded.length > 0) {
      const wanted = new Set(body.data.parts.map((p) => p.PartNumber));
      checkPartSizes(recorded.filter((p) => wanted.has(p.PartNumber)));
    }
    const upload = c.env.UPLOADS.resumeMultipartUpload(key, uploadId);
    const parts = body.data.parts
      .map((p) => ({ partNumber: p.PartNumber, etag: p.ETag.replace(/^"|"$/g, '') }))
      .sort((a, b) => a.partNumber - b.partNumber);
    const object = await upload.complete(parts).catch((error: Error) => {
      throw invalid(`Could not complete the upload: ${error.message}`, 'parts');
    });
    await clearLedger(c.env.UPLOADS, uploadId);
    // Parts bypassed the Worker, so the bytes are checked now that they are whole.
    const head = await c.env.UPLOADS.get(key, { range: { offset: 0, length: SNIFF_BYTES } });
    const sniffed = await sniffMedia(new Uint8Array((await head?.arrayBuffer()) ?? new ArrayBuffer(0)));
    if (!sniffed.ok) {
      await c.env.UPLOADS.delete(key);
      throw new ApiError(415, 'Unsupported file type: upload audio or video', {
        code: 'unsupported_media_type',
      });
    }
    return c.json({
      location: storageUrl(edgeConfig(c.env).bucketName, key),
      key,
      bucket: edgeConfig(c.env).bucketName,
      storage_url: storageUrl(edgeConfig(c.env).bucketName, key),
      file_size: object.size,
    });
  })
  .delete('/v1/uploads/s3/multipart/:uploadId', async (c) => {
    const key = assertTenantKey(c.get('tenant'), c.req.query('key') ?? '', 'key');
    const uploadId = uploadIdParam(c.req.param('uploadId'));
    await c.env.UPLOADS.resumeMultipartUpload(key, uploadId)
      .abort()
      .catch(() => undefined);
    await clearLedger(c.env.UPLOADS, uploadId);
    return c.json({});
  });

const keyQuery = z.object({
  key: z.string().meta({ description: 'The upload’s key, as returned when it was created' }),
});
const uploadIdPath = z.object({ uploadId: z.string().max(1024) });
const signedPutSchema = z
  .object({
    method: z.literal('PUT'),
    url: z.string().meta({ description: 'Pre-signed PUT: R2’s S3 API, or the Worker’s signed object route' }),
    key: z.string(),
    bucket: z.string(),
    storage_url: z.string(),
    headers: z.record(z.string(), z.string()),
    expires_at: z.string().meta({ description: 'ISO 8601' }),
    direct_to_r2: z.boolean(),
  })
  .meta({ id: 'SignedPut' });
const partSchema = z.object({ PartNumber: z.number().int(), Size: z.number().int(), ETag: z.string() });

export const multipartUploadApi: ApiOperation[] = [
  {
    method: 'post',
    path: '/v1/uploads/presign',
    operationId: 'presignUpload',
    tags: ['Uploads'],
    summary: 'A pre-signed PUT for one file, straight to R2',
    body: { required: false, content: { 'application/json': createSchema } },
    responses: {
      200: { description: 'Where to PUT the file', content: { 'application/json': signedPutSchema } },
    },
    errors: [400, 401, 413],
  },
  {
    method: 'get',
    path: '/v1/uploads/s3/params',
    operationId: 'uploadParameters',
    tags: ['Uploads'],
    summary: 'Uppy’s getUploadParameters: a pre-signed single PUT',
    params: { query: z.object({ filename: z.string().optional(), type: z.string().optional() }) },
    responses: {
      200: {
        description: 'Where to PUT the file',
        content: {
          'application/json': z.object({
            method: z.literal('PUT'),
            url: z.string(),
            fields: z.object({}),
            headers: z.record(z.string(), z.string()),
            key: z.string(),
          }),
        },
      },
    },
    errors: [401],
  },
  {
    method: 'post',
    path: '/v1/uploads/s3/multipart',
    operationId: 'createMultipartUpload',
    tags: ['Uploads'],
    summary: 'Start a multipart upload (Uppy’s createMultipartUpload)',
    body: { required: false, content: { 'application/json': createSchema } },
    responses: {
      200: {
        description: 'The upload',
        content: { 'application/json': z.object({ key: z.string(), uploadId: z.string() }) },
      },
    },
    errors: [400, 401, 413],
  },
  {
    method: 'get',
    path: '/v1/uploads/s3/multipart/{uploadId}/batch',
    operationId: 'signParts',
    tags: ['Uploads'],
    summary: 'Pre-signed PUT URLs for several parts',
    params: {
      path: uploadIdPath,
      query: keyQuery.extend({ partNumbers: z.string().meta({ description: 'Comma-separated, 1–10000' }) }),
    },
    responses: {
      200: {
        description: 'One URL per part number',
        content: { 'application/json': z.object({ presignedUrls: z.record(z.string(), z.string()) }) },
      },
    },
    errors: [400, 401, 403],
  },
  {
    method: 'get',
    path: '/v1/uploads/s3/multipart/{uploadId}/{partNumber}',
    operationId: 'signPart',
    tags: ['Uploads'],
    summary: 'A pre-signed PUT URL for one part',
    params: {
      path: uploadIdPath.extend({ partNumber: z.number().int().min(1).max(MAX_PARTS) }),
      query: keyQuery,
    },
    responses: {
      200: {
        description: 'Where to PUT the part',
        content: { 'application/json': z.object({ url: z.string(), expires: z.number().int() }) },
      },
    },
    errors: [400, 401, 403],
  },
  {
    method: 'get',
    path: '/v1/uploads/s3/multipart/{uploadId}',
    operationId: 'listParts',
    tags: ['Uploads'],
    summary: 'The parts already stored (to resume)',
    params: { path: uploadIdPath, query: keyQuery },
    responses: { 200: { description: 'Stored parts', content: { 'application/json': z.array(partSchema) } } },
    errors: [400, 401, 403],
  },
  {
    method: 'post',
    path: '/v1/uploads/s3/multipart/{uploadId}/complete',
    operationId: 'completeMultipartUpload',
    tags: ['Uploads'],
    summary: 'Complete a multipart upload (its bytes are checked to be audio or video)',
    params: { path: uploadIdPath, query: keyQuery },
    body: { content: { 'application/json': completeSchema } },
    responses: {
      200: {
        description: 'The stored object',
        content: {
          'application/json': z.object({
            location: z.string(),
            key: z.string(),
            bucket: z.string(),
            storage_url: z.string(),
            file_size: z.number().int(),
          }),
        },
      },
    },
    errors: [400, 401, 403, 413, 415],
  },
  {
    method: 'delete',
    path: '/v1/uploads/s3/multipart/{uploadId}',
    operationId: 'abortMultipartUpload',
    tags: ['Uploads'],
    summary: 'Abort a multipart upload',
    params: { path: uploadIdPath, query: keyQuery },
    responses: { 200: { description: 'Aborted', content: { 'application/json': z.object({}) } } },
    errors: [400, 401, 403],
  },
];
