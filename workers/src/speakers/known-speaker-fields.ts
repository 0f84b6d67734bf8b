import { ApiError, type KnownSpeaker, MAX_KNOWN_SPEAKERS } from '@whisper-edge/shared';
import type { Scope } from '../http/request-scope.js';
import { signedReadUrl } from '../storage/signed-read-url.js';
import { assertTenantKey } from '../storage/tenant-keys.js';
import { clipFromDataUrl } from './audio-clip.js';
import { getVoice, putClip, requestClipsPrefix } from './voice-store.js';

/** Where a request's own clips are remembered once stored (a job reads them at every attempt). */
export const CLIP_KEYS_FIELD = 'known_speaker_clip_keys';

const field = (fields: Record<string, string>, name: string) => fields[`${name}[]`] ?? fields[name];

function invalid(param: string, why: string): ApiError {
  return new ApiError(400, `Invalid '${param}': ${why}`, { param, code: 'invalid_value' });
}

/** A list field: repeated (comma-joined by intake) or a JSON array. */
function list(fields: Record<string, string>, name: string): string[] {
  const raw = field(fields, name)?.trim();
  if (!raw) return [];
  if (raw.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed)) return parsed.map((v) => String(v).trim());
    } catch {
      // fall through to the error
    }
    throw invalid(name, 'expected a list');
  }
  return raw.split(',').map((v) => v.trim());
}

/** A label a person can read, and never one the diarizer would give an unknown speaker. */
export function checkSpeakerName(name: string, param: string): string {
  const clean = name.replace(/\s+/g, ' ').trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (clean === '' || clean.length > 64 || /[\u0000-\u001f\u007f]/.test(clean)) {
    throw invalid(param, 'a speaker name has 1-64 printable characters');
  }
  if (/^SPEAKER_\d+$/i.test(clean)) throw invalid(param, `'${clean}' is reserved for unknown speakers`);
  return clean;
}

/** True when the request names voices: diarization is then implied. */
export function wantsKnownSpeakers(fields: Record<string, string>): boolean {
  return list(fields, 'known_speakers').length > 0 || list(fields, 'known_speaker_names').length > 0;
}

/**
 * At intake: `known_speaker_references[]` clips (data URLs) are checked and stored under the tenant's
 * root, and the request keeps their keys, so a job can read them on any attempt. Returns the keys.
 */
export async function storeRequestClips(
  scope: Scope,
  fields: Record<string, string>,
  clips: readonly string[],
): Promise<string[]> {
  // Only intake names a request's clips: a caller cannot point them at other objects.
  delete fields[CLIP_KEYS_FIELD];
  delete fields[`${CLIP_KEYS_FIELD}_sha256`];
  const names = list(fields, 'known_speaker_names');
  if (names.length !== clips.length) {
    throw invalid(
      'known_speaker_names',
      `give one name per known_speaker_references clip (${names.length} names, ${clips.length} clips)`,
    );
  }
  if (clips.length === 0) return [];
  const decoded = await Promise.all(clips.map((clip) => clipFromDataUrl(clip, 'known_speaker_references')));
  const keys: string[] = [];
  for (const [i, clip] of decoded.entries()) {
    const key = `${requestClipsPrefix(scope)}${crypto.randomUUID()}`;
    await putClip(scope.env.UPLOADS, key, clip, { name: checkSpeakerName(names[i]!, 'known_speaker_names') });
    keys.push(key);
  }
  fields[CLIP_KEYS_FIELD] = keys.join(',');
  // What the clips were, for the idempotency fingerprint (their keys differ on every request).
  const digests = await Promise.all(
    decoded.map(async (clip) => {
      const digest = await crypto.subtle.digest('SHA-256', clip.bytes);
      return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
    }),
  );
  fields[`${CLIP_KEYS_FIELD}_sha256`] = digests.join(',');
  return keys;
}

/** The request's clips (by key) and stored profiles (by id) as the GPU service's known speakers. */
export async function resolveKnownSpeakers(
  scope: Scope,
  fields: Record<string, string>,
): Promise<KnownSpeaker[] | undefined> {
  const names = list(fields, 'known_speaker_names');
  const keys = list(fields, CLIP_KEYS_FIELD);
  if (names.length !== keys.length) {
    throw invalid('known_speaker_references', 'give one clip per name in known_speaker_names');
  }
  const voices: Array<{ name: string; key: string }> = [];
  for (const [i, key] of keys.entries()) {
    const checked = assertTenantKey(scope.tenant, key, CLIP_KEYS_FIELD);
    if (!checked.startsWith(requestClipsPrefix(scope)))
      throw invalid(CLIP_KEYS_FIELD, 'not a clip of this request');
    voices.push({ name: checkSpeakerName(names[i]!, 'known_speaker_names'), key: checked });
  }
  for (const id of list(fields, 'known_speakers')) {
    const profile = await getVoice(scope, id).catch((error: unknown) => {
      throw error instanceof ApiError && error.status === 404
        ? new ApiError(400, `Invalid 'known_speakers': no speaker '${id.slice(0, 64)}' for this key`, {
            param: 'known_speakers',
            code: 'speaker_not_found',
          })
        : error;
    });
    voices.push({ name: profile.name, key: profile.key });
  }
  if (voices.length === 0) return undefined;
  if (voices.length > MAX_KNOWN_SPEAKERS) {
    throw invalid('known_speakers', `at most ${MAX_KNOWN_SPEAKERS} known speakers per request`);
  }
  const duplicate = voices.find((v, i) => voices.findIndex((w) => w.name === v.name) !== i);
  if (duplicate) throw invalid('known_speaker_names', `'${duplicate.name}' is given twice`);
  return Promise.all(
    voices.map(async (v) => ({ name: v.name, audio_url: await signedReadUrl(scope, v.key) })),
  );
}

/** The request's own clips, for deleting them with it. */
export function requestClipKeys(fields: Record<string, string>): string[] {
  return list(fields, CLIP_KEYS_FIELD);
}
