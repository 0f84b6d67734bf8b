import { env } from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubGpuPool } from '../../test/gpu-pool-stub.js';
import app from '../index.js';

// A job keeps the id of the request that submitted it: the real queue, consumer and Durable Objects
// (miniflare); the GPU services and the webhook receiver are stand-ins (no GPU here).
const A = 'http://gpu.test';
const B = 'http://gpu-b.test';
const audio = new Uint8Array(4096).map((_, i) => (i * 7) % 256);

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  return app.fetch(new Request(`http://edge.test${path}`, init), env);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('request tracing through a job', () => {
  it('carries the submitting request id to the GPU stream, the job document, the logs and the webhook', {
    timeout: 30_000,
  }, async () => {
    const lines: string[] = [];
    for (const method of ['log', 'warn', 'error'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(' '));
      });
    }
    // The first service fails the attempt, so the retry's log line must carry the id too.
    const hooks = stubGpuPool(
      {
        [A]: (n) => (n === 0 ? { kind: 'die' } : { kind: 'ok', text: 'traced job' }),
        [B]: (n) => (n === 0 ? { kind: 'die' } : { kind: 'ok', text: 'traced job' }),
      },
      { answer: () => 204 },
    );
    const form = new FormData();
    form.append('file', new File([audio], 'clip.flac', { type: 'audio/flac' }));
    form.append('callback_url', 'https://hooks.example.com/traced');
    const submitted = await call('/v1/audio/transcriptions', {
      method: 'POST',
      body: form,
      headers: { 'x-request-id': 'job-trace-7' },
    });
    expect(submitted.status).toBe(202);
    expect(submitted.headers.get('x-request-id')).toBe('job-trace-7');
    const { id, request_id } = (await submitted.json()) as { id: string; request_id: string };
    expect(request_id).toBe('job-trace-7');

    const deadline = Date.now() + 25_000;
    let job: { status: string; request_id: string; webhook?: { status: string } } | undefined;
    while (Date.now() < deadline) {
      job = (await (await call(`/v1/jobs/${id}`)).json()) as typeof job;
      if (job?.webhook?.status === 'delivered') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(job).toMatchObject({
      status: 'succeeded',
      request_id: 'job-trace-7',
      webhook: { status: 'delivered' },
    });
    // Every attempt's GPU call was signed with the submitting request's id (not the consumer's own).
    expect(hooks.calls.length).toBeGreaterThanOrEqual(2);
    for (const gpuCall of hooks.calls) {
      expect(gpuCall.requestId).toBe('job-trace-7');
      expect(gpuCall.signatureOk).toBe(true);
    }
    const delivery = hooks.hookCalls.at(-1)!;
    expect(delivery.headers['x-request-id']).toBe('job-trace-7');
    expect(new Webhook(env.WEBHOOK_SECRET!).verify(delivery.body, delivery.headers)).toMatchObject({
      id,
      request_id: 'job-trace-7',
    });
    const retried = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'job attempt failed; retrying');
    expect(retried.length).toBeGreaterThanOrEqual(1);
    expect(retried[0]).toMatchObject({
      level: 'warn',
      service: 'edge',
      request_id: 'job-trace-7',
      job_id: id,
    });
  });
});
