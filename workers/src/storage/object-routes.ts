import { ApiError } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import { edgeConfig, objectUrlSecret } from '../config.js';
import type { AppEnv } from '../env.js';
import { corsFromEnv } from '../http/middleware/cors-from-env.js';
import type { ApiOperation } from '../http/openapi/api-operation.js';
import { keyFromObjectPath, OBJECT_ROUTE_PREFIX, partOf, verifyObjectUrl } from './object-urls.js';
import { recordPart } from './part-ledger.js';

function unsatisfiable(size: number): ApiError {
  const error = new ApiError(416, `Range not satisfiable for an object of ${size} bytes`, {
    code: 'range_not_satisfiable',
  });
  error.headers = { 'content-range': `bytes */${size}` };
  return error;
}

/**
 * RFC 9110 single byte ranges, clamped to the object. A syntactically wrong header is ignored (the
 * whole object, as the RFC says); a range wholly outside the object or backwards answers 416.
 */
function parseRange(header: string | undefined, size: number): R2Range | undefined {
  const match = header && /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, start, end] = match;
  if (start === '' && end === '') return undefined;
  if (start === '') {
    const suffix = Math.min(Number(end), size);
    if (suffix === 0) throw unsatisfiable(size);
    return { suffix };
  }
  const offset = Number(start);
  const last = end === '' ? size - 1 : Math.min(Number(end), size - 1);
  if (offset >= size || last < offset) throw unsatisfiable(size);
  return { offset, length: last - offset + 1 };
}

/** Without a signing secret no URL can be valid: the routes do not exist rather than fail. */
function checkingSecret(env: AppEnv['Bindings']): string {
  const secret = objectUrlSecret(edgeConfig(env));
  if (!secret) throw new ApiError(404, 'Signed object URLs are disabled: OBJECT_URL_SECRET is not set');
  return secret;
}

/** Streams an R2 object to whoever holds a valid signed URL (the GPU service), with Range support. */
export const objectRoutes = new Hono<AppEnv>();

// Browsers PUT multipart parts here when R2's S3 API is not configured.
objectRoutes.use(`${OBJECT_ROUTE_PREFIX}*`, corsFromEnv());

/**
 * Stores a body at the signed key: how the GPU service writes results and browsers upload parts,
 * without R2 credentials. A part URL binds the upload id and part number into its signature.
 */
objectRoutes.put(`${OBJECT_ROUTE_PREFIX}*`, async (c) => {
  const url = new URL(c.req.url);
  const key = keyFromObjectPath(url.pathname);
  const secret = checkingSecret(c.env);
  const check = await verifyObjectUrl(secret, key, 'PUT', url.searchParams);
  if (!check.ok) throw new ApiError(check.status, check.reason);
  // R2 needs the length of a streamed body up front.
  if (!c.req.header('content-length')) throw new ApiError(411, 'Content-Length is required');
  const part = partOf(url.searchParams);
  if (part) {
    if (part.partNumber < 1 || part.partNumber > 10_000)
      throw new ApiError(400, 'partNumber must be 1–10000');
    const size = Number(c.req.header('content-length'));
    const upload = c.env.UPLOADS.resumeMultipartUpload(key, part.uploadId);
    const uploaded = await upload.uploadPart(part.partNumber, c.req.raw.body!).catch((error: Error) => {
      throw new ApiError(404, `Upload part failed: ${error.message}`, { code: 'upload_part_failed' });
    });
    // Only a part that arrived whole is recorded, so a resuming client re-sends interrupted ones.
    await recordPart(c.env.UPLOADS, part.uploadId, {
      PartNumber: part.partNumber,
      Size: size,
      ETag: uploaded.etag,
    });
    return c.body(null, 200, { etag: `"${uploaded.etag}"` });
  }
  const contentType = c.req.header('content-type');
  const object = await c.env.UPLOADS.put(
    key,
    c.req.raw.body,
    contentType ? { httpMetadata: { contentType } } : {},
  );
  return c.body(null, 200, { etag: object.httpEtag });
});

objectRoutes.on(['GET', 'HEAD'], `${OBJECT_ROUTE_PREFIX}*`, async (c) => {
  const url = new URL(c.req.url);
  const key = keyFromObjectPath(url.pathname);
  const secret = checkingSecret(c.env);
  const check = await verifyObjectUrl(secret, key, 'GET', url.searchParams);
  if (!check.ok) throw new ApiError(check.status, check.reason);

  if (c.req.method === 'HEAD') {
    const head = await c.env.UPLOADS.head(key);
    if (!head) throw new ApiError(404, 'File not found in R2', { code: 'object_not_found' });
    const headers = new Headers({
      'accept-ranges': 'bytes',
      etag: head.httpEtag,
      'content-length': String(head.size),
    });
    head.writeHttpMetadata(headers);
    return new Response(null, { status: 200, headers });
  }

  const rangeHeader = c.req.header('range');
  let range: R2Range | undefined;
  if (rangeHeader) {
    const head = await c.env.UPLOADS.head(key);
    if (!head) throw new ApiError(404, 'File not found in R2', { code: 'object_not_found' });
    range = parseRange(rangeHeader, head.size);
  }
  const object = await c.env.UPLOADS.get(key, range ? { range } : {});
  if (!object) throw new ApiError(404, 'File not found in R2', { code: 'object_not_found' });

  const headers = new Headers({ 'accept-ranges': 'bytes', etag: object.httpEtag });
  object.writeHttpMetadata(headers);
  let status = 200;
  let length = object.size;
  if (range && object.range) {
    const r = object.range as { offset?: number; length?: number; suffix?: number };
    const offset = r.suffix !== undefined ? object.size - r.suffix : (r.offset ?? 0);
    length = r.suffix ?? r.length ?? object.size - offset;
    headers.set('content-range', `bytes ${offset}-${offset + length - 1}/${object.size}`);
    status = 206;
  }
  headers.set('content-length', String(length));
  return new Response(object.body, { status, headers });
});

const objectParams = {
  path: z.object({ key: z.string().meta({ description: 'The object key (may contain /)' }) }),
  query: z.object({
    method: z.enum(['GET', 'PUT']).meta({ description: 'The method the URL was signed for' }),
    expires: z.number().int().meta({ description: 'Unix seconds' }),
    signature: z.string().meta({ description: 'HMAC-SHA256 (OBJECT_URL_SECRET), hex' }),
    uploadId: z.string().optional().meta({ description: 'Part URLs only' }),
    partNumber: z.number().int().optional().meta({ description: 'Part URLs only' }),
  }),
};

const internal =
  'Not called directly: the Worker mints these URLs for the GPU service and for browsers (when R2’s S3 API is not configured).';

export const objectApi: ApiOperation[] = [
  {
    method: 'get',
    path: '/internal/objects/{key}',
    operationId: 'readObject',
    tags: ['Signed object URLs'],
    summary: 'Read an object through a signed URL (one byte range supported)',
    description: internal,
    auth: 'signedUrl',
    params: {
      ...objectParams,
      header: z.object({ range: z.string().optional().meta({ description: '`bytes=a-b`' }) }),
    },
    responses: {
      200: { description: 'The object', content: { 'application/octet-stream': z.string() } },
      206: { description: 'The requested range', content: { 'application/octet-stream': z.string() } },
    },
    errors: [400, 401, 403, 404, 416],
  },
  {
    method: 'head',
    path: '/internal/objects/{key}',
    operationId: 'headObject',
    tags: ['Signed object URLs'],
    summary: 'An object’s size and type through a signed GET URL',
    description: internal,
    auth: 'signedUrl',
    params: objectParams,
    responses: { 200: { description: 'Headers only' } },
    errors: [401, 403, 404],
  },
  {
    method: 'put',
    path: '/internal/objects/{key}',
    operationId: 'writeObject',
    tags: ['Signed object URLs'],
    summary: 'Write an object (a result, or one part of a multipart upload) through a signed URL',
    description: internal,
    auth: 'signedUrl',
    params: objectParams,
    body: { content: { 'application/octet-stream': z.string() } },
    responses: {
      200: {
        description: 'Stored (ETag header)',
        headers: { etag: { description: 'The part’s or object’s ETag' } },
      },
    },
    errors: [400, 401, 403, 404, 411],
  },
];
