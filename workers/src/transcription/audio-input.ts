import { ApiError, type AudioSource, isNonPublicHost } from '@whisper-edge/shared';
import type { Scope } from '../http/request-scope.js';
import { signedReadUrl } from '../storage/signed-read-url.js';
import { assertTenantKey } from '../storage/tenant-keys.js';
import type { StoredFile } from '../uploads/intake/receive-form.js';

export interface AudioInput {
  audioUrl: string;
  /** `external` URLs are the caller's: the GPU service applies its SSRF rules to them. */
  source: AudioSource;
}

const PRESIGNED_PARAM = 's3_presigned_url';

/** Host patterns (`*.amazonaws.com`) from S3_URL_ALLOWED_HOSTS; unset means any public https host. */
function hostAllowed(host: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return true;
  return patterns.some((p) => (p.startsWith('*.') ? host.endsWith(p.slice(1)) : host === p));
}

/** Checks a caller's URL before anything fetches it: https, no credentials, allowed host, not local. */
export function validatePresignedUrl(
  raw: string,
  allowList: readonly string[],
  allowInsecureLocal = false,
  param = PRESIGNED_PARAM,
): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ApiError(400, `Invalid '${param}': not a URL`, { param, code: 'invalid_url' });
  }
  const refuse = (why: string) =>
    new ApiError(400, `Invalid '${param}': ${why}`, { param, code: 'invalid_url' });
  // Local development may point at wrangler's http S3 endpoint; deployments never set the flag.
  const localHttp =
    allowInsecureLocal && url.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(url.hostname);
  if (url.protocol !== 'https:' && !localHttp) throw refuse('only https URLs are accepted');
  if (url.username || url.password) throw refuse('credentials in the URL are not accepted');
  if (!hostAllowed(url.hostname.toLowerCase(), allowList))
    throw refuse(`host ${url.hostname} is not allowed`);
  // Names are judged again by the GPU service on what they resolve to, at connect time.
  if (!localHttp && isNonPublicHost(url.hostname)) throw refuse('the address is not public');
  return url.toString();
}

/** Reduces whichever input the caller chose (exactly one) to a URL the GPU service can stream from. */
export async function resolveAudioInput(
  fields: Record<string, string>,
  file: StoredFile | undefined,
  scope: Scope,
): Promise<AudioInput> {
  const { config } = scope;
  const chosen = [
    file ? 'file' : undefined,
    fields.storage_key ? 'storage_key' : undefined,
    fields[PRESIGNED_PARAM] ? PRESIGNED_PARAM : undefined,
  ].filter((x): x is string => x !== undefined);
  if (chosen.length !== 1) {
    throw new ApiError(
      400,
      `Provide exactly one audio input: 'file', 'storage_key' or 's3_presigned_url' (got ${chosen.length === 0 ? 'none' : chosen.join(' and ')})`,
      { code: 'invalid_input', param: chosen[1] ?? 'file' },
    );
  }
  if (fields[PRESIGNED_PARAM]) {
    return {
      audioUrl: validatePresignedUrl(
        fields[PRESIGNED_PARAM],
        config.s3AllowedHosts,
        config.devAllowLocalUrls,
      ),
      source: 'external',
    };
  }
  const key = file ? file.key : assertTenantKey(scope.tenant, fields.storage_key!, 'storage_key');
  if (!file && !(await scope.env.UPLOADS.head(key))) {
    throw new ApiError(404, 'File not found in R2', { param: 'storage_key', code: 'object_not_found' });
  }
  return { audioUrl: await signedReadUrl(scope, key), source: 'edge' };
}
