import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeResult, stubGpuService } from '../../../test/gpu-stub.js';
import app from '../../index.js';

/** A body streamed in chunks with no Content-Length, as `curl -T -` or a chunked client sends it. */
function chunked(chunk: string, count: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(chunk);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent++ >= count) return controller.close();
      controller.enqueue(bytes);
    },
  });
}

async function post(path: string, body: BodyInit, type: string): Promise<Response> {
  return app.fetch(
    new Request(`http://edge.test${path}`, { method: 'POST', body, headers: { 'content-type': type } }),
    env,
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('body caps hold without Content-Length and for repeated fields', () => {
  it('refuses a chunked urlencoded or JSON transcription body over the cap with 413', async () => {
    const gpu = stubGpuService(() => Response.json(fakeResult('never')));
    const form = await post(
      '/v1/audio/transcriptions',
      chunked(`prompt=${'a'.repeat(8186)}&`, 64),
      'application/x-www-form-urlencoded',
    );
    expect(form.status).toBe(413);
    expect(await form.json()).toMatchObject({ error: { code: 'body_too_large' } });
    const json = await post('/v1/audio/transcriptions', chunked(' '.repeat(8192), 64), 'application/json');
    expect(json.status).toBe(413);
    expect(gpu.calls).toHaveLength(0);
  });

  it('refuses thousands of repeated multipart fields with 413 and stores nothing', async () => {
    const form = new FormData();
    form.append(
      'file',
      new File([new Uint8Array([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 0x22, 1, 2])], 'a.flac'),
    );
    for (let i = 0; i < 1000; i++) form.append('timestamp_granularities[]', 'word'.repeat(100));
    const before = (await env.UPLOADS.list()).objects.length;
    const response = await app.fetch(
      new Request('http://edge.test/v1/audio/transcriptions', { method: 'POST', body: form }),
      env,
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'fields_too_large' } });
    expect((await env.UPLOADS.list()).objects.length).toBe(before);
  });

  it('refuses a chunked JSON body to the upload routes over 1 MiB with 413', async () => {
    for (const path of [
      '/v1/uploads/s3/multipart',
      '/v1/uploads/s3/multipart/abc/complete?key=uploads%2Fx.flac',
    ]) {
      const response = await post(path, chunked(' '.repeat(65_536), 20), 'application/json');
      expect(response.status, path).toBe(413);
    }
  });
});
