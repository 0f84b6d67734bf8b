import { describe, expect, it } from 'vitest';
import { SIGNATURE_HEADER, signRequest, TIMESTAMP_HEADER, verifyRequest } from './signing.js';

const secret = 'test-secret';
const request = { method: 'POST', path: '/internal/transcribe', body: '{"audio_url":"http://x/a"}' };

async function headersFor(now = Date.now()) {
  const signed = await signRequest(secret, request, now);
  return { timestamp: signed[TIMESTAMP_HEADER], signature: signed[SIGNATURE_HEADER] };
}

describe('request signing', () => {
  it('accepts a fresh request signed with the shared secret', async () => {
    expect(await verifyRequest(secret, request, await headersFor())).toEqual({ ok: true });
  });

  it('refuses a missing signature', async () => {
    const result = await verifyRequest(secret, request, { timestamp: undefined, signature: undefined });
    expect(result).toEqual({ ok: false, reason: 'missing request signature' });
  });

  it('refuses a different secret, body, path or method', async () => {
    const headers = await headersFor();
    const variants = [
      verifyRequest('other-secret', request, headers),
      verifyRequest(secret, { ...request, body: '{"audio_url":"http://x/b"}' }, headers),
      verifyRequest(secret, { ...request, path: '/internal/other' }, headers),
      verifyRequest(secret, { ...request, method: 'PUT' }, headers),
    ];
    for (const result of await Promise.all(variants)) {
      expect(result).toEqual({ ok: false, reason: 'invalid request signature' });
    }
  });

  it('refuses a stale or future timestamp beyond the allowed skew', async () => {
    const tenMinutes = 10 * 60 * 1000;
    expect(await verifyRequest(secret, request, await headersFor(Date.now() - tenMinutes))).toEqual({
      ok: false,
      reason: 'stale request signature',
    });
    expect(await verifyRequest(secret, request, await headersFor(Date.now() + tenMinutes))).toEqual({
      ok: false,
      reason: 'stale request signature',
    });
  });

  it('signs binary bodies the same as their text', async () => {
    const headers = await headersFor();
    const binary = { ...request, body: new TextEncoder().encode(request.body) };
    expect(await verifyRequest(secret, binary, headers)).toEqual({ ok: true });
  });
});
