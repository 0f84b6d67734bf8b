import { ApiError } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { edgeConfig } from '../config.js';
import type { AppEnv } from '../env.js';
import { requestScope } from '../http/request-scope.js';
import { clearLedger, listParts } from '../storage/part-ledger.js';
import { awsList, r2S3Endpoint } from '../storage/storage-clients.js';
import { storageUrl } from '../storage/storage-url.js';
import { assertTenantKey, tenantRoot } from '../storage/tenant-keys.js';
import { UPLOAD_URL_TTL_SECONDS, uploadUrl } from '../storage/upload-urls.js';
import { readJsonBody } from './intake/capped-body.js';
import { SNIFF_BYTES, sniffMedia } from './intake/media-sniff.js';
import {
  checkPartSizes,
  completeSchema,
  createSchema,
  invalid,
  MAX_PARTS,
  uploadIdParam,
} from './multipart-checks.js';
import { newUploadKey } from './upload-keys.js';

/**
 * Browser → R2 uploads that bypass the Worker's body limit: a pre-signed single PUT, and multipart
 * uploads in the shape Uppy's `@uppy/aws-s3` expects from Companion (`endpoint: <edge>/v1/uploads`).
 */
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
