import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Behaviour, stubGpuPool } from '../../test/gpu-pool-stub.js';
import app from '../index.js';
import type { JobObject } from './job-object.js';
import type { JobState } from './job-types.js';

// The real queue, consumer and job Durable Object; GPU services and the webhook receiver are stand-ins
// (no GPU here). A consumer that dies mid-run is simulated by taking its lease away and letting it lapse:
// the live attempt then stops at its next heartbeat, as a dead one would have stopped sending any.
const audio = new Uint8Array(4096).map((_, i) => (i * 7) % 256);

type Job = {
  id: string;
  status: string;
  attempts: number;
  error?: { code: string };
  webhook?: { status: string };
};

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  return app.fetch(new Request(`http://edge.test${path}`, init), env);
}

async function job(id: string): Promise<Job> {
  return (await (await call(`/v1/jobs/${id}`)).json()) as Job;
}

async function until(id: string, done: (j: Job) => boolean, timeoutMs = 25_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await job(id);
    if (done(current)) return current;
    if (Date.now() > deadline) throw new Error(`job did not get there: ${JSON.stringify(current)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A running job whose consumer is gone: its lease belongs to no one and has lapsed. */
async function orphan(id: string, attempts?: number): Promise<DurableObjectStub<JobObject>> {
  const stub = env.JOBS.get(env.JOBS.idFromName(id));
  await runInDurableObject(stub, async (_instance, state) => {
    const saved = (await state.storage.get<JobState>('state'))!;
    saved.lease = { id: 'a-consumer-that-died', until: Date.now() - 1 };
    if (attempts !== undefined) saved.attempts = attempts;
    await state.storage.put('state', saved);
  });
  return stub;
}

async function runningJob(): Promise<{ id: string; hooks: ReturnType<typeof stubGpuPool> }> {
  let n = 0;
  const pick = (): Behaviour => (n++ === 0 ? { kind: 'hang' } : { kind: 'ok', text: 'recovered' });
  const hooks = stubGpuPool({ 'http://gpu.test': pick, 'http://gpu-b.test': pick }, { answer: () => 204 });
  const body = new FormData();
  body.append('file', new File([audio], 'clip.flac', { type: 'audio/flac' }));
  body.append('callback_url', 'https://hooks.example.com/done');
  const submitted = await call('/v1/audio/transcriptions', { method: 'POST', body });
  const { id } = (await submitted.json()) as { id: string };
  await until(id, (j) => j.status === 'running');
  return { id, hooks };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('job watchdog (lease lapse alarm)', { timeout: 30_000 }, () => {
  it('puts a job whose consumer died back on the queue; it finishes and its webhook fires', async () => {
    const { id, hooks } = await runningJob();
    const stub = await orphan(id);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const done = await until(id, (j) => j.webhook?.status === 'delivered');
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(hooks.hookCalls).toHaveLength(1);
  }, 30_000);

  it('fails a job whose attempts are used up instead of leaving it running, and says so by webhook', async () => {
    const { id, hooks } = await runningJob();
    const stub = await orphan(id, 4);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const done = await until(id, (j) => j.webhook?.status === 'delivered');
    expect(done).toMatchObject({ status: 'failed', error: { code: 'job_retries_exhausted' } });
    expect(JSON.parse(hooks.hookCalls[0]!.body)).toMatchObject({ id, status: 'failed' });
  }, 30_000);

  it('leaves a job with a live lease alone', async () => {
    const { id } = await runningJob();
    const stub = env.JOBS.get(env.JOBS.idFromName(id));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await job(id)).toMatchObject({ status: 'running', attempts: 1 });
    await call(`/v1/jobs/${id}`, { method: 'DELETE' });
  });
});
