import { ApiError } from '@whisper-edge/shared';
import { newUploadKey } from '../upload-keys.js';
import { CLIP_FIELDS, FormFields, MAX_CLIP_CHARS } from './form-fields.js';
import { SNIFF_BYTES, sniffMedia } from './media-sniff.js';
import { boundaryOf, parseMultipart, readText } from './multipart-stream.js';
import { peek } from './peek.js';
import { type StreamUploadResult, uploadStream } from './r2-stream-upload.js';

export interface StoredFile extends StreamUploadResult {
  filename: string | undefined;
  contentType: string | undefined;
}

export interface ReceivedForm {
  fields: Record<string, string>;
  file: StoredFile | undefined;
  /** `known_speaker_references[]` values (data URLs), unparsed. */
  clips: string[];
}

export interface ReceiveFormOptions {
  /** Prefix of the generated key (the tenant's root). */
  keyRoot: string;
  /** Refuse files whose bytes are not audio or video (415) before storing anything. */
  requireMedia: boolean;
}

/**
 * Reads a multipart form, streaming its `file` part straight into R2 as it arrives: form fields may
 * come before or after the file (SDKs differ), so fields are collected and the file is never buffered.
 */
export async function receiveForm(
  request: Request,
  bucket: R2Bucket,
  options: ReceiveFormOptions,
): Promise<ReceivedForm> {
  const boundary = boundaryOf(request.headers.get('content-type'));
  if (!boundary || !request.body) {
    throw new ApiError(400, "Expected a multipart/form-data body with a 'file' field", {
      code: 'invalid_content_type',
    });
  }
  const collected = new FormFields();
  let file: StoredFile | undefined;
  try {
    for await (const part of parseMultipart(request.body, boundary)) {
      if (part.name === 'file' && part.filename !== undefined) {
        if (file) throw new ApiError(400, "Only one 'file' may be uploaded per request", { param: 'file' });
        const { head, all } = await peek(part.body, SNIFF_BYTES);
        const sniffed = await sniffMedia(head);
        if (options.requireMedia && head.length > 0 && !sniffed.ok) {
          throw new ApiError(
            415,
            `Unsupported file type${sniffed.mime ? ` (${sniffed.mime})` : ''}: upload audio or video`,
            {
              param: 'file',
              code: 'unsupported_media_type',
            },
          );
        }
        const key = newUploadKey(sniffed.ext ?? part.filename, new Date(), `${options.keyRoot}uploads/`);
        const contentType = sniffed.mime ?? part.contentType;
        const stored = await uploadStream(bucket, key, all, { contentType });
        file = { ...stored, filename: part.filename, contentType };
      } else {
        const limit = CLIP_FIELDS.has(part.name) ? MAX_CLIP_CHARS : undefined;
        collected.add(part.name, await readText(part.body, limit));
      }
    }
  } catch (error) {
    if (file) await bucket.delete(file.key);
    throw error;
  }
  if (file?.size === 0) {
    await bucket.delete(file.key);
    throw new ApiError(400, 'The uploaded file is empty', { param: 'file', code: 'empty_file' });
  }
  return { fields: collected.fields, file, clips: collected.clips };
}
