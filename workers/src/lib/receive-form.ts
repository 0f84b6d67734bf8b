import { ApiError } from '@whisper-edge/shared';
import { boundaryOf, parseMultipart, readText } from './multipart-stream.js';
import { type StreamUploadResult, uploadStream } from './r2-stream-upload.js';
import { newUploadKey } from './upload-keys.js';

export interface StoredFile extends StreamUploadResult {
  filename: string | undefined;
  contentType: string | undefined;
}

export interface ReceivedForm {
  fields: Record<string, string>;
  file: StoredFile | undefined;
}

/**
 * Reads a multipart form, streaming its `file` part straight into R2 as it arrives: form fields may
 * come before or after the file (SDKs differ), so fields are collected and the file is never buffered.
 */
export async function receiveForm(request: Request, bucket: R2Bucket): Promise<ReceivedForm> {
  const boundary = boundaryOf(request.headers.get('content-type'));
  if (!boundary || !request.body) {
    throw new ApiError(400, "Expected a multipart/form-data body with a 'file' field", {
      code: 'invalid_content_type',
    });
  }
  const fields: Record<string, string> = {};
  let file: StoredFile | undefined;
  try {
    for await (const part of parseMultipart(request.body, boundary)) {
      if (part.name === 'file' && part.filename !== undefined) {
        if (file) throw new ApiError(400, "Only one 'file' may be uploaded per request", { param: 'file' });
        const key = newUploadKey(part.filename);
        const stored = await uploadStream(bucket, key, part.body, { contentType: part.contentType });
        file = { ...stored, filename: part.filename, contentType: part.contentType };
      } else {
        fields[part.name] = await readText(part.body);
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
  return { fields, file };
}
