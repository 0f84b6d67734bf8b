import { ApiError } from '@whisper-edge/shared';
import type { Scope } from '../http/request-scope.js';
import { tenantRoot } from '../storage/tenant-keys.js';
import type { AudioClip } from './audio-clip.js';

/** A stored voice, as `/v1/speakers` shows it. */
export interface VoiceProfile {
  id: string;
  object: 'speaker';
  name: string;
  created_at: number;
  bytes: number;
  content_type: string;
}

const PROFILE_ID = /^spk_[0-9a-f]{32}$/;

/** Profiles live at `<root>speakers/<id>`; a request's own clips under `<root>speakers/refs/`. */
export function voicesPrefix(scope: Scope): string {
  return `${tenantRoot(scope.tenant)}speakers/`;
}

export function requestClipsPrefix(scope: Scope): string {
  return `${voicesPrefix(scope)}refs/`;
}

export function newProfileId(): string {
  return `spk_${crypto.randomUUID().replaceAll('-', '')}`;
}

export async function putClip(
  bucket: R2Bucket,
  key: string,
  clip: AudioClip,
  metadata: Record<string, string>,
): Promise<void> {
  await bucket.put(key, clip.bytes, {
    httpMetadata: { contentType: clip.contentType },
    customMetadata: metadata,
  });
}

function profileOf(id: string, object: R2Object): VoiceProfile {
  return {
    id,
    object: 'speaker',
    name: object.customMetadata?.name ?? id,
    created_at: Math.floor(object.uploaded.getTime() / 1000),
    bytes: object.size,
    content_type: object.httpMetadata?.contentType ?? 'application/octet-stream',
  };
}

export function notFound(id: string, param = 'speaker_id'): ApiError {
  return new ApiError(404, `No speaker '${id.slice(0, 64)}' for this key`, {
    param,
    code: 'speaker_not_found',
  });
}

/** The caller's own profile: ids are only looked up under the caller's root. */
export async function getVoice(scope: Scope, id: string): Promise<VoiceProfile & { key: string }> {
  if (!PROFILE_ID.test(id)) throw notFound(id);
  const key = `${voicesPrefix(scope)}${id}`;
  const object = await scope.env.UPLOADS.head(key);
  if (!object) throw notFound(id);
  return { ...profileOf(id, object), key };
}

/** Up to 1000 profiles, newest first (a tenant with more pages through R2 itself). */
export async function listVoices(scope: Scope): Promise<VoiceProfile[]> {
  const prefix = voicesPrefix(scope);
  const listed = await scope.env.UPLOADS.list({
    prefix,
    delimiter: '/',
    limit: 1000,
    include: ['customMetadata', 'httpMetadata'],
  });
  return listed.objects
    .map((object) => profileOf(object.key.slice(prefix.length), object))
    .filter((p) => PROFILE_ID.test(p.id))
    .sort((a, b) => b.created_at - a.created_at);
}
