import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import app from '../index.js';

const withKeys = { ...env, API_KEYS: 'alice=key-alice-123, key-bob-456' };
const flac = new Uint8Array(5000);
flac.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0x00, 0x00, 0x22], 0);

async function uploadAs(key: string | undefined): Promise<Response> {
  const form = new FormData();
  form.append('file', new File([flac], 'a.flac'));
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  return app.fetch(
    new Request('http://edge.test/v1/uploads', { method: 'POST', body: form, headers }),
    withKeys,
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
    const alice = (await (await uploadAs('key-alice-123')).json()) as { key: string };
    expect(alice.key).toMatch(/^tenants\/alice\/uploads\//);
    const bob = (await (await uploadAs('key-bob-456')).json()) as { key: string };
    expect(bob.key).toMatch(/^tenants\/k[0-9a-f]{15}\/uploads\//);
    expect(bob.key).not.toContain('key-bob');
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
