import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeResult, stubGpuService } from '../../../test/gpu-stub.js';
import app from '../../index.js';

const audio = new Uint8Array(4096).map((_, i) => (i * 7) % 256);

function audioForm(fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.append('file', new File([audio], 'clip.flac', { type: 'audio/flac' }));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
}

async function call(path: string, init: RequestInit = {}, extraEnv: Record<string, string> = {}) {
  return app.fetch(new Request(`http://edge.test${path}`, init), { ...env, ...extraEnv });
}

/** Every line the edge logs while `work` runs, parsed: each must be one JSON object. */
async function logsOf<T>(work: () => Promise<T>): Promise<{ value: T; lines: Record<string, unknown>[] }> {
  const raw: string[] = [];
  const collect = (...args: unknown[]) => {
    raw.push(args.map(String).join(' '));
  };
  const out = vi.spyOn(console, 'log').mockImplementation(collect);
  const err = vi.spyOn(console, 'error').mockImplementation(collect);
  const warn = vi.spyOn(console, 'warn').mockImplementation(collect);
  try {
    const value = await work();
    return { value, lines: raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
  } finally {
    out.mockRestore();
    err.mockRestore();
    warn.mockRestore();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('request tracing at the edge', () => {
  it("carries the caller's x-request-id to the GPU service (signed) and back, in every log line", async () => {
    const gpu = stubGpuService(() => Response.json(fakeResult('traced')));
    const { value: response, lines } = await logsOf(() =>
      call('/v1/audio/transcriptions', {
        method: 'POST',
        body: audioForm(),
        headers: { 'x-request-id': 'client-trace-42' },
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('client-trace-42');
    expect(gpu.calls).toHaveLength(1);
    expect(gpu.calls[0]!.requestId).toBe('client-trace-42');
    expect(gpu.calls[0]!.signatureOk).toBe(true);
    const request = lines.filter((l) => l.msg === 'request' && l.path === '/v1/audio/transcriptions');
    expect(request).toHaveLength(1);
    expect(request[0]).toMatchObject({
      service: 'edge',
      level: 'info',
      status: 200,
      request_id: 'client-trace-42',
    });
    // The stub fetches the audio through the Worker's own object route: that is a request of its own.
    for (const line of lines) expect(typeof line.request_id, JSON.stringify(line)).toBe('string');
  });

  it('replaces an id that is too long or carries other characters, and generates one when none is sent', async () => {
    for (const sent of ['x'.repeat(129), 'a b', 'id","level":"error', 'é', undefined]) {
      const response = await call('/health', sent === undefined ? {} : { headers: { 'x-request-id': sent } });
      const id = response.headers.get('x-request-id');
      expect(id, String(sent)).toMatch(/^req_[0-9a-f]{32}$/);
    }
    const a = (await call('/health')).headers.get('x-request-id');
    const b = (await call('/health')).headers.get('x-request-id');
    expect(a).not.toBe(b);
  });

  it("puts the id in every error body beside OpenAI's error, which keeps exactly its four fields", async () => {
    const cases: [string, RequestInit, Record<string, string>, number][] = [
      ['/v1/nothing-here', {}, {}, 404],
      ['/v1/audio/transcriptions', { method: 'POST', body: audioForm({ temperature: 'hot' }) }, {}, 400],
      ['/v1/jobs', {}, { API_KEYS: 'me:sk-test-key-0123456789abcdef' }, 401],
      ['/internal/objects/uploads/x.flac', {}, {}, 401],
    ];
    for (const [path, init, extraEnv, status] of cases) {
      const response = await call(path, { ...init, headers: { 'x-request-id': `err-${status}` } }, extraEnv);
      expect(response.status, path).toBe(status);
      expect(response.headers.get('x-request-id')).toBe(`err-${status}`);
      const body = (await response.json()) as { error: Record<string, unknown>; request_id: string };
      expect(body.request_id, path).toBe(`err-${status}`);
      expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    }
  });

  it('carries the id on answers relayed from a Durable Object (job events)', async () => {
    const response = await call('/v1/jobs/job_00000000000000000000000000000000/events', {
      headers: { 'x-request-id': 'relayed-1' },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe('relayed-1');
  });
});
