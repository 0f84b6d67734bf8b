import { ApiError, hmacHex, timingSafeEqualHex } from '@whisper-edge/shared';

/**
 * The Worker's own signed object route: a URL the GPU service (or a browser uploading a part) can use
 * on one R2 object without holding any storage credential. Works everywhere, including local dev
 * without R2 S3 credentials.
 */
export const OBJECT_ROUTE_PREFIX = '/internal/objects/';

export type ObjectMethod = 'GET' | 'PUT';

/** Multipart part uploads also bind the upload id and part number into the signature. */
export interface PartBinding {
  uploadId: string;
  partNumber: number;
}

function message(method: ObjectMethod, key: string, expires: number, part: PartBinding | undefined): string {
  // The leading label separates these signatures from the edge → GPU request signatures. A JSON array
  // is unambiguous whatever a key or upload id holds (a newline-joined list let one field forge another).
  const fields: (string | number)[] = ['object-url/v2', method, key, expires];
  if (part) fields.push(part.uploadId, part.partNumber);
  return JSON.stringify(fields);
}

/** The object key of a signed-route path; a malformed percent-escape is the caller's 400. */
export function keyFromObjectPath(pathname: string): string {
  try {
    return decodeURIComponent(pathname.slice(OBJECT_ROUTE_PREFIX.length));
  } catch {
    throw new ApiError(400, 'The object path has a malformed percent-escape', { code: 'invalid_object_key' });
  }
}

export async function signObjectUrl(
  origin: string,
  secret: string,
  key: string,
  options: { method?: ObjectMethod; ttlSeconds: number; now?: number; part?: PartBinding },
): Promise<string> {
  const method = options.method ?? 'GET';
  const expires = Math.floor((options.now ?? Date.now()) / 1000) + options.ttlSeconds;
  const url = new URL(OBJECT_ROUTE_PREFIX + key.split('/').map(encodeURIComponent).join('/'), origin);
  url.searchParams.set('method', method);
  if (options.part) {
    url.searchParams.set('uploadId', options.part.uploadId);
    url.searchParams.set('partNumber', String(options.part.partNumber));
  }
  url.searchParams.set('expires', String(expires));
  url.searchParams.set('signature', await hmacHex(secret, message(method, key, expires, options.part)));
  return url.toString();
}

export type ObjectUrlCheck = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** The part a signed URL is for, when it is a multipart part URL. */
export function partOf(params: URLSearchParams): PartBinding | undefined {
  const uploadId = params.get('uploadId');
  const partNumber = Number(params.get('partNumber'));
  if (!uploadId || !Number.isInteger(partNumber)) return undefined;
  return { uploadId, partNumber };
}

export async function verifyObjectUrl(
  secret: string,
  key: string,
  method: ObjectMethod,
  params: URLSearchParams,
  now: number = Date.now(),
): Promise<ObjectUrlCheck> {
  const signature = params.get('signature');
  const expires = Number(params.get('expires'));
  if (!signature || !Number.isInteger(expires) || params.get('method') !== method) {
    return { ok: false, status: 401, reason: 'Missing or malformed object URL signature' };
  }
  if (expires < Math.floor(now / 1000)) return { ok: false, status: 403, reason: 'Object URL has expired' };
  const expected = await hmacHex(secret, message(method, key, expires, partOf(params)));
  return timingSafeEqualHex(expected, signature)
    ? { ok: true }
    : { ok: false, status: 403, reason: 'Object URL signature does not match' };
}
