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

  it('covers the request id: sent as x-request-id, a stripped, swapped or added id fails the check', async () => {
    const traced = { ...request, requestId: 'req_trace-1' };
    const signed = await signRequest(secret, traced);
    expect(signed['x-request-id']).toBe('req_trace-1');
    const headers = { timestamp: signed[TIMESTAMP_HEADER], signature: signed[SIGNATURE_HEADER] };
    expect(await verifyRequest(secret, traced, headers)).toEqual({ ok: true });
    for (const requestId of [undefined, 'req_trace-2']) {
      expect(await verifyRequest(secret, { ...request, requestId }, headers)).toEqual({
        ok: false,
        reason: 'invalid request signature',
      });
    }
    expect(await verifyRequest(secret, traced, await headersFor())).toEqual({
      ok: false,
      reason: 'invalid request signature',
    });
  });
});
