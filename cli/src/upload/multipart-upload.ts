import type { ApiClient } from '../api/api-client.js';
import { ApiFailure } from '../api/api-error.js';
import { CliError, Interrupted } from '../errors/cli-error.js';
import { ExitCode } from '../errors/exit-codes.js';
import { fileRange, type LocalFile } from './local-file.js';
import { choosePartSize, type PartRange, partRanges } from './part-plan.js';
import { loadState, removeState, saveState, stateFile, type UploadState } from './upload-state.js';

export interface UploadResult {
  key: string;
  bucket?: string;
  storage_url: string;
  file_size: number;
  /** Multipart only: parts in all, sent by this run, found already stored from an earlier one. */
  parts?: { total: number; sent: number; resumed: number; upload_id: string };
}

export interface MultipartOptions {
  partSize: number;
  concurrency: number;
  stateDir: string;
  apiKey: string | undefined;
  /** Bytes stored so far (parts resumed included) out of the file's size. */
  onProgress: (bytes: number) => void;
  log: (line: string) => void;
}

interface ListedPart {
  PartNumber: number;
  Size: number;
  ETag: string;
}

const PART_ATTEMPTS = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A part worth sending again: the store or the network failed, not the request. */
function retryable(error: unknown): boolean {
  if (error instanceof Interrupted) return false;
  if (error instanceof ApiFailure) return error.status >= 500 || error.status === 429 || error.status === 408;
  return error instanceof CliError && error.exitCode === ExitCode.unreachable;
}

/** Failures that mean the stored upload id is of no use any more (aborted, expired, another store). */
const uploadGone = (error: unknown) =>
  error instanceof ApiFailure && (error.status === 400 || error.status === 404);

const routeOf = (state: UploadState, suffix = '') =>
  `/v1/uploads/s3/multipart/${encodeURIComponent(state.uploadId)}${suffix}?key=${encodeURIComponent(state.key)}`;

/**
 * Browser-style multipart upload through the Worker's Companion routes: the Worker creates the upload
 * and signs each part; the bytes go straight to the URL it signs (R2's S3 endpoint, or its own part
 * route). Every acknowledged part's ETag is saved before the next is counted, so a run stopped at any
 * point resumes from the parts the store has.
 */
export async function multipartUpload(
  api: ApiClient,
  file: LocalFile,
  options: MultipartOptions,
): Promise<UploadResult> {
  const identity = { edge: api.base, apiKey: options.apiKey, file };
  const statePath = stateFile(options.stateDir, identity);
  const stored = loadState(statePath, identity);
  if (stored) {
    try {
      return await sendParts(api, file, stored, statePath, options, true);
    } catch (error) {
      if (!uploadGone(error)) throw error;
      options.log(
        `the earlier upload ${stored.uploadId.slice(0, 12)}… cannot be resumed (${(error as Error).message}); starting again`,
      );
      removeState(statePath);
    }
  }
  const created = await api.json<{ key: string; uploadId: string }>('/v1/uploads/s3/multipart', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ filename: file.name, type: file.contentType }),
    what: 'create the upload',
  });
  const state: UploadState = {
    version: 1,
    edge: api.base,
    file: file.path,
    size: file.size,
    mtimeMs: file.mtimeMs,
    key: created.key,
    uploadId: created.uploadId,
    partSize: choosePartSize(file.size, options.partSize),
    parts: {},
    created_at: new Date().toISOString(),
  };
  saveState(statePath, state);
  return sendParts(api, file, state, statePath, options, false);
}

async function sendParts(
  api: ApiClient,
  file: LocalFile,
  state: UploadState,
  statePath: string,
  options: MultipartOptions,
  resuming: boolean,
): Promise<UploadResult> {
  const ranges = partRanges(file.size, state.partSize);
  if (resuming) {
    // Parts the store holds that this machine never heard back about (stopped between the store's
    // answer and the state write). Where the store cannot list (wrangler's local S3 endpoint), the
    // saved ETags are the whole truth.
    const listed = await api.json<ListedPart[]>(routeOf(state), { what: 'list the uploaded parts' });
    for (const part of Array.isArray(listed) ? listed : []) {
      const range = ranges[part.PartNumber - 1];
      if (range && part.Size === range.end - range.start && part.ETag && !state.parts[part.PartNumber]) {
        state.parts[part.PartNumber] = part.ETag;
      }
    }
    saveState(statePath, state);
  }
  const missing = ranges.filter((range) => !state.parts[range.partNumber]);
  const resumed = ranges.length - missing.length;
  if (resuming) {
    options.log(
      `resuming upload ${state.uploadId.slice(0, 12)}…: ${resumed} of ${ranges.length} parts already stored, sending ${missing.length}`,
    );
  }
  let storedBytes = ranges
    .filter((range) => state.parts[range.partNumber])
    .reduce((sum, range) => sum + (range.end - range.start), 0);
  const inFlight = new Map<number, number>();
  const report = () => options.onProgress(storedBytes + [...inFlight.values()].reduce((a, b) => a + b, 0));
  report();

  const sendPart = async (range: PartRange): Promise<string> => {
    for (let attempt = 1; ; attempt++) {
      inFlight.set(range.partNumber, 0);
      try {
        const { url } = await api.json<{ url: string }>(routeOf(state, `/${range.partNumber}`), {
          what: `sign part ${range.partNumber}`,
        });
        const response = await api.request(url, {
          method: 'PUT',
          headers: { 'content-length': String(range.end - range.start) },
          body: fileRange(file, range.start, range.end, (n) => {
            inFlight.set(range.partNumber, (inFlight.get(range.partNumber) ?? 0) + n);
            report();
          }),
          duplex: 'half',
          what: `upload part ${range.partNumber}`,
        });
        await response.body?.cancel();
        const etag = response.headers.get('etag');
        if (!etag) {
          throw new CliError(
            `upload part ${range.partNumber}: the store answered without an ETag (a bucket's CORS must expose it)`,
          );
        }
        return etag;
      } catch (error) {
        if (!retryable(error) || attempt >= PART_ATTEMPTS) throw error;
        options.log(`part ${range.partNumber} failed (${(error as Error).message}); trying again`);
        await sleep(1000 * 2 ** (attempt - 1));
      } finally {
        inFlight.delete(range.partNumber);
      }
    }
  };

  let next = 0;
  let sent = 0;
  const worker = async () => {
    while (next < missing.length) {
      const range = missing[next++]!;
      const etag = await sendPart(range);
      state.parts[range.partNumber] = etag;
      saveState(statePath, state);
      storedBytes += range.end - range.start;
      sent++;
      options.log(`part ${range.partNumber}/${ranges.length} stored`);
      report();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency, missing.length) }, worker));
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    const have = Object.keys(state.parts).length;
    throw new Interrupted(
      `upload paused with ${have} of ${ranges.length} parts stored: run the same command again to resume`,
    );
  }

  let done: { key: string; bucket?: string; storage_url: string; file_size: number };
  try {
    done = await api.json(routeOf(state, '/complete'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        parts: ranges.map((range) => ({ PartNumber: range.partNumber, ETag: state.parts[range.partNumber] })),
      }),
      what: 'complete the upload',
    });
  } catch (error) {
    // Not audio: the Worker deleted the object, so there is nothing left to resume.
    if (error instanceof ApiFailure && error.status === 415) removeState(statePath);
    throw error;
  }
  removeState(statePath);
  return {
    key: done.key,
    ...(done.bucket ? { bucket: done.bucket } : {}),
    storage_url: done.storage_url,
    file_size: done.file_size,
    parts: { total: ranges.length, sent, resumed, upload_id: state.uploadId },
  };
}
