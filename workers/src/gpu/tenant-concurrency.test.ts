import { createExecutionContext, env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Behaviour, stubGpuPool } from '../../test/gpu-pool-stub.js';
import app from '../index.js';

// Inside workerd: the real pool Durable Object, queue and job objects; the GPU services are stand-ins
// (no GPU here) that hold a stream open until its caller goes away.
const keys = { API_KEYS: 'alice:alice-key-0123456789,bob:bob-key-0123456789' };
const alice = { authorization: 'Bearer alice-key-0123456789' };
const bob = { authorization: 'Bearer bob-key-0123456789' };
const audio = new Uint8Array(4096).map((_, i) => (i * 7) % 256);
const LIMIT = 4; // MAX_CONCURRENT_PER_TENANT's default, which the queue consumer reads too

function form(fields: Record<string, string>): FormData {
  const body = new FormData();
  body.append('file', new File([audio], 'clip.flac', { type: 'audio/flac' }));
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return body;
}

function post(headers: Record<string, string>, fields: Record<string, string>, signal?: AbortSignal) {
  return app.fetch(
    new Request('http://edge.test/v1/audio/transcriptions', {
      method: 'POST',
      body: form(fields),
      headers,
      ...(signal ? { signal } : {}),
    }),
    { ...env, ...keys },
    createExecutionContext(),
  );
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('per-tenant GPU concurrency (MAX_CONCURRENT_PER_TENANT)', () => {
  it('refuses a key beyond its cap with 429, leaves other keys alone, and lets a job wait without spending attempts', async () => {
    let n = 0;
    // The first LIMIT calls (alice's streams) hang until their caller leaves; later ones finish.
    const pick = (): Behaviour => (n++ < LIMIT ? { kind: 'hang' } : { kind: 'ok', text: 'done' });
    const gpu = stubGpuPool({ 'http://gpu.test': pick, 'http://gpu-b.test': pick });
    const callers = Array.from({ length: LIMIT }, () => new AbortController());
    const held = await Promise.all(callers.map((c) => post(alice, { stream: 'true' }, c.signal)));
    for (const response of held) expect(response.status).toBe(200);
    await until(() => gpu.calls.length === LIMIT, 'the held streams to reach the GPU');

    const refused = await post(alice, {});
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({
      error: { type: 'rate_limit_error', code: 'tenant_concurrency_limit' },
    });
    expect((await post(alice, { stream: 'true' })).status).toBe(429);
    expect(gpu.calls).toHaveLength(LIMIT);

    // Another key still gets through.
    const other = await post(bob, { stream: 'true' });
    expect(await other.text()).toContain('transcript.text.done');

    // A job of the capped key waits for a slot instead of failing or burning its retries.
    const submitted = await post(alice, { async: 'true' });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    const job = async () =>
      (await (
        await app.fetch(new Request(`http://edge.test/v1/jobs/${id}`, { headers: alice }), {
          ...env,
          ...keys,
        })
      ).json()) as { status: string; attempts: number; last_error?: string };
    await until(
      async () => (await job()).last_error?.includes('MAX_CONCURRENT_PER_TENANT') === true,
      'a wait',
    );
    expect(await job()).toMatchObject({ status: 'queued', attempts: 0 });

    for (const caller of callers) caller.abort();
    await until(async () => (await job()).status === 'succeeded', 'the job to run once a slot freed', 20_000);
    expect((await job()).attempts).toBe(1);
  }, 30_000);
});
