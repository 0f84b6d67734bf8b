import { ApiError } from '@whisper-edge/shared';
import type { Scope } from '../http/request-scope.js';
import { signedReadUrl } from '../storage/signed-read-url.js';
import type { JobState } from './job-types.js';

/** A player asks again when its URL lapses (the page does on a media error), so it can be short. */
export const PLAYBACK_URL_TTL_SECONDS = 900;

/**
 * The job's audio for a player: a signed URL read straight from R2 (its S3 API, or the Worker's signed
 * object route), both of which answer Range requests. Only audio the job read from our bucket has one;
 * a caller's own pre-signed URL is theirs to keep.
 */
export async function jobAudio(scope: Scope, state: JobState) {
  const key = state.spec.fields.storage_key;
  if (!key) {
    throw new ApiError(404, "This job's audio was read from the caller's own URL and is not stored here", {
      code: 'audio_not_stored',
    });
  }
  const head = await scope.env.UPLOADS.head(key);
  if (!head) throw new ApiError(404, "The job's audio is no longer stored", { code: 'audio_not_found' });
  const ttlSeconds = Math.min(PLAYBACK_URL_TTL_SECONDS, scope.config.audioUrlTtlSeconds);
  return {
    object: 'transcription.audio' as const,
    job_id: state.id,
    url: await signedReadUrl(scope, key, ttlSeconds),
    expires_at: Math.floor(Date.now() / 1000) + ttlSeconds,
    content_type: head.httpMetadata?.contentType ?? null,
    bytes: head.size,
  };
}
