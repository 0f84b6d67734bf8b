import AwsS3, { type AwsS3Part } from '@uppy/aws-s3';
import Uppy, { type Meta, type UppyFile } from '@uppy/core';
import Dashboard from '@uppy/dashboard';
import '@uppy/core/css/style.min.css';
import '@uppy/dashboard/css/style.min.css';
import type { ApiClient } from '../api/api-client.js';
import { KnownParts } from './known-parts.js';
import { MAX_FILE_BYTES, partSizeFor, type UploadTuning } from './upload-tuning.js';

export interface UploadedFile {
  id: string;
  name: string;
  type: string;
  size: number;
  /** The R2 object key, what a transcription's `storage_key` names. */
  key: string;
  /** A local URL of the file itself, so the player never downloads what was just uploaded. */
  objectUrl: string;
}

type UploadBody = { location?: string; key?: string };
type File = UppyFile<Meta, UploadBody>;

// Browsers leave `type` empty for some containers (.opus, .mkv…), so extensions are accepted too.
const ACCEPTED = [
  'audio/*',
  'video/*',
  ...['.mp3', '.wav', '.flac', '.m4a', '.aac', '.ogg', '.oga', '.opus', '.webm', '.mp4', '.mov', '.mkv'],
];

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/**
 * Uppy's Dashboard (drop zone, per-file progress, speed, pause/resume, retry) with `@uppy/aws-s3` signing
 * through the Worker's Companion-style routes: the bytes go from the browser straight to R2. The routes are
 * called through the page's API client so the API key and the OpenAI error messages apply to them too.
 */
export function createUploadPanel(
  target: HTMLElement,
  options: { api: ApiClient; tuning: UploadTuning; onUploaded: (file: UploadedFile) => void },
): Uppy<Meta, UploadBody> {
  const { api, tuning } = options;
  const keys = new Map<string, string>();
  const known = new KnownParts();
  const uploadIds = new Map<string, string>();
  const uppy = new Uppy<Meta, UploadBody>({
    autoProceed: true,
    restrictions: { allowedFileTypes: ACCEPTED, maxFileSize: MAX_FILE_BYTES },
  });
  uppy.use(Dashboard, {
    target,
    inline: true,
    width: '100%',
    height: 360,
    proudlyDisplayPoweredByUppy: false,
    note: 'Audio or video, up to 2 GiB each. Files go straight to storage.',
  });
  uppy.use(AwsS3, {
    shouldUseMultipart: (file: File) => (file.size ?? 0) > tuning.multipartOverBytes,
    getChunkSize: (file: { size: number }) => partSizeFor(file.size, tuning),
    getUploadParameters: async (file: File) => {
      const params = new URLSearchParams({ filename: file.name ?? 'upload', type: file.type ?? '' });
      const answer = await api.json<{ url: string; key: string; headers: Record<string, string> }>(
        `/v1/uploads/s3/params?${params}`,
      );
      keys.set(file.id, answer.key);
      return { method: 'PUT' as const, url: answer.url, headers: answer.headers };
    },
    createMultipartUpload: async (file: File) => {
      const answer = await api.json<{ key: string; uploadId: string }>(
        '/v1/uploads/s3/multipart',
        json({ filename: file.name, type: file.type, metadata: {} }),
      );
      keys.set(file.id, answer.key);
      uploadIds.set(file.id, answer.uploadId);
      return answer;
    },
    signPart: async (_file: File, { uploadId, key, partNumber, signal }) => {
      const query = new URLSearchParams({ key });
      return api.json<{ url: string }>(
        `/v1/uploads/s3/multipart/${encodeURIComponent(uploadId)}/${partNumber}?${query}`,
        signal ? { signal } : {},
      );
    },
    // Uploads live as long as the page (no resume across reloads), so this browser knows every part it
    // stored; asking storage would add nothing, and under wrangler dev the Worker's ListParts route takes
    // ~20 s to fail. A part stored but never acknowledged is simply sent again (part PUTs are idempotent).
    listParts: async (_file: File, { uploadId = '' }) => known.list(uploadId) as AwsS3Part[],
    completeMultipartUpload: async (_file: File, { uploadId, key, parts }) => {
      const answer = await api.json<{ location: string }>(
        `/v1/uploads/s3/multipart/${encodeURIComponent(uploadId)}/complete?${new URLSearchParams({ key })}`,
        json({ parts }),
      );
      known.forget(uploadId);
      return answer;
    },
    abortMultipartUpload: async (_file: File, { uploadId = '', key = '' }) => {
      await api.request(
        `/v1/uploads/s3/multipart/${encodeURIComponent(uploadId)}?${new URLSearchParams({ key })}`,
        { method: 'DELETE' },
      );
    },
  });
  uppy.on('s3-multipart:part-uploaded', (file, part) => {
    const uploadId = file ? uploadIds.get(file.id) : undefined;
    if (uploadId) known.record(uploadId, part);
  });
  uppy.on('upload-success', (file) => {
    const key = file ? keys.get(file.id) : undefined;
    if (!file || !key || !(file.data instanceof Blob)) return;
    options.onUploaded({
      id: file.id,
      name: file.name ?? 'upload',
      type: file.type ?? '',
      size: file.size ?? 0,
      key,
      objectUrl: URL.createObjectURL(file.data),
    });
  });
  return uppy;
}
