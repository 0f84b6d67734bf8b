import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { shouldRetryWebhook, signWebhook, webhookDelaySeconds } from './webhook.js';

describe('webhook signatures', () => {
  it('verify with the Standard Webhooks reference library', async () => {
    const secret = `whsec_${btoa('a-webhook-secret-of-32-bytes-len')}`;
    const body = JSON.stringify({ id: 'job_1', status: 'succeeded' });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = await signWebhook(secret, 'msg_1', timestamp, body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    // A changed body or another secret fails.
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    expect(() =>
      new Webhook(`whsec_${btoa('another-secret-entirely-00000000')}`).verify(body, headers),
    ).toThrow();
  });

  it('retries server errors, timeouts and rate limits, not other refusals', () => {
    expect([500, 502, 503, 408, 429].map(shouldRetryWebhook)).toEqual([true, true, true, true, true]);
    expect([200, 204, 400, 401, 404, 410].map(shouldRetryWebhook)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect([1, 2, 3, 20].map((a) => webhookDelaySeconds(a, 2))).toEqual([2, 4, 8, 3600]);
  });
});
