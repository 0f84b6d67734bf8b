import { ApiError, readCapped } from '@whisper-edge/shared';

/**
 * A small (non-multipart) body read whole, refused with 413 the moment it passes `limit` bytes, so a
 * chunked body without Content-Length is capped like one with it.
 */
export function readCappedBody(request: Request, limit: number, message: string): Promise<Uint8Array> {
  return readCapped(request, limit, () => new ApiError(413, message, { code: 'body_too_large' }));
}

/** Largest JSON body of the upload routes: a completion listing all 10,000 parts fits with room. */
export const MAX_JSON_BODY = 1024 * 1024;

/** A JSON body under the cap, or undefined when it does not parse (the route's schema says why). */
export async function readJsonBody(request: Request, limit = MAX_JSON_BODY): Promise<unknown> {
  const bytes = await readCappedBody(
    request,
    limit,
    `Request body too large (more than ${limit / 1024} KiB)`,
  );
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}
