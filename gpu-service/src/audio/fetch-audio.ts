import { ApiError } from '@whisper-edge/shared';

/**
 * Opens the audio URL the edge minted. Redirects are refused: a signed URL never redirects, and
 * following one would let a URL point the service at somewhere it should not reach.
 */
export async function openAudioStream(url: string, options: { maxBytes: number; signal?: AbortSignal }) {
  let response: Response;
  try {
    response = await fetch(url, {
      redirect: 'manual',
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    throw new ApiError(400, `Failed to download audio: ${(error as Error).message}`, {
      code: 'audio_unreachable',
    });
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new ApiError(400, `Failed to download audio (upstream HTTP ${response.status})`, {
      code: 'audio_download_failed',
    });
  }
  const length = Number(response.headers.get('content-length'));
  if (length > options.maxBytes) {
    await response.body?.cancel();
    throw new ApiError(413, `Audio is larger than the ${options.maxBytes}-byte limit`, {
      code: 'audio_too_large',
    });
  }
  if (!response.body)
    throw new ApiError(400, 'Failed to download audio: empty response', { code: 'audio_empty' });
  return response.body.pipeThrough(limitBytes(options.maxBytes));
}

// Content-Length can be absent (chunked) or wrong, so the limit is enforced on the bytes themselves.
function limitBytes(maxBytes: number): TransformStream<Uint8Array, Uint8Array> {
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
      controller.enqueue(chunk);
    },
  });
}
