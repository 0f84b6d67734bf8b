import { ApiError } from '@whisper-edge/shared';
import { type ReceivedForm, type ReceiveFormOptions, receiveForm } from './receive-form.js';

const MAX_SMALL_BODY = 256 * 1024;

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Transcription requests come as multipart (with or without a file), urlencoded (the storage guide's
 * `curl -d` examples) or JSON. All become string fields plus, for multipart, the stored file.
 */
export async function readRequestFields(
  request: Request,
  bucket: R2Bucket,
  options: ReceiveFormOptions,
): Promise<ReceivedForm> {
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return receiveForm(request, bucket, options);
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > MAX_SMALL_BODY) {
    throw new ApiError(413, 'Request body too large: upload audio as multipart/form-data', {
      code: 'body_too_large',
    });
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    // Decoded by hand: workerd warns that .text() on a urlencoded body "will probably be corrupted".
    const text = new TextDecoder().decode(await request.arrayBuffer());
    const fields: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(text)) {
      fields[name] = name in fields ? `${fields[name]},${value}` : value;
    }
    return { fields, file: undefined };
  }
  if (type.startsWith('application/json')) {
    const body: unknown = await request.json().catch(() => undefined);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ApiError(400, 'The JSON body must be an object', { code: 'invalid_json' });
    }
    const fields = Object.fromEntries(
      Object.entries(body).flatMap(([k, v]) => (v === null || v === undefined ? [] : [[k, stringify(v)]])),
    );
    return { fields, file: undefined };
  }
  throw new ApiError(
    400,
    'Unsupported Content-Type: send multipart/form-data, application/x-www-form-urlencoded or application/json',
    { code: 'invalid_content_type' },
  );
}
