import { describe, expect, it } from 'vitest';
import { signObjectUrl, verifyObjectUrl } from './object-urls.js';

const secret = 's3cret';

describe('object URLs', () => {
  it('never lets a signature for one key pass for another key plus a part', async () => {
    // With fields joined by newlines, a PUT of "a\n<T>\nu" signed until E read the same as a PUT of
    // part E of upload "u" of key "a" until T.
    const now = Date.now();
    const partExpires = Math.floor(now / 1000) + 600;
    const forged = `a\n${partExpires}\nu`;
    const plain = new URL(
      await signObjectUrl('http://edge.test', secret, forged, { method: 'PUT', ttlSeconds: 60, now }),
    );
    const asPart = new URLSearchParams({
      method: 'PUT',
      uploadId: 'u',
      partNumber: plain.searchParams.get('expires')!,
      expires: String(partExpires),
      signature: plain.searchParams.get('signature')!,
    });
    expect(await verifyObjectUrl(secret, 'a', 'PUT', asPart, now)).toMatchObject({ ok: false, status: 403 });
  });

  it('round-trips a key with spaces and slashes', async () => {
    const url = new URL(
      await signObjectUrl('http://edge.test', secret, 'uploads/a b/c.wav', { ttlSeconds: 60 }),
    );
    expect(url.pathname).toBe('/internal/objects/uploads/a%20b/c.wav');
    const key = decodeURIComponent(url.pathname.slice('/internal/objects/'.length));
    expect(await verifyObjectUrl(secret, key, 'GET', url.searchParams)).toEqual({ ok: true });
  });

  it('refuses another key, another method, a tampered expiry or an expired URL', async () => {
    const url = new URL(await signObjectUrl('http://edge.test', secret, 'uploads/a.wav', { ttlSeconds: 60 }));
    expect(await verifyObjectUrl(secret, 'uploads/b.wav', 'GET', url.searchParams)).toMatchObject({
      status: 403,
    });
    expect(await verifyObjectUrl(secret, 'uploads/a.wav', 'PUT', url.searchParams)).toMatchObject({
      status: 401,
    });
    const later = new URLSearchParams(url.searchParams);
    later.set('expires', String(Number(later.get('expires')) + 3600));
    expect(await verifyObjectUrl(secret, 'uploads/a.wav', 'GET', later)).toMatchObject({ status: 403 });
    const inTwoMinutes = Date.now() + 120_000;
    expect(await verifyObjectUrl(secret, 'uploads/a.wav', 'GET', url.searchParams, inTwoMinutes)).toEqual({
      ok: false,
      status: 403,
      reason: 'Object URL has expired',
    });
  });
});
