import { env } from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Behaviour, stubGpuPool } from '../../test/gpu-pool-stub.js';
import app from '../index.js';

// Jobs end to end inside workerd: the real queue (miniflare), consumer and Durable Objects; only the
// GPU services and webhook receivers are stand-ins (no GPU here).
const A = 'http://gpu.test';
const B = 'http://gpu-b.test';
const audio = new Uint8Array(4096).map((_, i) => (i * 7) % 256);

function form(fields: Record<string, string> = {}): FormData {
  const body = new FormData();
  body.append('file', new File([audio], 'clip.flac', { type: 'audio/flac' }));
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return body;
}

async function call(
  path: string,
  init: RequestInit = {},
  extraEnv: Record<string, string> = {},
): Promise<Response> {
  return app.fetch(new Request(`http://edge.test${path}`, init), { ...env, ...extraEnv });
}

async function submit(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return call('/v1/audio/transcriptions', { method: 'POST', body: form(fields), headers });
}

type Job = {
  id: string;
  status: string;
  attempts: number;
  progress: { processed_seconds: number; total_seconds: number | null; percent: number | null };
  result?: unknown;
  storage_url?: string;
  error?: { code: string; message: string };
  webhook?: { status: string; attempts: number; last_status?: number };
};

async function waitFor(id: string, done: (job: Job) => boolean, timeoutMs = 15_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await (await call(`/v1/jobs/${id}`)).json()) as Job;
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`job did not get there: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const finished = (job: Job) => ['succeeded', 'failed', 'cancelled'].includes(job.status);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('async transcription jobs', () => {
  it('renders a finished job in any format from its stored result, without running it again', async () => {
    const gpu = stubGpuPool({
      [A]: { kind: 'ok', text: 'again', steps: 2 },
      [B]: { kind: 'ok', text: 'again', steps: 2 },
    });
    const { id } = (await (await submit({ async: 'true' })).json()) as { id: string };
    await waitFor(id, finished);
    const srt = await call(`/v1/jobs/${id}/result?response_format=srt`);
    expect(srt.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await srt.text()).toBe(
      '1\n00:00:00,000 --> 00:00:01,000\nagain 1.\n\n2\n00:00:01,000 --> 00:00:02,000\nagain 2.\n',
    );
    const vtt = await call(`/v1/jobs/${id}/result?response_format=vtt`);
    expect(await vtt.text()).toMatch(/^WEBVTT\n/);
    const verbose = (await (await call(`/v1/jobs/${id}/result?response_format=verbose_json`)).json()) as {
      segments: unknown[];
    };
    expect(verbose.segments).toHaveLength(2);
    // The job's own format is still the default.
    expect(await (await call(`/v1/jobs/${id}/result`)).json()).toMatchObject({ text: 'again 1. again 2.' });
    expect(gpu.calls).toHaveLength(1);
    // What was never computed is refused with the way to get it; a bad format is a 400 naming it.
    const words = await call(
      `/v1/jobs/${id}/result?response_format=verbose_json&timestamp_granularities[]=word`,
    );
    expect(words.status).toBe(400);
    expect(await words.json()).toMatchObject({ error: { code: 'words_not_available' } });
    const speakers = await call(`/v1/jobs/${id}/result?response_format=diarized_json`);
    expect(await speakers.json()).toMatchObject({ error: { code: 'speakers_not_available' } });
    const bad = await call(`/v1/jobs/${id}/result?response_format=docx`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { param: 'response_format' } });
  });

  it('answers 202 at once, runs on the queue and gives the result in the requested format', async () => {
    const gpu = stubGpuPool({
      [A]: { kind: 'ok', text: 'hello jobs', steps: 3 },
      [B]: { kind: 'ok', text: 'hello jobs', steps: 3 },
    });
    const response = await submit({ async: 'true', response_format: 'verbose_json' });
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as { id: string; status: string; created_at: number };
    expect(accepted).toMatchObject({ id: expect.stringMatching(/^job_[0-9a-f]{32}$/), status: 'queued' });
    expect(Math.abs(accepted.created_at - Date.now() / 1000)).toBeLessThan(5);
    expect(response.headers.get('location')).toBe(`/v1/jobs/${accepted.id}`);

    const job = await waitFor(accepted.id, finished);
    expect(job.status).toBe('succeeded');
    expect(job.progress).toMatchObject({ processed_seconds: 3, total_seconds: 3, percent: 100 });
    expect(job.result).toMatchObject({
      task: 'transcribe',
      text: 'hello jobs 1. hello jobs 2. hello jobs 3.',
      segments: [{}, {}, {}],
    });
    expect(gpu.calls).toHaveLength(1);
    expect(gpu.calls[0]).toMatchObject({
      signatureOk: true,
      audioBytes: audio.length,
      request: { stream: true, job_id: accepted.id },
    });
    // The canonical result is in R2 under the job, and /result renders the format.
    expect(await env.UPLOADS.head(`jobs/${accepted.id}/result.json`)).not.toBeNull();
    const srt = await call(`/v1/jobs/${accepted.id}/result`);
    expect(await srt.json()).toMatchObject({ text: 'hello jobs 1. hello jobs 2. hello jobs 3.' });

    const list = (await (await call('/v1/jobs?limit=100')).json()) as { object: string; data: Job[] };
    expect(list.object).toBe('list');
    expect(list.data.map((j) => j.id)).toContain(accepted.id);
  });

  it('streams progress, deltas and the end of a job as server-sent events', async () => {
    stubGpuPool({
      [A]: { kind: 'ok', text: 'live', steps: 3, stepMs: 150 },
      [B]: { kind: 'ok', text: 'live', steps: 3, stepMs: 150 },
    });
    const { id } = (await (await submit({ async: 'true' })).json()) as { id: string };
    const events = await call(`/v1/jobs/${id}/events`);
    expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await events.text();
    const parsed = text
      .split('\n\n')
      .filter(Boolean)
      .map(
        (frame) =>
          JSON.parse(frame.replace(/^data: /, '')) as { type: string; delta?: string; text?: string },
      );
    const types = parsed.map((e) => e.type);
    expect(types.filter((t) => t === 'transcript.text.delta')).toHaveLength(3);
    expect(types).toContain('job.progress');
    expect(types.at(-1)).toBe('job.succeeded');
    const done = parsed.find((e) => e.type === 'transcript.text.done');
    expect(done?.text).toBe('live 1. live 2. live 3.');
    expect(
      parsed
        .filter((e) => e.delta)
        .map((e) => e.delta)
        .join('')
        .trim(),
    ).toBe(done?.text);
  });

  it('cancels a running job and the GPU stream is closed', async () => {
    const gpu = stubGpuPool({ [A]: { kind: 'hang' }, [B]: { kind: 'hang' } });
    const { id } = (await (await submit({ async: 'true' })).json()) as { id: string };
    await waitFor(id, (job) => job.status === 'running');
    const cancelled = await call(`/v1/jobs/${id}`, { method: 'DELETE' });
    expect(((await cancelled.json()) as Job).status).toBe('cancelled');
    const deadline = Date.now() + 5000;
    while (!gpu.calls[0]?.aborted() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(gpu.calls[0]?.aborted()).toBe(true);
    expect(((await (await call(`/v1/jobs/${id}`)).json()) as Job).status).toBe('cancelled');
  });

  it('gives the same job for the same Idempotency-Key and refuses the key with other parameters', async () => {
    stubGpuPool({ [A]: { kind: 'ok', text: 'once' }, [B]: { kind: 'ok', text: 'once' } });
    const headers = { 'idempotency-key': `key-${crypto.randomUUID()}` };
    const first = await submit({ async: 'true' }, headers);
    const second = await submit({ async: 'true' }, headers);
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const firstId = ((await first.json()) as Job).id;
    expect(((await second.json()) as Job).id).toBe(firstId);
    const other = await submit({ async: 'true', language: 'fr' }, headers);
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ error: { code: 'idempotency_key_reused' } });
    await waitFor(firstId, finished);
  });

  it('frees the Idempotency-Key when the job could not be queued, so the retry creates it', async () => {
    stubGpuPool({ [A]: { kind: 'ok', text: 'second try' }, [B]: { kind: 'ok', text: 'second try' } });
    const headers = { 'idempotency-key': `key-${crypto.randomUUID()}` };
    const brokenQueue = {
      ...env,
      JOBS_QUEUE: {
        send: () => Promise.reject(new Error('queue unavailable')),
        sendBatch: () => Promise.reject(new Error('queue unavailable')),
      } as unknown as Queue,
    };
    const failed = await app.fetch(
      new Request('http://edge.test/v1/audio/transcriptions', {
        method: 'POST',
        body: form({ async: 'true' }),
        headers,
      }),
      brokenQueue,
    );
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('5');
    expect(await failed.json()).toMatchObject({ error: { code: 'queue_unavailable' } });
    const retried = await submit({ async: 'true' }, headers);
    expect(retried.status).toBe(202);
    await waitFor(((await retried.json()) as Job).id, finished);
  });

  it('keeps a transcription and a translation apart under the same Idempotency-Key', async () => {
    stubGpuPool({ [A]: { kind: 'ok', text: 'once' }, [B]: { kind: 'ok', text: 'once' } });
    const headers = { 'idempotency-key': `key-${crypto.randomUUID()}` };
    const first = await submit({ async: 'true' }, headers);
    expect(first.status).toBe(202);
    const translation = await call('/v1/audio/translations', {
      method: 'POST',
      body: form({ async: 'true' }),
      headers,
    });
    expect(translation.status).toBe(409);
    expect(await translation.json()).toMatchObject({ error: { code: 'idempotency_key_reused' } });
    await waitFor(((await first.json()) as Job).id, finished);
  });

  it('retries on another GPU service when one dies mid-job: one result, one export', async () => {
    // Whichever service the pool picks first dies on its first call; the other one then does the work.
    let firstPicked: string | undefined;
    const dieFirst =
      (origin: string) =>
      (n: number): Behaviour => {
        firstPicked ??= origin;
        return firstPicked === origin && n === 0 ? { kind: 'die' } : { kind: 'ok', text: 'survived' };
      };
    const pool = stubGpuPool({ [A]: dieFirst(A), [B]: dieFirst(B) });
    const outputKey = `transcriptions/${crypto.randomUUID()}.json`;
    const { id } = (await (await submit({ async: 'true', output_key: outputKey })).json()) as { id: string };
    const job = await waitFor(id, finished);
    expect(job.status).toBe('succeeded');
    expect(job.attempts).toBe(2);
    const origins = pool.calls.map((c) => c.origin);
    expect(origins).toHaveLength(2);
    expect(origins[0]).not.toBe(origins[1]);
    expect(job.storage_url).toBe(`s3://${env.R2_BUCKET_NAME}/${outputKey}`);
    const exported = await env.UPLOADS.get(outputKey);
    expect(await exported?.json()).toEqual({
      text: 'survived 1. survived 2.',
      usage: { type: 'duration', seconds: 2 },
    });
  });

  it('fails with the last error once retries run out (dead-letter queue)', async () => {
    stubGpuPool({ [A]: { kind: 'die' }, [B]: { kind: 'die' } });
    const { id } = (await (await submit({ async: 'true' })).json()) as { id: string };
    const job = await waitFor(id, finished, 30_000);
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('job_retries_exhausted');
    expect(job.error?.message).toMatch(/after 4 attempts: GPU service unavailable/);
  }, 40_000);

  it('fails at once, without retries, on an error in the input', async () => {
    stubGpuPool({
      [A]: { kind: 'error', status: 400, message: 'could not decode audio: bad' },
      [B]: { kind: 'error', status: 400, message: 'could not decode audio: bad' },
    });
    const { id } = (await (await submit({ async: 'true' })).json()) as { id: string };
    const job = await waitFor(id, finished);
    expect(job).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { message: 'could not decode audio: bad' },
    });
  });

  it('delivers a signed webhook with the final job, retrying after a 5xx', async () => {
    const hooks = stubGpuPool(
      { [A]: { kind: 'ok', text: 'hooked' }, [B]: { kind: 'ok', text: 'hooked' } },
      { answer: (n) => (n === 1 ? 503 : 204) },
    );
    const { id } = (await (await submit({ callback_url: 'https://hooks.example.com/done' })).json()) as {
      id: string;
    };
    const job = await waitFor(id, (j) => j.webhook?.status === 'delivered', 20_000);
    expect(job.webhook).toMatchObject({ status: 'delivered', attempts: 2, last_status: 204 });
    expect(hooks.hookCalls).toHaveLength(2);
    const delivered = hooks.hookCalls[1]!;
    const verified = new Webhook(env.WEBHOOK_SECRET!).verify(delivered.body, delivered.headers) as Job;
    expect(verified).toMatchObject({ id, status: 'succeeded' });
  });

  it('gives up on a webhook receiver that never answers after WEBHOOK_TIMEOUT_SECONDS, and retries', async () => {
    const hooks = stubGpuPool(
      { [A]: { kind: 'ok', text: 'patient' }, [B]: { kind: 'ok', text: 'patient' } },
      { answer: (n) => (n === 1 ? 'hang' : 204) },
    );
    const { id } = (await (await submit({ callback_url: 'https://hooks.example.com/slow' })).json()) as {
      id: string;
    };
    const job = await waitFor(id, (j) => j.webhook?.status === 'delivered', 20_000);
    expect(job.webhook).toMatchObject({ status: 'delivered', attempts: 2, last_status: 204 });
    expect(hooks.hookCalls).toHaveLength(2);
  });

  it('refuses to deliver to a callback name that resolves to a private address, checked at delivery', async () => {
    const hooks = stubGpuPool({ [A]: { kind: 'ok', text: 'private' }, [B]: { kind: 'ok', text: 'private' } });
    const { id } = (await (await submit({ callback_url: 'https://hooks.internal.example/done' })).json()) as {
      id: string;
    };
    const job = await waitFor(id, (j) => j.webhook?.status === 'failed');
    expect(job.webhook).toMatchObject({ attempts: 1 });
    expect((job.webhook as { last_error?: string }).last_error).toMatch(
      /resolves to a non-public address \(10\.0\.0\.5\)/,
    );
    expect(hooks.hookCalls).toHaveLength(0);
  });

  it('stops webhook retries on a 4xx other than 408/429', async () => {
    const hooks = stubGpuPool(
      { [A]: { kind: 'ok', text: 'gone' }, [B]: { kind: 'ok', text: 'gone' } },
      { answer: () => 410 },
    );
    const { id } = (await (
      await submit({ async: 'true', callback_url: 'https://hooks.example.com/gone' })
    ).json()) as { id: string };
    const job = await waitFor(id, (j) => j.webhook?.status === 'failed');
    expect(job.webhook).toMatchObject({ attempts: 1, last_status: 410 });
    expect(hooks.hookCalls).toHaveLength(1);
  });

  it('refuses callback URLs that are not public https', async () => {
    for (const url of [
      'http://hooks.example.com/x',
      'https://169.254.169.254/latest',
      'https://user:pw@hooks.example.com/',
      'https://localhost./hook',
      'https://a.localhost/hook',
      'https://198.18.0.1/hook',
      'https://0x7f.1/hook',
      'https://2130706433/hook',
      'https://[::ffff:7f00:1]/hook',
      'https://[64:ff9b::a9fe:a9fe]/hook',
      'https://[2002:a9fe:a9fe::]/hook',
      'https://[::127.0.0.1]/hook',
    ]) {
      const response = await submit({ async: 'true', callback_url: url });
      expect(response.status, url).toBe(400);
      expect(await response.json()).toMatchObject({ error: { param: 'callback_url' } });
    }
  });

  it("keeps one key's jobs invisible to another", async () => {
    stubGpuPool({ [A]: { kind: 'ok', text: 'mine' }, [B]: { kind: 'ok', text: 'mine' } });
    const keys = { API_KEYS: 'alice:alice-key-0123456789,bob=bob-key-0123456789' };
    const alice = { authorization: 'Bearer alice-key-0123456789' };
    const bob = { authorization: 'Bearer bob-key-0123456789' };
    const submitted = await call(
      '/v1/audio/transcriptions',
      { method: 'POST', body: form({ async: 'true' }), headers: alice },
      keys,
    );
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    expect((await call(`/v1/jobs/${id}`, { headers: alice }, keys)).status).toBe(200);
    expect((await call(`/v1/jobs/${id}`, { headers: bob }, keys)).status).toBe(404);
    expect((await call(`/v1/jobs/${id}`, { method: 'DELETE', headers: bob }, keys)).status).toBe(404);
    const bobs = (await (await call('/v1/jobs', { headers: bob }, keys)).json()) as { data: Job[] };
    expect(bobs.data.map((j) => j.id)).not.toContain(id);
  });
});
