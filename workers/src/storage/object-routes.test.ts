import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import app from '../index.js';
import { signObjectUrl } from './object-urls.js';

const data = new Uint8Array(1000).map((_, i) => i % 256);

async function signed(key: string, ttlSeconds = 60): Promise<string> {
  return signObjectUrl('http://edge.test', env.OBJECT_URL_SECRET!, key, { ttlSeconds });
}

beforeEach(async () => {
  await env.UPLOADS.put('uploads/a.wav', data, { httpMetadata: { contentType: 'audio/wav' } });
});

describe('signed object route', () => {
  it('refuses URLs signed with the GPU secret: a GPU host cannot mint access to other objects', async () => {
    expect(env.OBJECT_URL_SECRET).not.toBe(env.GPU_SHARED_SECRET);
    const forged = await signObjectUrl('http://edge.test', env.GPU_SHARED_SECRET!, 'uploads/a.wav', {
      ttlSeconds: 60,
    });
    expect((await app.fetch(new Request(forged), env)).status).toBe(403);
    const forgedPut = await signObjectUrl('http://edge.test', env.GPU_SHARED_SECRET!, 'uploads/b.wav', {
      method: 'PUT',
      ttlSeconds: 60,
    });
    const put = await app.fetch(
      new Request(forgedPut, { method: 'PUT', body: 'x', headers: { 'content-length': '1' } }),
      env,
    );
    expect(put.status).toBe(403);
    expect(await env.UPLOADS.head('uploads/b.wav')).toBeNull();
  });

  it('streams the object with its content type and length', async () => {
    const response = await app.fetch(new Request(await signed('uploads/a.wav')), env);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/wav');
    expect(response.headers.get('content-length')).toBe('1000');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(data);
  });

  it('serves byte ranges so decoders can seek', async () => {
    const url = await signed('uploads/a.wav');
    const response = await app.fetch(new Request(url, { headers: { range: 'bytes=100-199' } }), env);
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(data.slice(100, 200));
    const suffix = await app.fetch(new Request(url, { headers: { range: 'bytes=-10' } }), env);
    expect(suffix.headers.get('content-range')).toBe('bytes 990-999/1000');
  });

  it('answers 416 with the size for ranges outside the object or backwards, and clamps long ones', async () => {
    const url = await signed('uploads/a.wav');
    for (const range of ['bytes=10-5', 'bytes=1000-', 'bytes=5000-6000', 'bytes=-0']) {
      const response = await app.fetch(new Request(url, { headers: { range } }), env);
      expect(response.status, range).toBe(416);
      expect(response.headers.get('content-range')).toBe('bytes */1000');
      expect(await response.json()).toMatchObject({ error: { code: 'range_not_satisfiable' } });
    }
    const clamped = await app.fetch(new Request(url, { headers: { range: 'bytes=990-5000' } }), env);
    expect(clamped.status).toBe(206);
    expect(clamped.headers.get('content-range')).toBe('bytes 990-999/1000');
    const longSuffix = await app.fetch(new Request(url, { headers: { range: 'bytes=-5000' } }), env);
    expect(longSuffix.headers.get('content-range')).toBe('bytes 0-999/1000');
    // Not a byte range at all: the whole object, as RFC 9110 says.
    const ignored = await app.fetch(new Request(url, { headers: { range: 'items=1-2' } }), env);
    expect(ignored.status).toBe(200);
  });

  it('answers 400 for a malformed percent-escape in the key', async () => {
    for (const method of ['GET', 'PUT']) {
      const response = await app.fetch(
        new Request('http://edge.test/internal/objects/uploads/%E0%A4%A.wav?expires=1&signature=00', {
          method,
          ...(method === 'PUT' ? { body: 'x' } : {}),
        }),
        env,
      );
      expect(response.status, method).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_object_key' } });
    }
  });

  it('answers HEAD without a body', async () => {
    const response = await app.fetch(new Request(await signed('uploads/a.wav'), { method: 'HEAD' }), env);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('1000');
  });

  it('refuses unsigned, tampered and expired URLs', async () => {
    const unsigned = await app.fetch(new Request('http://edge.test/internal/objects/uploads/a.wav'), env);
    expect(unsigned.status).toBe(401);
    const tampered = (await signed('uploads/a.wav')).replace('uploads/a.wav', 'uploads/b.wav');
    expect((await app.fetch(new Request(tampered), env)).status).toBe(403);
    const expired = await app.fetch(new Request(await signed('uploads/a.wav', -1)), env);
    expect(expired.status).toBe(403);
  });

  it('answers 404 in the guide wording for a missing object', async () => {
    const response = await app.fetch(new Request(await signed('uploads/missing.wav')), env);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      'File not found in R2',
    );
  });
});
