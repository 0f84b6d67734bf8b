import {
  ApiError,
  DEFAULT_MAX_SKEW_SECONDS,
  readCapped,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyRequest,
} from '@whisper-edge/shared';
import { REQUEST_ID_HEADER } from '@whisper-edge/shared/logging';
import type { Context, MiddlewareHandler } from 'hono';

/** /internal bodies are small JSON (an audio URL and options), never audio. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface VerifySignatureOptions {
  secret: string;
  maxSkewSeconds?: number;
  /** Largest body read before the signature is checked; beyond it the call is refused with 413. */
  maxBodyBytes?: number;
}

const unauthorized = (reason: string) => new ApiError(401, reason, { code: 'invalid_signature' });
const tooLarge = (limit: number) =>
  new ApiError(413, `Request body exceeds ${limit} bytes`, { code: 'request_too_large' });

/**
 * The checks that need no body: both headers present, the signature shaped like an HMAC-SHA256 hex
 * digest, the timestamp an integer within the allowed skew. Run before a single body byte is read.
 */
function checkHeaders(c: Context, maxSkewSeconds: number): void {
  const timestamp = c.req.header(TIMESTAMP_HEADER);
  const signature = c.req.header(SIGNATURE_HEADER);
  if (!timestamp || !signature) throw unauthorized('missing request signature');
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) throw unauthorized('malformed request signature');
  if (!/^-?\d{1,15}$/.test(timestamp)) throw unauthorized('malformed signature timestamp');
  if (Math.abs(Math.floor(Date.now() / 1000) - Number(timestamp)) > maxSkewSeconds) {
    throw unauthorized('stale request signature');
  }
}

/**
 * Refuses any call the edge did not sign with the shared secret within the allowed clock skew. Header
 * checks come first (401 before any body is read), then the body is read under a hard cap (413), then
 * the HMAC is checked over exactly those bytes, which are handed on to the route (`c.req.json()`).
 */
export function verifySignature(options: VerifySignatureOptions): MiddlewareHandler {
  const maxSkewSeconds = options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return async function verifySignatureMiddleware(c, next) {
    checkHeaders(c, maxSkewSeconds);
    const body = await readCapped(c.req.raw, maxBodyBytes, () => tooLarge(maxBodyBytes));
    const url = new URL(c.req.url);
    const verdict = await verifyRequest(
      options.secret,
      {
        method: c.req.method,
        path: url.pathname + url.search,
        body,
        requestId: c.req.header(REQUEST_ID_HEADER),
      },
      { timestamp: c.req.header(TIMESTAMP_HEADER), signature: c.req.header(SIGNATURE_HEADER) },
      { maxSkewSeconds },
    );
    if (!verdict.ok) throw unauthorized(verdict.reason);
    // The stream is consumed; Hono's body cache (which holds promises, whatever its type says) serves
    // c.req.json()/text() from these bytes.
    (c.req.bodyCache as Record<string, Promise<unknown>>).arrayBuffer = Promise.resolve(body.buffer);
    await next();
  };
}
