import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import app from '../index.js';

const flac = new Uint8Array(5000);
flac.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0x00, 0x00, 0x22], 0);
const keys = { ...env, API_KEYS: 'alice:alice-key-0123456789,bob:bob-key-0123456789' };

async function call(method: string, path: string, key: string, body?: FormData): Promise<Response> {
  return app.fetch(
    new Request(`http://edge.test${path}`, { method, body, headers: { authorization: `Bearer ${key}` } }),
    keys,
  );
}

async function uploadAs(key: string): Promise<string> {
  const form = new FormData();
  form.append('file', new File([flac], 'a.flac'));
  return ((await (await call('POST', '/v1/uploads', key, form)).json()) as { key: string }).key;
}

describe('DELETE /v1/uploads/{key}', () => {
  it('deletes the caller’s own upload, once', async () => {
    const key = await uploadAs('alice-key-0123456789');
    const deleted = await call('DELETE', `/v1/uploads/${key}`, 'alice-key-0123456789');
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toMatchObject({ key, deleted: true });
    expect(await env.UPLOADS.head(key)).toBeNull();
    const again = await call('DELETE', `/v1/uploads/${key}`, 'alice-key-0123456789');
    expect(again.status).toBe(404);
  });

  it('never deletes another tenant’s object, and refuses traversal', async () => {
    const key = await uploadAs('alice-key-0123456789');
    const asBob = await call('DELETE', `/v1/uploads/${key}`, 'bob-key-0123456789');
    expect(asBob.status).toBe(403);
    expect(await env.UPLOADS.head(key)).not.toBeNull();
    const sneaky = await call('DELETE', `/v1/uploads/tenants/bob/..%2F..%2F${key}`, 'bob-key-0123456789');
    expect(sneaky.status).toBe(400);
    expect(await env.UPLOADS.head(key)).not.toBeNull();
  });

  it('leaves the multipart abort route where it was', async () => {
    const response = await call('DELETE', '/v1/uploads/s3/multipart/abc?key=x', 'alice-key-0123456789');
    expect(await response.json()).not.toMatchObject({ deleted: true });
  });
});
