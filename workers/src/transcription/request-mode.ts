import { ApiError } from '@whisper-edge/shared';
import { parseBoolean } from '../http/field-values.js';
import type { Scope } from '../http/request-scope.js';
import { assertTenantKey } from '../storage/tenant-keys.js';
import { validatePresignedUrl } from './audio-input.js';

/** How a transcription request is answered: one JSON body, server-sent events, or a job (202). */
export interface RequestMode {
  stream: boolean;
  asJob: boolean;
  callbackUrl: string | undefined;
}

/** Bytes of the caller's audio when it is in R2 already: large inputs become jobs on their own. */
async function storedInputBytes(
  { env, tenant }: Scope,
  fields: Record<string, string>,
  fileSize: number | undefined,
): Promise<number | undefined> {
  if (fileSize !== undefined) return fileSize;
  if (!fields.storage_key) return undefined;
  return (await env.UPLOADS.head(assertTenantKey(tenant, fields.storage_key, 'storage_key')))?.size;
}

function invalid(param: string, message: string, code = 'invalid_value'): ApiError {
  return new ApiError(400, `Invalid '${param}': ${message}`, { param, code });
}

/** `stream`, `async` and `callback_url`, checked together; large stored inputs default to a job. */
export async function requestMode(
  scope: Scope,
  fields: Record<string, string>,
  fileSize: number | undefined,
): Promise<RequestMode> {
  const { config } = scope;
  const stream = parseBoolean(fields.stream, 'stream') ?? false;
  const asyncFlag = parseBoolean(fields.async, 'async');
  if (stream && asyncFlag) throw invalid('stream', 'a job streams its progress at GET /v1/jobs/{id}/events');
  const callbackUrl = fields.callback_url
    ? validatePresignedUrl(
        fields.callback_url,
        config.callbackAllowedHosts,
        config.devAllowLocalUrls,
        'callback_url',
      )
    : undefined;
  if (callbackUrl && !config.webhook.secret) {
    throw invalid(
      'callback_url',
      'this deployment has no WEBHOOK_SECRET to sign webhooks with',
      'webhooks_not_configured',
    );
  }
  if (stream) return { stream, asJob: false, callbackUrl: undefined };
  const threshold = config.asyncThresholdBytes;
  // A callback only makes sense for a job; very large inputs become one unless the caller said no.
  const asJob =
    asyncFlag ??
    (callbackUrl !== undefined || ((await storedInputBytes(scope, fields, fileSize)) ?? 0) > threshold);
  if (callbackUrl && !asJob) throw invalid('callback_url', 'webhooks are sent for jobs; drop async=false');
  return { stream, asJob, callbackUrl };
}
