import { hmacHex, timingSafeEqualHex } from '@whisper-edge/shared';

/**
 * The Worker's own signed object route: a URL the GPU service can stream an R2 object from without
 * holding any storage credential. Works everywhere, including local dev without R2 S3 credentials.
 */
export const OBJECT_ROUTE_PREFIX = '/internal/objects/';

export type ObjectMethod = 'GET' | 'PUT';

function message(method: ObjectMethod, key: string, expires: number): string {
  // The leading label separates these signatures from the edge → GPU request signatures.
  return ['object-url', method, key, String(expires)].join('\n');
}

export async function signObjectUrl(
  origin: string,
  secret: string,
  key: string,
  options: { method?: ObjectMethod; ttlSeconds: number; now?: number },
): Promise<string> {
  const method = options.method ?? 'GET';
  const expires = Math.floor((options.now ?? Date.now()) / 1000) + options.ttlSeconds;
  const url = new URL(OBJECT_ROUTE_PREFIX + key.split('/').map(encodeURIComponent).join('/'), origin);
  url.searchParams.set('method', method);
  url.searchParams.set('expires', String(expires));
  url.searchParams.set('signature', await hmacHex(secret, message(method, key, expires)));
  return url.toString();
}

export type ObjectUrlCheck = { ok: true } | { ok: false; status: 401 | 403; reason: string };

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
  const expected = await hmacHex(secret, message(method, key, expires));
  return timingSafeEqualHex(expected, signature)
    ? { ok: true }
    : { ok: false, status: 403, reason: 'Object URL signature does not match' };
}
