import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeResult, stubGpuService } from '../../test/gpu-stub.js';
import app from '../index.js';

const audio = new Uint8Array(4096).map((_, i) => (i * 7) % 256);

async function post(form: FormData): Promise<Response> {
  return await app.fetch(
    new Request('http://edge.test/v1/audio/transcriptions', { method: 'POST', body: form }),
    env,
  );
}

function audioForm(fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.append('file', new File([audio], 'clip.flac', { type: 'audio/flac' }));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
}

async function storedKeys(): Promise<string[]> {
  return (await env.UPLOADS.list()).objects.map((o) => o.key);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('POST /v1/audio/transcriptions', () => {
  it('keeps no audio uploaded for a sync request the GPU service refused as input', async () => {
    const before = await storedKeys();
    stubGpuService(() =>
      Response.json(
        {
          error: {
            message: 'The file could not be decoded as audio',
            type: 'invalid_request_error',
            code: 'invalid_audio',
            param: 'file',
          },
        },
        { status: 400 },
      ),
    );
    const response = await post(audioForm());
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_audio' } });
    expect(await storedKeys()).toEqual(before);
  });

  it('answers 400 for language names every object inherits', async () => {
    const gpu = stubGpuService(() => Response.json(fakeResult('never')));
    for (const language of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const response = await post(audioForm({ language }));
      expect(response.status, language).toBe(400);
      expect(await response.json()).toMatchObject({ error: { param: 'language' } });
    }
    expect(gpu.calls).toHaveLength(0);
  });

  it('stores the upload, hands the GPU service a signed URL to it and answers OpenAI json', async () => {
    const gpu = stubGpuService(() => Response.json(fakeResult('hello world')));
    const before = await storedKeys();
    const response = await post(audioForm({ model: 'whisper-1', language: 'EN' }));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ text: 'hello world', usage: { type: 'duration', seconds: 3 } });
    expect(gpu.calls).toHaveLength(1);
    const [call] = gpu.calls;
    expect(call!.signatureOk).toBe(true);
    expect(call!.audio).toEqual(audio);
    expect(call!.options).toEqual({ task: 'transcribe', language: 'en', model: 'whisper-1' });
    const keys = (await storedKeys()).filter((key) => !before.includes(key));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^uploads\/\d{8}_\d{6}_[0-9a-f]{12}\.flac$/);
    expect(call!.audioUrl).toContain(`/internal/objects/${keys[0]}`);
  });

  it('gives the GPU service the sync limits on audio length and time from the [vars]', async () => {
    const gpu = stubGpuService(() => Response.json(fakeResult('bounded')));
    expect((await post(audioForm())).status).toBe(200);
    expect(gpu.calls[0]!.limits).toEqual({
      max_audio_seconds: Number(env.MAX_SYNC_AUDIO_SECONDS),
      deadline_seconds: Number(env.SYNC_DEADLINE_SECONDS),
    });
  });

  it('passes the GPU service’s 413 for audio over the limit on to the caller and keeps no upload', async () => {
    const before = await storedKeys();
    stubGpuService(() =>
      Response.json(
        {
          error: {
            message:
              'Audio is longer than the 7200-second limit (MAX_AUDIO_SECONDS): decoding passed 7200 s.',
            type: 'invalid_request_error',
            code: 'audio_too_long',
            param: 'file',
          },
        },
        { status: 413 },
      ),
    );
    const response = await post(audioForm());
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'audio_too_long', param: 'file' } });
    expect(await storedKeys()).toEqual(before);
  });

  it('answers plain text for response_format=text, wherever the field sits in the form', async () => {
    stubGpuService(() => Response.json(fakeResult('plain words')));
    const form = new FormData();
    form.append('response_format', 'text');
    form.append('file', new File([audio], 'clip.wav'));
    const response = await post(form);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('plain words\n');
  });

  it('without a file answers 400 in the OpenAI error shape', async () => {
    const form = new FormData();
    form.append('model', 'whisper-1');
    const response = await post(form);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        message: "Provide exactly one audio input: 'file', 'storage_key' or 's3_presigned_url' (got none)",
        type: 'invalid_request_error',
        code: 'invalid_input',
        param: 'file',
      },
      request_id: response.headers.get('x-request-id'),
    });
  });

  it('rejects a non-multipart body with 400', async () => {
    const response = await app.fetch(
      new Request('http://edge.test/v1/audio/transcriptions', { method: 'POST', body: '{}' }),
      env,
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_content_type');
  });

  it('rejects an unknown response_format and does not keep the upload', async () => {
    const gpu = stubGpuService(() => Response.json(fakeResult('x')));
    const before = await storedKeys();
    const response = await post(audioForm({ response_format: 'docx' }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { param: string; message: string } };
    expect(body.error.param).toBe('response_format');
    expect(gpu.calls).toHaveLength(0);
    expect(await storedKeys()).toEqual(before);
  });

  it('passes the GPU service decode error through with its status', async () => {
    stubGpuService(() =>
      Response.json(
        {
          error: {
            message: 'could not decode audio: Invalid data',
            type: 'invalid_request_error',
            code: 'x',
            param: 'file',
          },
        },
        { status: 400 },
      ),
    );
    const response = await post(audioForm());
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /^could not decode audio/,
    );
  });

  it('answers 503 with a clear message when the GPU service is down', async () => {
    vi.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('Network connection lost.'));
    const response = await post(audioForm());
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { message: string; type: string } };
    // Both services of the test pool were tried; the message names the last.
    expect(body.error.message).toMatch(/^GPU service unavailable: could not reach http:\/\/gpu(-b)?\.test/);
    expect(body.error.type).toBe('service_unavailable');
  });

  it('treats a GPU service that refuses our signature as unavailable, not as a client error', async () => {
    stubGpuService(() =>
      Response.json(
        { error: { message: 'invalid request signature', type: 'authentication_error' } },
        { status: 401 },
      ),
    );
    const response = await post(audioForm());
    expect(response.status).toBe(503);
  });

  it('passes the GPU service’s 429 and Retry-After on to the caller', async () => {
    stubGpuService(
      () =>
        new Response(
          JSON.stringify({
            error: { message: 'The GPU service is at capacity; retry later', type: 'rate_limit_error' },
          }),
          { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '7' } },
        ),
    );
    const response = await post(audioForm());
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toMatchObject({ error: { type: 'rate_limit_error' } });
  });
});
