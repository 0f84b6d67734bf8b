import { ApiError, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyRequest } from '@whisper-edge/shared';
import type { MiddlewareHandler } from 'hono';

export interface VerifySignatureOptions {
  secret: string;
  maxSkewSeconds?: number;
}

/** Refuses any call the edge did not sign with the shared secret within the allowed clock skew. */
export function verifySignature(options: VerifySignatureOptions): MiddlewareHandler {
  return async function verifySignatureMiddleware(c, next) {
    const url = new URL(c.req.url);
    // Reading the body here buffers it; /internal bodies are small JSON, never audio.
    const body = new Uint8Array(await c.req.arrayBuffer());
    const verdict = await verifyRequest(
      options.secret,
      { method: c.req.method, path: url.pathname + url.search, body },
      { timestamp: c.req.header(TIMESTAMP_HEADER), signature: c.req.header(SIGNATURE_HEADER) },
      options.maxSkewSeconds ? { maxSkewSeconds: options.maxSkewSeconds } : {},
    );
    if (!verdict.ok) throw new ApiError(401, verdict.reason, { code: 'invalid_signature' });
    await next();
  };
}
