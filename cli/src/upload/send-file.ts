import type { ApiClient } from '../api/api-client.js';
import { formBody } from './form-body.js';
import type { LocalFile } from './local-file.js';
import { type MultipartOptions, multipartUpload, type UploadResult } from './multipart-upload.js';

export const DEFAULT_MULTIPART_THRESHOLD = 64 * 1024 * 1024;

export interface SendFileOptions extends MultipartOptions {
  /** Files larger than this go multipart straight to R2; smaller ones in one request through the Worker. */
  multipartThreshold: number;
}

/** Puts a local file into the bucket (`POST /v1/uploads`, or multipart for big files). */
export async function sendFile(
  api: ApiClient,
  file: LocalFile,
  options: SendFileOptions,
): Promise<UploadResult> {
  if (file.size > options.multipartThreshold) return multipartUpload(api, file, options);
  let sent = 0;
  const form = formBody([], file, (n) => {
    sent += n;
    options.onProgress(sent);
  });
  return api.json<UploadResult>('/v1/uploads', {
    method: 'POST',
    headers: { 'content-type': form.contentType, 'content-length': String(form.length) },
    body: form.body,
    duplex: 'half',
    what: 'upload',
  });
}
