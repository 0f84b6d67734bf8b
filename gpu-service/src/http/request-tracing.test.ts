import { createReadStream, statSync } from 'node:fs';
import { createLogger } from '@whisper-edge/shared/logging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFiles, startServer, type TestServer } from '../../test/file-server.js';
import { speechFlac } from '../../test/fixtures.js';
import { createTestApp, signedTranscribeRequest, testSecret } from '../../test/test-app.js';

const lines: Record<string, unknown>[] = [];
const app = createTestApp({ log: createLogger('gpu-service', (line) => lines.push(JSON.parse(line))) });
let files: TestServer;

beforeAll(async () => {
  files = await serveFiles({ '/speech.flac': speechFlac });
});
afterAll(() => files.close());

describe('request tracing on the GPU service', () => {
  it('tells our own store which request an audio download serves, and a caller’s URL nothing', async () => {
    const seen: (string | undefined)[] = [];
    const store = await startServer((req, res) => {
      seen.push(req.headers['x-request-id'] as string | undefined);
      res.writeHead(200, { 'content-length': String(statSync(speechFlac).size) });
      createReadStream(speechFlac).pipe(res);
    });
    // External sources must be https and public: the test service allows its loopback stand-in.
    const permissive = createTestApp({
      env: { ALLOW_PRIVATE_AUDIO_URLS: 'true' },
      log: createLogger('gpu-service', () => undefined),
    });
    try {
      for (const audio_source of ['edge', 'external'] as const) {
        const response = await signedTranscribeRequest(
          permissive,
          { audio_url: `${store.url}/speech.flac`, audio_source, options: {} },
          testSecret,
          Date.now(),
          `download-${audio_source}`,
        );
        expect(response.status).toBe(200);
      }
      expect(seen).toEqual(['download-edge', undefined]);
    } finally {
      await store.close();
    }
  });

  it("logs a signed call's work under the edge's request id (and its job id) and answers with it", async () => {
    lines.length = 0;
    const response = await signedTranscribeRequest(
      app,
      { audio_url: `${files.url}/speech.flac`, options: {}, job_id: 'job_trace' },
      testSecret,
      Date.now(),
      'edge-req-9',
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('edge-req-9');
    const mine = lines.filter((l) => l.request_id === 'edge-req-9');
    expect(mine.map((l) => l.msg)).toEqual(['transcribe', 'transcribed', 'request']);
    expect(mine.find((l) => l.msg === 'transcribed')).toMatchObject({
      service: 'gpu-service',
      job_id: 'job_trace',
      device: 'cpu',
    });
    expect(mine.find((l) => l.msg === 'request')).toMatchObject({
      path: '/internal/transcribe',
      status: 200,
    });
    expect(lines.every((l) => typeof l.request_id === 'string')).toBe(true);
  });

  it('refuses a call whose request id was swapped after signing, and names the id in the error', async () => {
    const body = JSON.stringify({ audio_url: `${files.url}/speech.flac` });
    const { signRequest } = await import('@whisper-edge/shared');
    const headers = await signRequest(testSecret, {
      method: 'POST',
      path: '/internal/transcribe',
      body,
      requestId: 'original-id',
    });
    const response = await app.request('/internal/transcribe', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers, 'x-request-id': 'forged-id' },
      body,
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: { message: 'invalid request signature' },
      request_id: 'forged-id',
    });
  });
});
