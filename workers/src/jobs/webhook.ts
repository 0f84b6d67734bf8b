import { z } from 'zod';
import type { EdgeConfig } from '../config.js';
import { type JobState, jobSchema, publicJob } from './job-types.js';
import { assertPublicCallbackHost, BlockedCallbackError } from './resolve-public.js';

/**
 * Webhook signing in the Standard Webhooks scheme (standardwebhooks.com), so receivers can verify with
 * any of its libraries: `webhook-signature: v1,<base64 HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>`.
 * A `whsec_`-prefixed secret is base64 (the scheme's format); any other string is used as its bytes.
 */
export async function signWebhook(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
): Promise<Record<string, string>> {
  const keyBytes = secret.startsWith('whsec_')
    ? Uint8Array.from(atob(secret.slice(6)), (c) => c.charCodeAt(0))
    : new TextEncoder().encode(secret);
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  const signature = btoa(String.fromCharCode(...new Uint8Array(mac)));
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${signature}`,
  };
}

/** 4xx means the receiver refuses this delivery for good, except timeouts and rate limits. */
export function shouldRetryWebhook(status: number): boolean {
  if (status >= 200 && status < 300) return false;
  if (status >= 400 && status < 500) return status === 408 || status === 429;
  return true;
}

export const MAX_WEBHOOK_ATTEMPTS = 8;

/** Exponential backoff from `baseSeconds`, capped at an hour. */
export function webhookDelaySeconds(attempt: number, baseSeconds: number): number {
  return Math.min(3600, baseSeconds * 2 ** Math.max(0, attempt - 1));
}

/**
 * One delivery attempt of a finished job's webhook: the job document, signed, never following
 * redirects. Updates `state.webhook` and returns when to try again (ms from now), if ever.
 */
export async function deliverWebhook(
  state: JobState,
  config: EdgeConfig['webhook'],
): Promise<number | undefined> {
  const webhook = state.webhook;
  if (webhook?.status !== 'pending') return undefined;
  webhook.attempts += 1;
  let status = 0;
  try {
    if (!config.secret) throw new Error('WEBHOOK_SECRET is not configured');
    if (!config.allowLocal) await assertPublicCallbackHost(new URL(webhook.url).hostname, config.resolverUrl);
    const body = JSON.stringify(publicJob(state));
    const headers = await signWebhook(
      config.secret,
      `${state.id}.${state.status}`,
      Math.floor(Date.now() / 1000),
      body,
    );
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'whisper-edge-webhooks/1',
        // The submitting request's id, so a receiver can tie the delivery to the call that made the job.
        ...(state.spec.requestId ? { 'x-request-id': state.spec.requestId } : {}),
        ...headers,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    status = response.status;
    await response.body?.cancel();
    webhook.last_status = status;
    delete webhook.last_error;
  } catch (error) {
    webhook.last_error = (error as Error).message;
    if (error instanceof BlockedCallbackError) {
      webhook.status = 'failed';
      return undefined;
    }
  }
  if (status >= 200 && status < 300) webhook.status = 'delivered';
  else if ((status !== 0 && !shouldRetryWebhook(status)) || webhook.attempts >= MAX_WEBHOOK_ATTEMPTS)
    webhook.status = 'failed';
  else return webhookDelaySeconds(webhook.attempts, config.retryBaseSeconds) * 1000;
  return undefined;
}

/** The webhook a finished job sends to its callback_url, as the OpenAPI document describes it. */
export const jobWebhook = {
  summary: 'A job finished (succeeded, failed or cancelled)',
  description:
    'POSTed to the job’s callback_url, signed in the Standard Webhooks scheme with WEBHOOK_SECRET; retried with ' +
    'backoff on 5xx, 408, 429 and network errors (8 attempts).',
  body: jobSchema,
  headers: z.object({
    'webhook-id': z.string().meta({ description: '`<job id>.<status>`' }),
    'webhook-timestamp': z.string().meta({ description: 'Unix seconds' }),
    'webhook-signature': z
      .string()
      .meta({ description: '`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`' }),
    'x-request-id': z.string().meta({ description: 'The id of the request that submitted the job' }),
  }),
};
