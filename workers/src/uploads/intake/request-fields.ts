import { ApiError } from '@whisper-edge/shared';
import { readCappedBody } from './capped-body.js';
import { CLIP_FIELDS, FormFields } from './form-fields.js';
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
  const isForm = type.startsWith('application/x-www-form-urlencoded');
  if (!isForm && !type.startsWith('application/json')) {
    throw new ApiError(
      400,
      'Unsupported Content-Type: send multipart/form-data, application/x-www-form-urlencoded or application/json',
      { code: 'invalid_content_type' },
    );
  }
  // Decoded by hand: workerd warns that .text() on a urlencoded body "will probably be corrupted".
  const text = new TextDecoder().decode(
    await readCappedBody(
      request,
      MAX_SMALL_BODY,
      'Request body too large: upload audio as multipart/form-data',
    ),
  );
  const collected = new FormFields();
  if (isForm) {
    for (const [name, value] of new URLSearchParams(text)) collected.add(name, value);
    return { fields: collected.fields, file: undefined, clips: collected.clips };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'The JSON body must be an object', { code: 'invalid_json' });
  }
  for (const [name, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    // A JSON list of clips is a list of fields (their data URLs hold commas).
    if (CLIP_FIELDS.has(name) && Array.isArray(value))
      for (const clip of value) collected.add(name, stringify(clip));
    else collected.add(name, stringify(value));
  }
  return { fields: collected.fields, file: undefined, clips: collected.clips };
}
