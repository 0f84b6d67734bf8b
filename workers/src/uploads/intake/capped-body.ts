import { ApiError } from '@whisper-edge/shared';

/**
 * A small (non-multipart) body read whole, refused with 413 the moment it passes `limit` bytes, so a
 * chunked body without Content-Length is capped like one with it.
 */
export async function readCappedBody(request: Request, limit: number, message: string): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit) throw new ApiError(413, message, { code: 'body_too_large' });
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new ApiError(413, message, { code: 'body_too_large' });
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
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
