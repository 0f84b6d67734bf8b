import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubGpuPool } from '../../test/gpu-pool-stub.js';
import app from '../index.js';

// The real usage and job Durable Objects, queue and R2 (miniflare); the GPU services are stand-ins
// (no GPU here) whose results last `steps` seconds.
const keys = { API_KEYS: 'carol:carol-key-0123456789,dave:dave-key-0123456789' };
const carol = { authorization: 'Bearer carol-key-0123456789' };
const dave = { authorization: 'Bearer dave-key-0123456789' };
const audio = new Uint8Array(4096).map((_, i) => (i * 7) % 256);

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await app.fetch(new Request(`http://edge.test${path}`, init), { ...env, ...keys }, ctx);
  const copy = new Response(await response.arrayBuffer(), response);
  await waitOnExecutionContext(ctx);
  return copy;
}

function transcribe(headers: Record<string, string>, fields: Record<string, string>) {
  const body = new FormData();
  body.append('file', new File([audio], 'clip.flac', { type: 'audio/flac' }));
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return call('/v1/audio/transcriptions', { method: 'POST', body, headers });
}

type Usage = {
  data: Array<{
    object: string;
    start_time: number;
    requests: number;
    jobs: number;
    audio_seconds: number;
    gpu_seconds: number;
  }>;
  totals: { requests: number; jobs: number; audio_seconds: number; gpu_seconds: number };
};

async function usage(headers: Record<string, string>, query = ''): Promise<Usage> {
  const response = await call(`/v1/usage${query}`, { headers });
  expect(response.status).toBe(200);
  return (await response.json()) as Usage;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('GET /v1/usage', { timeout: 30_000 }, () => {
  it('counts each key’s requests, jobs, audio and GPU seconds per day, and only its own', async () => {
    stubGpuPool({
      'http://gpu.test': { kind: 'ok', text: 'counted', steps: 3 },
      'http://gpu-b.test': { kind: 'ok', text: 'counted', steps: 3 },
    });
    for (let i = 0; i < 2; i++) expect((await transcribe(carol, { stream: 'true' })).status).toBe(200);
    const job = (await (await transcribe(carol, { async: 'true' })).json()) as { id: string };
    for (let i = 0; i < 200; i++) {
      const state = (await (await call(`/v1/jobs/${job.id}`, { headers: carol })).json()) as {
        status: string;
      };
      if (state.status === 'succeeded') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect((await transcribe(dave, { stream: 'true' })).status).toBe(200);

    const mine = await usage(carol);
    expect(mine.data).toHaveLength(1);
    const today = Math.floor(Date.now() / 86_400_000) * 86_400;
    expect(mine.data[0]).toMatchObject({
      object: 'usage.day',
      start_time: today,
      requests: 2,
      jobs: 1,
      audio_seconds: 9,
    });
    expect(mine.data[0]!.gpu_seconds).toBeGreaterThan(0);
    expect(mine.totals).toMatchObject({ requests: 2, jobs: 1, audio_seconds: 9 });
    expect((await usage(dave)).totals).toMatchObject({ requests: 1, jobs: 0, audio_seconds: 3 });
    // A window that ends before today holds nothing.
    expect(
      (await usage(carol, `?start_time=${today - 86_400 * 10}&end_time=${today - 86_400 * 2}`)).data,
    ).toEqual([]);
  });

  it('refuses a window it cannot read', async () => {
    for (const query of [
      '?start_time=abc',
      '?start_time=200&end_time=100',
      '?start_time=0&end_time=99999999',
    ]) {
      const response = await call(`/v1/usage${query}`, { headers: carol });
      expect(response.status, query).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_value' } });
    }
    expect((await call('/v1/usage')).status).toBe(401);
  });
});
