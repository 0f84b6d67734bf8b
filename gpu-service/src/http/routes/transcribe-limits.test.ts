import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type GpuStreamEvent, signRequest, type TranscriptionResult } from '@whisper-edge/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFiles, type TestServer } from '../../../test/file-server.js';
import { loopSpeech, silentAudio } from '../../../test/fixtures.js';
import { createTestApp, signedTranscribeRequest, testSecret } from '../../../test/test-app.js';
import { loadSileroVad } from '../../vad/silero-model.js';
import { Admission } from '../admission.js';

// Limits on work rather than bytes, against the real pipeline: ffmpeg, Silero VAD and the test model.
const admission = new Admission({ maxConcurrent: 2, maxQueue: 2 });
const app = createTestApp({ admission, env: { MAX_AUDIO_SECONDS: '5400' } });
let files: TestServer;

beforeAll(async () => {
  files = await serveFiles({
    // An hour of silence is ~0.7 MB of FLAC: far under every byte limit.
    '/hour.flac': silentAudio(3600),
    '/hour-piped.flac': silentAudio(3600, { withDuration: false }),
    '/two-hours.flac': silentAudio(7200),
    '/long.flac': loopSpeech('flac', 30),
  });
});
afterAll(() => files.close());

const call = (path: string, extra: Record<string, unknown> = {}) =>
  signedTranscribeRequest(app, { audio_url: `${files.url}${path}`, ...extra });

async function lines(response: Response): Promise<GpuStreamEvent[]> {
  const text = await response.text();
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as GpuStreamEvent);
}

async function waitForIdle(ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  while (admission.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return admission.inFlight;
}

describe('MAX_AUDIO_SECONDS on /internal/transcribe', () => {
  it('refuses audio longer than the request asks, in OpenAI’s error shape, as a 413', async () => {
    const response = await call('/hour-piped.flac', { limits: { max_audio_seconds: 300 } });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: {
        message: expect.stringMatching(/300-second limit \(MAX_AUDIO_SECONDS\)/),
        type: 'invalid_request_error',
        code: 'audio_too_long',
        param: 'file',
      },
      request_id: expect.stringMatching(/^req_[0-9a-f]{32}$/),
    });
    expect(await waitForIdle(2000)).toBe(0);
  });

  it('caps a request that asks for more at the service’s own limit', async () => {
    const response = await call('/two-hours.flac', { limits: { max_audio_seconds: 100_000 } });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /5400-second limit .*header gives 7200 s/,
    );
  });

  it('reports the limit as an error line when the answer is streamed', async () => {
    const events = await lines(
      await call('/hour-piped.flac', { stream: true, limits: { max_audio_seconds: 60 } }),
    );
    expect(events.at(-1)).toMatchObject({ type: 'error', status: 413, error: { code: 'audio_too_long' } });
  });
});

describe('silence is cheap', () => {
  it('transcribes an hour of digital silence to nothing while running VAD on almost none of it', async () => {
    const vad = await loadSileroVad();
    const before = vad.stats.frames;
    const response = await call('/hour.flac');
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as { result: TranscriptionResult };
    expect(result.duration).toBeCloseTo(3600, 0);
    expect(result.segments).toEqual([]);
    // An hour is 112 500 VAD frames; the silence gate lets the model see only its settling frames.
    expect(vad.stats.frames - before).toBeLessThan(100);
  });
});

describe('deadline', () => {
  it('stops a request that passes its deadline with a 504 naming the limit, and frees its slot', async () => {
    const response = await call('/long.flac', { limits: { deadline_seconds: 0.5 } });
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({
      error: { code: 'deadline_exceeded', message: expect.stringMatching(/0.5-second deadline/) },
    });
    expect(await waitForIdle(2000)).toBe(0);
  });
});

describe('a caller that hangs up', () => {
  it('stops a sync request within seconds when its connection closes, over a real socket', async () => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const body = JSON.stringify({ audio_url: `${files.url}/long.flac` });
      const path = '/internal/transcribe';
      const headers = await signRequest(testSecret, { method: 'POST', path, body });
      const caller = new AbortController();
      const answered = fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: caller.signal,
      }).catch((error: unknown) => error);
      const started = Date.now();
      while (admission.inFlight === 0 && Date.now() - started < 10_000)
        await new Promise((r) => setTimeout(r, 20));
      expect(admission.inFlight).toBe(1);
      await new Promise((r) => setTimeout(r, 500));
      caller.abort();
      await answered;
      expect(await waitForIdle(5000)).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
