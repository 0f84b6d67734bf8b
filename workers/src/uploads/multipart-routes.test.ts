import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import app from '../index.js';

const MiB = 1024 * 1024;

function audioBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size).map((_, i) => (i * 7 + (i >> 12)) % 256);
  bytes.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0x00, 0x00, 0x22], 0); // fLaC
  return bytes;
}

async function sha256(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as ArrayBuffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function api(path: string, init: RequestInit = {}, bindings: Cloudflare.Env = env): Promise<Response> {
  return app.fetch(new Request(`http://edge.test${path}`, init), bindings);
}

async function json<T>(response: Response): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
}

/** PUTs bytes as a fixed-length stream, as a browser's request with Content-Length arrives. */
async function putPart(url: string, bytes: Uint8Array, failAfter?: number): Promise<Response> {
  const stream = new FixedLengthStream(bytes.length);
  const writer = stream.writable.getWriter();
  const writing = (async () => {
    if (failAfter === undefined) {
      await writer.write(bytes);
      await writer.close();
    } else {
      await writer.write(bytes.slice(0, failAfter));
      await writer.abort(new Error('connection dropped'));
    }
  })().catch(() => undefined);
  const request = new Request(url, {
    method: 'PUT',
    body: stream.readable,
    headers: { 'content-length': String(bytes.length) },
  });
  const response = await Promise.resolve(app.fetch(request, env)).catch(
    (error: Error) => new Response(error.message, { status: 599 }),
  );
  // A route that answers without reading the body (a refused signature) leaves the writer waiting.
  await writer.abort().catch(() => undefined);
  await writing;
  return response;
}

async function create(bindings: Cloudflare.Env = env) {
  return json<{ key: string; uploadId: string }>(
    await api(
      '/v1/uploads/s3/multipart',
      {
        method: 'POST',
        body: JSON.stringify({ filename: 'big.flac', type: 'audio/flac' }),
        headers: { 'content-type': 'application/json' },
      },
      bindings,
    ),
  );
}

async function partUrl(uploadId: string, key: string, n: number): Promise<string> {
  return (
    await json<{ url: string }>(
      await api(`/v1/uploads/s3/multipart/${uploadId}/${n}?key=${encodeURIComponent(key)}`),
    )
  ).url;
}

describe('multipart uploads (Uppy @uppy/aws-s3 endpoints)', () => {
  it('uploads parts, resumes after an interrupted part, and completes with the exact bytes', async () => {
    const source = audioBytes(12 * MiB + 333);
    const parts = [source.slice(0, 5 * MiB), source.slice(5 * MiB, 10 * MiB), source.slice(10 * MiB)];
    const { key, uploadId } = await create();
    expect(key).toMatch(/^uploads\/\d{8}_\d{6}_[0-9a-f]{12}\.flac$/);

    const urls = await Promise.all([1, 2, 3].map((n) => partUrl(uploadId, key, n)));
    expect(new URL(urls[0]!).pathname).toBe(`/internal/objects/${key}`);
    const etags: Record<number, string> = {};
    for (const n of [1, 3]) {
      const response = await putPart(urls[n - 1]!, parts[n - 1]!);
      expect(response.status).toBe(200);
      etags[n] = response.headers.get('etag')!;
    }
    const dropped = await putPart(urls[1]!, parts[1]!, MiB);
    expect(dropped.status).not.toBe(200);

    // What a resuming client sees: only whole parts.
    const listed = await json<Array<{ PartNumber: number; Size: number; ETag: string }>>(
      await api(`/v1/uploads/s3/multipart/${uploadId}?key=${encodeURIComponent(key)}`),
    );
    expect(listed.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, 5 * MiB],
      [3, 2 * MiB + 333],
    ]);

    const resent = await putPart(urls[1]!, parts[1]!);
    etags[2] = resent.headers.get('etag')!;
    const done = await json<{ storage_url: string; file_size: number }>(
      await api(`/v1/uploads/s3/multipart/${uploadId}/complete?key=${encodeURIComponent(key)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ parts: [1, 2, 3].map((n) => ({ PartNumber: n, ETag: etags[n] })) }),
      }),
    );
    expect(done).toMatchObject({ storage_url: `s3://default-uploads/${key}`, file_size: source.length });
    const stored = await env.UPLOADS.get(key);
    expect(await sha256(await stored!.arrayBuffer())).toBe(await sha256(source));
    expect((await env.UPLOADS.list({ prefix: `.multipart-ledger/${uploadId}/` })).objects).toHaveLength(0);
  });

  it('refuses to complete when parts differ in size, naming the rule', async () => {
    const { key, uploadId } = await create();
    const sizes = [5 * MiB, 6 * MiB, MiB];
    const parts = [];
    for (const [i, size] of sizes.entries()) {
      const response = await putPart(await partUrl(uploadId, key, i + 1), audioBytes(size));
      parts.push({ PartNumber: i + 1, ETag: response.headers.get('etag')! });
    }
    const response = await api(
      `/v1/uploads/s3/multipart/${uploadId}/complete?key=${encodeURIComponent(key)}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ parts }),
      },
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      `All parts except the last must be the same size: part 2 is ${6 * MiB} bytes, part 1 is ${5 * MiB}`,
    );
  });

  it('aborts, leaving no object and no ledger', async () => {
    const { key, uploadId } = await create();
    await putPart(await partUrl(uploadId, key, 1), audioBytes(5 * MiB));
    const response = await api(`/v1/uploads/s3/multipart/${uploadId}?key=${encodeURIComponent(key)}`, {
      method: 'DELETE',
    });
    expect(response.status).toBe(200);
    expect(await env.UPLOADS.head(key)).toBeNull();
    expect((await env.UPLOADS.list({ prefix: `.multipart-ledger/${uploadId}/` })).objects).toHaveLength(0);
  });

  it('refuses upload ids outside the URL-safe token set with 400', async () => {
    for (const id of ['a%0Ab', 'a%20b', '%22quoted%22', 'x'.repeat(1100)]) {
      const response = await api(`/v1/uploads/s3/multipart/${id}/1?key=uploads%2Fa.flac`);
      expect(response.status, id).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { code: 'invalid_upload_id', param: 'uploadId' },
      });
    }
  });

  it('refuses a part URL whose part number was changed', async () => {
    const { key, uploadId } = await create();
    const url = new URL(await partUrl(uploadId, key, 1));
    url.searchParams.set('partNumber', '2');
    const response = await putPart(url.toString(), audioBytes(1000));
    expect(response.status).toBe(403);
  });

  it('keeps tenants apart', async () => {
    const bindings = { ...env, API_KEYS: 'alice:ka-5555555555555555, bob:kb-6666666666666666' };
    const auth = (k: string) => ({ authorization: `Bearer ${k}` });
    const created = await json<{ key: string; uploadId: string }>(
      await api(
        '/v1/uploads/s3/multipart',
        { method: 'POST', body: '{}', headers: auth('ka-5555555555555555') },
        bindings,
      ),
    );
    expect(created.key).toMatch(/^tenants\/alice\/uploads\//);
    const asBob = await api(
      `/v1/uploads/s3/multipart/${created.uploadId}/1?key=${encodeURIComponent(created.key)}`,
      { headers: auth('kb-6666666666666666') },
      bindings,
    );
    expect(asBob.status).toBe(403);
  });

  it('signs part URLs for R2’s S3 endpoint when configured, so parts never pass through the Worker', async () => {
    const bindings = {
      ...env,
      R2_ENDPOINT: 'https://acct.r2.cloudflarestorage.com',
      R2_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      R2_SECRET_ACCESS_KEY: 'secret',
    };
    const { key, uploadId } = await create(bindings);
    const { url } = await json<{ url: string }>(
      await api(`/v1/uploads/s3/multipart/${uploadId}/7?key=${encodeURIComponent(key)}`, {}, bindings),
    );
    const signed = new URL(url);
    expect(signed.origin).toBe('https://acct.r2.cloudflarestorage.com');
    expect(signed.pathname).toBe(`/default-uploads/${key}`);
    expect(signed.searchParams.get('partNumber')).toBe('7');
    expect(signed.searchParams.get('uploadId')).toBe(uploadId);
    expect(signed.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('pre-signs a single PUT for smaller files', async () => {
    const presigned = await json<{ method: string; url: string; key: string; storage_url: string }>(
      await api('/v1/uploads/presign', {
        method: 'POST',
        body: JSON.stringify({ filename: 'clip.wav', type: 'audio/wav' }),
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(presigned.key).toMatch(/^uploads\/.+\.wav$/);
    const bytes = audioBytes(4000);
    const put = await app.fetch(
      new Request(presigned.url, { method: 'PUT', body: bytes, headers: { 'content-length': '4000' } }),
      env,
    );
    expect(put.status).toBe(200);
    expect(await sha256(await (await env.UPLOADS.get(presigned.key))!.arrayBuffer())).toBe(
      await sha256(bytes),
    );
  });

  it('refuses non-audio content at completion with 415', async () => {
    const { key, uploadId } = await create();
    const response = await putPart(
      await partUrl(uploadId, key, 1),
      new TextEncoder().encode('%PDF-1.7 not audio'),
    );
    const complete = await api(
      `/v1/uploads/s3/multipart/${uploadId}/complete?key=${encodeURIComponent(key)}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ parts: [{ PartNumber: 1, ETag: response.headers.get('etag') }] }),
      },
    );
    expect(complete.status).toBe(415);
    expect(await env.UPLOADS.head(key)).toBeNull();
  });
});
