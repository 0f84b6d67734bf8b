import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeResult, stubGpuService } from '../../test/gpu-stub.js';
import app from '../index.js';

const audio = new Uint8Array(2000).map((_, i) => i % 256);

afterEach(() => {
  vi.restoreAllMocks();
});

async function transcribe(fields: Record<string, string>, bindings: Cloudflare.Env = env) {
  await env.UPLOADS.put('uploads/in.wav', audio);
  const body = new URLSearchParams({ storage_key: 'uploads/in.wav', ...fields });
  return app.fetch(
    new Request('http://edge.test/v1/audio/transcriptions', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
    bindings,
  );
}

describe('result export', () => {
  it('stores the formatted result at output_key in the bound bucket (guide example 1)', async () => {
    const gpu = stubGpuService(() => Response.json(fakeResult('exported words')));
    const response = await transcribe({
      output_key: 'transcriptions/result.json',
      stored_output: 'true',
      enable_diarization: 'true',
      response_format: 'verbose_json',
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      text: 'exported words',
      storage_url: 's3://default-uploads/transcriptions/result.json',
    });
    expect(gpu.calls[0]!.resultTarget).toMatchObject({ format: 'verbose_json' });
    const stored = await env.UPLOADS.get('transcriptions/result.json');
    expect(JSON.parse(await stored!.text())).toMatchObject({ text: 'exported words', task: 'transcribe' });
    expect(stored!.httpMetadata?.contentType).toMatch(/^application\/json/);
  });

  it('generates a key with the format’s extension when none is given, and tells where via a header for srt', async () => {
    stubGpuService(() => Response.json(fakeResult('subtitle words')));
    const response = await transcribe({ stored_output: 'true', response_format: 'srt' });
    expect(response.status).toBe(200);
    const storageUrl = response.headers.get('x-storage-url')!;
    expect(storageUrl).toMatch(/^s3:\/\/default-uploads\/transcriptions\/\d{8}_\d{6}_[0-9a-f]{12}\.srt$/);
    const stored = await env.UPLOADS.get(storageUrl.replace('s3://default-uploads/', ''));
    expect(await stored!.text()).toBe(await response.text());
  });

  it('signs R2 exports with R2’s S3 API when its credentials are configured', async () => {
    const bindings = {
      ...env,
      R2_ENDPOINT: 'https://acct.r2.cloudflarestorage.com',
      R2_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      R2_SECRET_ACCESS_KEY: 'secret',
      EXPORT_BUCKETS: 'default-uploads, meeting-archives',
    };
    const gpu = stubGpuService(() => Response.json(fakeResult('x', { ok: true, bytes: 10 })));
    const response = await transcribe(
      { output_bucket: 'meeting-archives', output_use_r2: 'true', response_format: 'srt' },
      bindings,
    );
    expect(response.status).toBe(200);
    const target = new URL(gpu.calls[0]!.resultTarget!.url);
    expect(target.origin).toBe('https://acct.r2.cloudflarestorage.com');
    expect(target.pathname).toMatch(/^\/meeting-archives\/transcriptions\/.+\.srt$/);
    expect(target.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(target.searchParams.get('X-Amz-Credential')).toMatch(
      /^AKIDEXAMPLE\/\d{8}\/auto\/s3\/aws4_request$/,
    );
    // The audio, too, is read straight from R2 through a pre-signed GET.
    expect(new URL(gpu.calls[0]!.audioUrl).pathname).toBe('/default-uploads/uploads/in.wav');
    expect(response.headers.get('x-storage-url')).toMatch(/^s3:\/\/meeting-archives\//);
  });

  it('refuses exports to buckets not in EXPORT_BUCKETS with 403 naming the setting', async () => {
    const credentials = {
      ...env,
      R2_ENDPOINT: 'https://acct.r2.cloudflarestorage.com',
      R2_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      R2_SECRET_ACCESS_KEY: 'secret',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
    };
    const gpu = stubGpuService(() => Response.json(fakeResult('x', { ok: true, bytes: 1 })));
    for (const [fields, bindings] of [
      [{ output_bucket: 'someone-elses', output_use_r2: 'true' }, credentials],
      [{ output_bucket: 'someone-elses' }, credentials],
      [
        { output_bucket: 'meeting-archives', output_use_r2: 'true' },
        { ...credentials, EXPORT_BUCKETS: 'other' },
      ],
    ] as const) {
      const response = await transcribe(fields, bindings);
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({
        error: {
          code: 'export_bucket_not_allowed',
          param: 'output_bucket',
          message: expect.stringContaining('EXPORT_BUCKETS'),
        },
      });
    }
    expect(gpu.calls).toHaveLength(0);
    // The bound bucket is allowed by default; `*` allows any.
    expect((await transcribe({ stored_output: 'true' }, credentials)).status).toBe(200);
    expect(
      (await transcribe({ output_bucket: 'anything' }, { ...credentials, EXPORT_BUCKETS: '*' })).status,
    ).toBe(200);
  });

  it('answers "R2 client not configured" for an unbound R2 bucket without R2 credentials', async () => {
    const gpu = stubGpuService(() => Response.json(fakeResult('x')));
    const response = await transcribe({ output_bucket: 'results-bucket', output_use_r2: 'true' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { message: 'R2 client not configured' } });
    expect(gpu.calls).toHaveLength(0);
  });

  it('answers "S3 client not configured" for S3 exports without AWS credentials (guide example 2)', async () => {
    const response = await transcribe({
      output_bucket: 'enterprise-transcriptions',
      output_key: 'meetings/2024/dec/meeting_001_transcript.json',
      output_use_r2: 'false',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { message: 'S3 client not configured' } });
  });

  it('signs S3 exports for the configured endpoint and region', async () => {
    const bindings = {
      ...env,
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_DEFAULT_REGION: 'eu-west-1',
      EXPORT_BUCKETS: 'enterprise-transcriptions',
    };
    const gpu = stubGpuService(() => Response.json(fakeResult('x', { ok: true, bytes: 1 })));
    const response = await transcribe(
      { output_bucket: 'enterprise-transcriptions', output_key: 'meetings/m1.json' },
      bindings,
    );
    expect(await response.json()).toMatchObject({
      storage_url: 's3://enterprise-transcriptions/meetings/m1.json',
    });
    const target = new URL(gpu.calls[0]!.resultTarget!.url);
    expect(target.origin).toBe('https://s3.eu-west-1.amazonaws.com');
    expect(target.pathname).toBe('/enterprise-transcriptions/meetings/m1.json');
    expect(target.searchParams.get('X-Amz-Credential')).toContain('/eu-west-1/s3/aws4_request');
  });

  it('still returns the transcript, with the error, when the export fails', async () => {
    stubGpuService(() => Response.json(fakeResult('kept words', { ok: false, error: 'upstream HTTP 403' })));
    const response = await transcribe({ stored_output: 'true' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      text: 'kept words',
      usage: { type: 'duration', seconds: 3 },
      export_error: 'upstream HTTP 403',
    });
  });

  it('keeps export keys inside the caller’s tenant root', async () => {
    const bindings = { ...env, API_KEYS: 'alice:ka-9999999999999999' };
    stubGpuService(() => Response.json(fakeResult('x')));
    await env.UPLOADS.put('tenants/alice/uploads/in.wav', audio);
    const response = await app.fetch(
      new Request('http://edge.test/v1/audio/transcriptions', {
        method: 'POST',
        body: new URLSearchParams({
          storage_key: 'tenants/alice/uploads/in.wav',
          output_key: 'tenants/bob/x.json',
        }),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: 'Bearer ka-9999999999999999',
        },
      }),
      bindings,
    );
    expect(response.status).toBe(403);
  });

  it('rejects a malformed boolean', async () => {
    const response = await transcribe({ stored_output: 'maybe' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { param: 'stored_output' } });
  });
});
