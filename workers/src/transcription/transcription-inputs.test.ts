import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeResult, stubGpuService } from '../../test/gpu-stub.js';
import app from '../index.js';

const audio = new Uint8Array(3000).map((_, i) => (i * 13) % 256);

afterEach(() => {
  vi.restoreAllMocks();
});

async function call(body: BodyInit, headers: Record<string, string> = {}, bindings: Cloudflare.Env = env) {
  return app.fetch(
    new Request('http://edge.test/v1/audio/transcriptions', { method: 'POST', body, headers }),
    bindings,
  );
}

const urlencoded = (fields: Record<string, string>) =>
  [new URLSearchParams(fields).toString(), { 'content-type': 'application/x-www-form-urlencoded' }] as const;

async function errorOf(response: Response) {
  return (
    (await response.json()) as { error: { message: string; param: string | null; code: string | null } }
  ).error;
}

describe('transcription input modes', () => {
  it('transcribes an R2 object named by storage_key, sent urlencoded as in the guide', async () => {
    await env.UPLOADS.put('uploads/20241201_143022_123456.wav', audio);
    const gpu = stubGpuService(() => Response.json(fakeResult('from r2')));
    const response = await call(
      ...urlencoded({ storage_key: 'uploads/20241201_143022_123456.wav', response_format: 'verbose_json' }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ text: 'from r2', duration: 2.5 });
    expect(gpu.calls[0]!.audio).toEqual(audio);
    expect(gpu.calls[0]!.audioSource).toBe('edge');
  });

  it('accepts a JSON body too', async () => {
    await env.UPLOADS.put('uploads/json.wav', audio);
    stubGpuService(() => Response.json(fakeResult('json body')));
    const response = await call(
      JSON.stringify({ storage_key: 'uploads/json.wav', response_format: 'text' }),
      {
        'content-type': 'application/json',
      },
    );
    expect(await response.text()).toBe('json body\n');
  });

  it('answers 404 "File not found in R2" for a missing storage_key', async () => {
    const gpu = stubGpuService(() => Response.json(fakeResult('x')));
    const response = await call(...urlencoded({ storage_key: 'uploads/nope.wav' }));
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toMatchObject({ message: 'File not found in R2', param: 'storage_key' });
    expect(gpu.calls).toHaveLength(0);
  });

  it('needs exactly one input, naming the rule', async () => {
    const none = await call(...urlencoded({ response_format: 'json' }));
    expect(none.status).toBe(400);
    expect((await errorOf(none)).message).toMatch(/^Provide exactly one audio input: .* \(got none\)$/);

    const form = new FormData();
    form.append('file', new File([audio], 'a.wav'));
    form.append('storage_key', 'uploads/x.wav');
    const before = (await env.UPLOADS.list()).objects.length;
    const two = await call(form);
    expect(two.status).toBe(400);
    expect((await errorOf(two)).message).toContain('(got file and storage_key)');
    expect((await env.UPLOADS.list()).objects.length).toBe(before);
  });

  it('refuses keys with traversal', async () => {
    const response = await call(...urlencoded({ storage_key: 'uploads/../secrets.wav' }));
    expect(response.status).toBe(400);
  });

  it('keeps tenants apart: another key’s object is 403, even if it exists', async () => {
    const bindings = { ...env, API_KEYS: 'alice:ka-1111111111111111, bob:kb-2222222222222222' };
    await env.UPLOADS.put('tenants/alice/uploads/a.wav', audio);
    stubGpuService(() => Response.json(fakeResult('alice only')));
    const [body, headers] = urlencoded({ storage_key: 'tenants/alice/uploads/a.wav' });
    const asBob = await call(body, { ...headers, authorization: 'Bearer kb-2222222222222222' }, bindings);
    expect(asBob.status).toBe(403);
    expect(await errorOf(asBob)).toMatchObject({ message: 'Access denied to R2 bucket' });
    const asAlice = await call(body, { ...headers, authorization: 'Bearer ka-1111111111111111' }, bindings);
    expect(asAlice.status).toBe(200);
    const anonymous = await call(body, headers, bindings);
    expect(anonymous.status).toBe(401);
  });

  it('forwards a valid pre-signed https URL as an external source', async () => {
    const gpu = stubGpuService(() => Response.json(fakeResult('from s3')));
    const url =
      'https://bucket.s3.amazonaws.com/file.wav?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc';
    const response = await call(...urlencoded({ s3_presigned_url: url, response_format: 'json' }));
    expect(await response.json()).toEqual({ text: 'from s3', usage: { type: 'duration', seconds: 3 } });
    expect(gpu.calls[0]).toMatchObject({ audioUrl: url, audioSource: 'external' });
  });

  it.each([
    ['http://bucket.s3.amazonaws.com/a.wav', 'only https URLs are accepted'],
    ['https://user:pass@bucket.s3.amazonaws.com/a.wav', 'credentials in the URL are not accepted'],
    ['not a url', 'not a URL'],
  ])('rejects the pre-signed URL %s', async (url, reason) => {
    const response = await call(...urlencoded({ s3_presigned_url: url }));
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({
      param: 's3_presigned_url',
      message: expect.stringContaining(reason),
    });
  });

  it('applies the host allow-list when one is configured', async () => {
    const bindings = { ...env, S3_URL_ALLOWED_HOSTS: '*.amazonaws.com, storage.example.com' };
    stubGpuService(() => Response.json(fakeResult('ok')));
    const [okBody, okHeaders] = urlencoded({ s3_presigned_url: 'https://b.s3.amazonaws.com/a.wav' });
    const allowed = await call(okBody, okHeaders, bindings);
    expect(allowed.status).toBe(200);
    const [badBody, badHeaders] = urlencoded({ s3_presigned_url: 'https://evil.example.net/a.wav' });
    const denied = await call(badBody, badHeaders, bindings);
    expect(denied.status).toBe(400);
    expect((await errorOf(denied)).message).toContain('host evil.example.net is not allowed');
  });

  it('rejects other content types', async () => {
    const response = await call('storage_key=x', { 'content-type': 'text/plain' });
    expect(response.status).toBe(400);
  });
});
