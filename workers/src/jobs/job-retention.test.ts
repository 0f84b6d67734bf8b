import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubGpuPool } from '../../test/gpu-pool-stub.js';
import app from '../index.js';
import type { JobState } from './job-types.js';

// The real queue, consumer, job and tenant Durable Objects and R2 (miniflare); GPU services are
// stand-ins (no GPU here).
const audio = new Uint8Array(4096).map((_, i) => (i * 7) % 256);

type Job = { id: string; status: string; result?: unknown; result_deleted_at?: number; deleted?: boolean };

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  return app.fetch(new Request(`http://edge.test${path}`, init), env);
}

async function submit(headers: Record<string, string> = {}): Promise<Response> {
  const body = new FormData();
  body.append('file', new File([audio], 'clip.flac', { type: 'audio/flac' }));
  body.append('async', 'true');
  return call('/v1/audio/transcriptions', { method: 'POST', body, headers });
}

async function finished(id: string): Promise<Job> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const job = (await (await call(`/v1/jobs/${id}`)).json()) as Job;
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job did not finish: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const stub = (id: string) => env.JOBS.get(env.JOBS.idFromName(id));
const stored = (id: string) =>
  runInDurableObject(stub(id), (_i, state) => state.storage.get<JobState>('state')) as Promise<JobState>;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('job retention', { timeout: 30_000 }, () => {
  it('deletes a finished job’s transcript on request and keeps its record saying so', async () => {
    stubGpuPool({
      'http://gpu.test': { kind: 'ok', text: 'secret words' },
      'http://gpu-b.test': { kind: 'ok', text: 'secret words' },
    });
    const { id } = (await (await submit()).json()) as { id: string };
    expect((await finished(id)).status).toBe('succeeded');
    const { result_key } = await stored(id);
    expect(await env.UPLOADS.head(result_key!)).not.toBeNull();

    const deleted = await call(`/v1/jobs/${id}/result`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toMatchObject({ id, status: 'succeeded', deleted: true });
    expect(await env.UPLOADS.head(result_key!)).toBeNull();
    const result = await call(`/v1/jobs/${id}/result`);
    expect(result.status).toBe(410);
    expect(await result.json()).toMatchObject({ error: { code: 'result_deleted' } });
    const job = (await (await call(`/v1/jobs/${id}`)).json()) as Job;
    expect(job.result).toBeUndefined();
    expect(job.result_deleted_at).toBeGreaterThan(0);
    expect(JSON.stringify(await (await call(`/v1/jobs/${id}/events`)).text())).not.toContain('secret words');
  });

  it('refuses to delete the result of a job still running', async () => {
    stubGpuPool({ 'http://gpu.test': { kind: 'hang' }, 'http://gpu-b.test': { kind: 'hang' } });
    const { id } = (await (await submit()).json()) as { id: string };
    const refused = await call(`/v1/jobs/${id}/result`, { method: 'DELETE' });
    expect(refused.status).toBe(409);
    await call(`/v1/jobs/${id}`, { method: 'DELETE' });
  });

  it('expires a finished job after JOB_RETENTION_SECONDS: record, list entry, key, result and its audio', async () => {
    stubGpuPool({
      'http://gpu.test': { kind: 'ok', text: 'old' },
      'http://gpu-b.test': { kind: 'ok', text: 'old' },
    });
    const key = `retention-${Date.now()}`;
    const { id } = (await (await submit({ 'idempotency-key': key })).json()) as { id: string };
    expect((await finished(id)).status).toBe('succeeded');
    const before = await stored(id);
    expect(before.spec.ownsAudio).toBe(true);
    // Thirty-one days later (the default retention is 30):
    await runInDurableObject(stub(id), async (_i, state) => {
      await state.storage.put('state', { ...before, completed_at: Date.now() - 31 * 86_400_000 });
    });
    expect(await runDurableObjectAlarm(stub(id))).toBe(true);

    expect((await call(`/v1/jobs/${id}`)).status).toBe(404);
    const list = (await (await call('/v1/jobs?limit=100')).json()) as { data: Job[] };
    expect(list.data.map((j) => j.id)).not.toContain(id);
    expect(await env.UPLOADS.head(before.result_key!)).toBeNull();
    expect(await env.UPLOADS.head(before.spec.fields.storage_key!)).toBeNull();
    // The Idempotency-Key is free again: the same key makes a new job, not a replay of the gone one.
    const again = await submit({ 'idempotency-key': key });
    expect(again.status).toBe(202);
    expect(((await again.json()) as { id: string }).id).not.toBe(id);
  });
});
