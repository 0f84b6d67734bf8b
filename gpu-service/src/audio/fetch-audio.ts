import { ApiError, type AudioSource } from '@whisper-edge/shared';
import { logContext, REQUEST_ID_HEADER } from '@whisper-edge/shared/logging';
import { Agent, fetch as undiciFetch } from 'undici';
import { DEFAULT_PACE, DownloadPace, type PaceLimits } from './download-pace.js';
import { isPublicAddress, publicOnlyLookup } from './public-address.js';

export interface OpenAudioOptions {
  maxBytes: number;
  signal?: AbortSignal | undefined;
  /** `external` URLs are the caller's own (pre-signed S3): https and public addresses only. */
  source?: AudioSource;
  /** For tests with a loopback stand-in for S3; never set in production. */
  allowPrivateExternal?: boolean;
  /** Bytes read so far and the announced length: progress for formats whose header gives no duration. */
  onBytes?: (seen: number, total: number | undefined) => void;
  /** Minimum rate and longest stall of the source; a dripping URL must not hold a slot for hours. */
  pace?: PaceLimits;
}

const publicOnlyAgent = new Agent({ connect: { lookup: publicOnlyLookup } });

/** Our own store failing for now (5xx, 429, unreachable): another attempt may succeed, so 503. */
function storageUnavailable(detail: string): ApiError {
  return new ApiError(503, `Audio storage is unavailable ${detail}; retry`, {
    code: 'audio_storage_unavailable',
  }).withRetryAfter(5);
}

function downloadError(source: AudioSource, detail: string, code: string): ApiError {
  const what = source === 'external' ? 'Failed to download from pre-signed URL' : 'Failed to download audio';
  return new ApiError(400, `${what} ${detail}`, { code });
}

async function request(url: string, options: OpenAudioOptions, fromByte = 0): Promise<Response> {
  const source = options.source ?? 'edge';
  // A server that accepts the connection and never answers would otherwise hold the slot forever; the
  // timer covers the wait for headers only, the body is paced by DownloadPace.
  const controller = new AbortController();
  const forward = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) forward();
  options.signal?.addEventListener('abort', forward, { once: true });
  const stallSeconds = (options.pace ?? DEFAULT_PACE).stallSeconds;
  const timer = setTimeout(
    () =>
      controller.abort(
        downloadError(source, `(no answer within ${stallSeconds} s)`, 'audio_download_too_slow'),
      ),
    stallSeconds * 1000,
  );
  // Our own store is told which request it serves (its logs then name it too); a caller's URL is not.
  const requestId = source === 'edge' ? logContext().request_id : undefined;
  const headers: Record<string, string> = {
    ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
    // Range is not among a pre-signed URL's signed headers, so a resumed read needs no new signature.
    ...(fromByte > 0 ? { range: `bytes=${fromByte}-` } : {}),
  };
  // Redirects are refused: a signed URL never redirects, and following one could lead anywhere.
  const init = {
    redirect: 'manual' as const,
    signal: controller.signal,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
  };
  try {
    if (source === 'edge' || options.allowPrivateExternal) return await fetch(url, init);
    const { protocol, hostname } = new URL(url);
    if (protocol !== 'https:') throw downloadError(source, '(only https is allowed)', 'insecure_url');
    const literal = hostname.replace(/^\[|\]$/g, '');
    // Literal IPs skip DNS lookup, so they are checked here.
    if (/^[\d.]+$|:/.test(literal) && !isPublicAddress(literal)) {
      throw downloadError(source, '(the address is not public)', 'blocked_address');
    }
    return (await undiciFetch(url, { ...init, dispatcher: publicOnlyAgent })) as unknown as Response;
  } catch (error) {
    // An abort rejects with the signal's reason: our timeout's ApiError, or the caller's own reason.
    if (controller.signal.aborted && controller.signal.reason instanceof ApiError)
      throw controller.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Opens an audio URL as a byte stream, enforcing the size limit on the bytes themselves. */
export async function openAudioStream(url: string, options: OpenAudioOptions) {
  const source = options.source ?? 'edge';
  let response: Response;
  try {
    response = await request(url, options);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const cause = (error as { cause?: Error }).cause ?? (error as Error);
    if (source === 'edge') throw storageUnavailable(`(${cause.message})`);
    throw downloadError(source, `(${cause.message})`, 'audio_unreachable');
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    // A caller's URL answering 5xx is theirs to fix (the guide's 400 with the upstream status); R2 or
    // the Worker answering 5xx is a passing fault of ours, and a job must retry it, not fail for good.
    if (source === 'edge' && (response.status >= 500 || response.status === 429))
      throw storageUnavailable(`(upstream HTTP ${response.status})`);
    throw downloadError(source, `(upstream HTTP ${response.status})`, 'audio_download_failed');
  }
  const length = Number(response.headers.get('content-length'));
  if (length > options.maxBytes) {
    await response.body?.cancel();
    throw new ApiError(413, `Audio is larger than the ${options.maxBytes}-byte limit`, {
      code: 'audio_too_large',
    });
  }
  if (!response.body) throw downloadError(source, '(empty response)', 'audio_empty');
  const resume = async (offset: number) => {
    const next = await request(url, options, offset);
    // Only the rest of the same object will do: a 200 (whole body) or another range is not it.
    if (
      next.status !== 206 ||
      !next.body ||
      !next.headers.get('content-range')?.startsWith(`bytes ${offset}-`)
    ) {
      await next.body?.cancel();
      throw downloadError(
        source,
        `(the download broke at byte ${offset} and could not be resumed)`,
        'audio_download_failed',
      );
    }
    return next.body;
  };
  // The caller's own URL being slow is their input's fault (400); our object store being slow is ours (503).
  const pace = new DownloadPace(options.pace ?? DEFAULT_PACE, (detail) =>
    source === 'external'
      ? downloadError(source, `too slowly ${detail}`, 'audio_download_too_slow')
      : new ApiError(503, `Audio storage answered too slowly ${detail}`, {
          code: 'audio_download_too_slow',
        }).withRetryAfter(5),
  );
  return resumable(
    response.body,
    resume,
    options.signal,
    Number.isFinite(length) ? Math.max(length, 0) : 0,
    pace,
  ).pipeThrough(
    limitBytes(options.maxBytes, (seen) => options.onBytes?.(seen, length > 0 ? length : undefined)),
  );
}

const MAX_RESUMES = 5;

/**
 * The GPU service reads audio at transcription speed, so a download stays open for the whole job; a
 * store may drop such a slow connection. A broken read continues from the byte it reached with a Range
 * request, up to MAX_RESUMES times, so a long job does not fail (or run again) over a dropped socket.
 */
function resumable(
  first: ReadableStream<Uint8Array>,
  resume: (offset: number) => Promise<ReadableStream<Uint8Array>>,
  signal: AbortSignal | undefined,
  expectedBytes: number,
  pace: DownloadPace,
): ReadableStream<Uint8Array> {
  let reader = first.getReader();
  let offset = 0;
  let resumes = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          try {
            const { value, done } = await pace.read(reader);
            if (done) controller.close();
            else {
              offset += value.byteLength;
              controller.enqueue(value);
            }
            return;
          } catch (error) {
            if (error instanceof ApiError) {
              await reader.cancel(error).catch(() => undefined);
              throw error;
            }
            // Every byte the store promised has arrived: a connection lost after that ends nothing.
            if (expectedBytes > 0 && offset === expectedBytes) {
              controller.close();
              return;
            }
            if (signal?.aborted || resumes >= MAX_RESUMES) throw error;
            resumes++;
            reader = (await resume(offset)).getReader();
          }
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

// Content-Length can be absent (chunked) or wrong, so the limit is enforced on the bytes themselves.
function limitBytes(
  maxBytes: number,
  onBytes: (seen: number) => void,
): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.length;
      if (seen > maxBytes) {
        controller.error(
          new ApiError(413, `Audio is larger than the ${maxBytes}-byte limit`, { code: 'audio_too_large' }),
        );
        return;
      }
      onBytes(seen);
      controller.enqueue(chunk);
    },
  });
}
