import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import app from '../../index.js';

function preflight(origin: string, bindings: Cloudflare.Env) {
  return app.fetch(
    new Request('http://edge.test/v1/uploads', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    }),
    bindings,
  );
}

describe('CORS', () => {
  it('allows configured origins, before auth, and exposes ETag', async () => {
    const bindings = { ...env, CORS_ORIGINS: 'https://app.example.com', API_KEYS: 'k-1234567890123456' };
    const response = await preflight('https://app.example.com', bindings);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    const simple = await app.fetch(
      new Request('http://edge.test/v1/uploads', {
        method: 'POST',
        headers: { origin: 'https://app.example.com' },
      }),
      bindings,
    );
    expect(simple.status).toBe(401);
    expect(simple.headers.get('access-control-expose-headers')).toContain('etag');
  });

  it('gives other origins nothing', async () => {
    const bindings = { ...env, CORS_ORIGINS: 'https://app.example.com' };
    const response = await preflight('https://evil.example.net', bindings);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('is off when not configured', async () => {
    const response = await preflight('https://app.example.com', env);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
