import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import app from '../index.js';

// A minimal but valid FLAC head: the signature and a STREAMINFO block header.
const flacBytes = new Uint8Array(20_000).map((_, i) => (i * 31) % 256);
flacBytes.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0x00, 0x00, 0x22], 0);

async function upload(file: File, fields: Record<string, string> = {}, headers: HeadersInit = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', file);
  return app.fetch(new Request('http://edge.test/v1/uploads', { method: 'POST', body: form, headers }), env);
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

describe('POST /v1/uploads', () => {
  it('streams the file into R2 and answers in the storage guide shape plus type and checksum', async () => {
    const response = await upload(new File([flacBytes], '../../etc/evil name.wav', { type: 'text/plain' }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 'success',
      bucket: 'default-uploads',
      file_size: flacBytes.length,
      content_type: 'audio/flac',
      sha256: await sha256(flacBytes),
    });
    // The key is generated, with the extension of what the bytes are, not what the name claims.
    expect(body.key).toMatch(/^uploads\/\d{8}_\d{6}_[0-9a-f]{12}\.flac$/);
    expect(body.storage_url).toBe(`s3://default-uploads/${body.key}`);
    const stored = await env.UPLOADS.get(body.key as string);
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(flacBytes);
    expect(stored!.httpMetadata?.contentType).toBe('audio/flac');
  });

  it('rejects bytes that are not audio or video with 415, whatever the declared type', async () => {
    const before = (await env.UPLOADS.list()).objects.length;
    const response = await upload(new File(['%PDF-1.7\n fake'], 'song.mp3', { type: 'audio/mpeg' }));
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: { code: 'unsupported_media_type', param: 'file' } });
    expect((await env.UPLOADS.list()).objects.length).toBe(before);
  });

  it('rejects an unknown bucket and keeps nothing', async () => {
    const before = (await env.UPLOADS.list()).objects.length;
    const response = await upload(new File([flacBytes], 'a.flac'), { bucket: 'someone-elses' });
    expect(response.status).toBe(400);
    expect((await env.UPLOADS.list()).objects.length).toBe(before);
  });

  it('accepts the bound bucket by name', async () => {
    const response = await upload(new File([flacBytes], 'a.flac'), { bucket: 'default-uploads' });
    expect(response.status).toBe(200);
  });

  it('needs a file', async () => {
    const form = new FormData();
    form.append('bucket', 'default-uploads');
    const response = await app.fetch(
      new Request('http://edge.test/v1/uploads', { method: 'POST', body: form }),
      env,
    );
    expect(response.status).toBe(400);
  });
});
