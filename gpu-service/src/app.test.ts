import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFiles, startServer, type TestServer } from '../test/file-server.js';
import { probeDuration, speechFlac, testModelDir } from '../test/fixtures.js';
import { createTestApp, testSecret as secret, signedTranscribeRequest } from '../test/test-app.js';

const app = createTestApp();
let files: TestServer;

beforeAll(async () => {
  files = await serveFiles({
    '/speech.flac': speechFlac,
    '/not-audio.txt': new URL(import.meta.url).pathname,
  });
});
afterAll(() => files.close());

const signedTranscribe = (payload: unknown, signWith = secret, now = Date.now()) =>
  signedTranscribeRequest(app, payload, signWith, now);

describe('GPU service', () => {
  it('refuses unsigned, wrongly signed and stale calls with 401', async () => {
    const unsigned = await app.request('/internal/transcribe', { method: 'POST', body: '{}' });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: { message: 'missing request signature' } });
    expect((await signedTranscribe({}, 'another-secret-entirely')).status).toBe(401);
    expect((await signedTranscribe({}, secret, Date.now() - 3_600_000)).status).toBe(401);
  });

  it('transcribes a streamed FLAC with the generated model into the canonical result', async () => {
    const response = await signedTranscribe({ audio_url: `${files.url}/speech.flac`, options: {} });
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as {
      result: {
        text: string;
        duration: number;
        task: string;
        segments: Array<{ id: number; start: number; end: number; text: string }>;
      };
    };
    expect(result.task).toBe('transcribe');
    expect(Math.abs(result.duration - probeDuration(speechFlac))).toBeLessThanOrEqual(0.1);
    expect(result.text.length).toBeGreaterThan(0);
    for (const segment of result.segments) {
      expect(segment.start).toBeGreaterThanOrEqual(0);
      expect(segment.end).toBeGreaterThanOrEqual(segment.start);
      expect(segment.end).toBeLessThanOrEqual(result.duration);
    }
    // Greedy decoding with fixed weights: the same audio gives the same text.
    const again = (await (await signedTranscribe({ audio_url: `${files.url}/speech.flac` })).json()) as {
      result: { text: string };
    };
    expect(again.result.text).toBe(result.text);
  });

  it('reports what it runs on /health', async () => {
    const body = (await (await app.request('/health')).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', model_loaded: true, device: 'cpu', model: testModelDir });
    expect(body.versions).toMatchObject({ onnxruntime: '1.30.0', transformers: expect.any(String) });
  });

  it('answers 400 for a file that is not audio and for an unreachable URL', async () => {
    const notAudio = await signedTranscribe({ audio_url: `${files.url}/not-audio.txt` });
    expect(notAudio.status).toBe(400);
    expect(((await notAudio.json()) as { error: { message: string } }).error.message).toMatch(
      /^could not decode audio: /,
    );
    const missing = await signedTranscribe({ audio_url: `${files.url}/missing.flac` });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain(
      'upstream HTTP 404',
    );
  });

  it('rejects a malformed request body with 400', async () => {
    const response = await signedTranscribe({ audio_url: 'file:///etc/passwd' });
    expect(response.status).toBe(400);
  });
});

describe('GPU service result export', () => {
  it('writes the formatted result to the target and reports it alongside the transcript', async () => {
    const puts: Array<{ type: string | undefined; body: string }> = [];
    const sink = await startServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => {
        body += d.toString();
      });
      req.on('end', () => {
        puts.push({ type: req.headers['content-type'], body });
        res.writeHead(req.url === '/denied' ? 403 : 200).end();
      });
    });
    try {
      const ok = await signedTranscribe({
        audio_url: `${files.url}/speech.flac`,
        result_target: { url: `${sink.url}/out.vtt`, format: 'vtt' },
      });
      const body = (await ok.json()) as { result: { text: string }; export: { ok: boolean; bytes: number } };
      expect(body.export).toEqual({ ok: true, bytes: Buffer.byteLength(puts[0]!.body) });
      expect(puts[0]!.body.startsWith('WEBVTT')).toBe(true);
      expect(puts[0]!.type).toBe('text/vtt; charset=utf-8');

      const denied = await signedTranscribe({
        audio_url: `${files.url}/speech.flac`,
        result_target: { url: `${sink.url}/denied`, format: 'json' },
      });
      expect(denied.status).toBe(200);
      const deniedBody = (await denied.json()) as {
        result: { text: string };
        export: { ok: boolean; error: string };
      };
      expect(deniedBody.result.text).toBe(body.result.text);
      expect(deniedBody.export).toEqual({
        ok: false,
        error: 'could not write the result (upstream HTTP 403)',
      });
    } finally {
      await sink.close();
    }
  });
});
