import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import app from '../../index.js';

const withKeys = { ...env, API_KEYS: 'alice:key-alice-0123456789, key-bob-0123456789' };
const flac = new Uint8Array(5000);
flac.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0x00, 0x00, 0x22], 0);

async function uploadAs(key: string | undefined, bindings: object = withKeys): Promise<Response> {
  const form = new FormData();
  form.append('file', new File([flac], 'a.flac'));
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  return app.fetch(
    new Request('http://edge.test/v1/uploads', { method: 'POST', body: form, headers }),
    bindings,
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('API keys', () => {
  it('leaves /health open', async () => {
    // The GPU service is not reachable from workerd: /health's probe of it is stubbed.
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(Response.json({ device: 'cpu', model_loaded: true }));
    const response = await app.fetch(new Request('http://edge.test/health'), withKeys);
    expect(response.status).toBe(200);
  });

  it('answers 401 in the OpenAI shape without a key or with a wrong one', async () => {
    for (const key of [undefined, 'key-mallory']) {
      const response = await uploadAs(key);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        error: { type: 'authentication_error', code: 'invalid_api_key' },
      });
    }
  });

  it('files each key’s uploads under its own tenant root, never showing the key', async () => {
    const alice = (await (await uploadAs('key-alice-0123456789')).json()) as { key: string };
    expect(alice.key).toMatch(/^tenants\/alice\/uploads\//);
    const bob = (await (await uploadAs('key-bob-0123456789')).json()) as { key: string };
    expect(bob.key).toMatch(/^tenants\/k[0-9a-f]{15}\/uploads\//);
    expect(bob.key).not.toContain('key-bob');
  });

  it('admits a bare base64 key ending in == by the whole key, never by "="', async () => {
    // The shape `openssl rand -base64 16` prints; it was once read as a tenant whose key was "=".
    const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
    expect(key.endsWith('==')).toBe(true);
    const bindings = { ...env, API_KEYS: key };
    expect((await uploadAs('=', bindings)).status).toBe(401);
    const response = await uploadAs(key, bindings);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { key: string }).key).toMatch(/^tenants\/k[0-9a-f]{15}\/uploads\//);
  });

  it('admits nobody, with a clear 500, when API_KEYS does not parse', async () => {
    const bindings = { ...env, API_KEYS: 'alice:short' };
    const response = await uploadAs('short', bindings);
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { message: string; code: string } };
    expect(body.error.code).toBe('server_misconfigured');
    expect(body.error.message).toMatch(/API_KEYS is not valid: entry 1 of 1 has a key of 5 characters/);
  });

  it('changes nothing when no keys are configured', async () => {
    const form = new FormData();
    form.append('file', new File([flac], 'a.flac'));
    const response = await app.fetch(
      new Request('http://edge.test/v1/uploads', { method: 'POST', body: form }),
      env,
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as { key: string }).key).toMatch(/^uploads\//);
  });
});
