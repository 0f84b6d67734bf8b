import { env } from 'cloudflare:test';
import type { TranscriptionResult } from '@whisper-edge/shared';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubGpuPool } from '../../test/gpu-pool-stub.js';
import app from '../index.js';
import { KEPT_REVISIONS, withRevision } from './job-revisions.js';

// Edits of finished jobs, the library's fields, playback URLs and purging, inside workerd: the real
// queue, consumer, Durable Objects and R2 (miniflare), with auth on; GPU services are stand-ins (no GPU).
const A = 'http://gpu.test';
const B = 'http://gpu-b.test';
const audio = new Uint8Array(8192).map((_, i) => (i * 13) % 256);
const KEYS = { API_KEYS: 'alice:alice-key-0123456789,bob:bob-key-0123456789' };
const alice = { authorization: 'Bearer alice-key-0123456789' };
const bob = { authorization: 'Bearer bob-key-0123456789' };

async function call(path: string, init: RequestInit = {}, who = alice): Promise<Response> {
  const headers = new Headers(init.headers);
  for (const [k, v] of Object.entries(who)) headers.set(k, v);
  return app.fetch(new Request(`http://edge.test${path}`, { ...init, headers }), { ...env, ...KEYS });
}

async function submit(fields: Record<string, string> = {}, who = alice): Promise<string> {
  const body = new FormData();
  body.append('file', new File([audio], 'Board meeting.flac', { type: 'audio/flac' }));
  body.append('async', 'true');
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  const response = await call('/v1/audio/transcriptions', { method: 'POST', body }, who);
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

interface Job {
  id: string;
  status: string;
  name: string | null;
  duration: number | null;
  speakers: string[];
  revisions: number;
  revision: number;
  result?: { text: string; segments: Array<{ text: string; speaker?: string }> };
}

async function finished(id: string, who = alice): Promise<Job> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const job = (await (await call(`/v1/jobs/${id}`, {}, who)).json()) as Job;
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job did not finish: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function canonical(id: string, revision = 'latest'): Promise<TranscriptionResult> {
  const response = await call(`/v1/jobs/${id}/result/revisions/${revision}`);
  expect(response.status).toBe(200);
  return (await response.json()) as TranscriptionResult;
}

async function saveRevision(id: string, body: unknown, query = ''): Promise<Response> {
  return call(`/v1/jobs/${id}/result/revisions${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const okPool = (text: string, extra: { steps?: number; diarized?: boolean; stepMs?: number } = {}) =>
  stubGpuPool({ [A]: { kind: 'ok', text, ...extra }, [B]: { kind: 'ok', text, ...extra } });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('job result revisions', { timeout: 30_000 }, () => {
  it('stores an edit as a new revision that every format serves, keeping the original', async () => {
    okPool('draft', { steps: 3, diarized: true });
    const id = await submit({ response_format: 'verbose_json' });
    expect((await finished(id)).status).toBe('succeeded');
    const original = await canonical(id, 'original');
    expect(original.segments.map((s) => s.text)).toEqual([' draft 1.', ' draft 2.', ' draft 3.']);

    const edited = structuredClone(original);
    edited.segments[1]!.text = ' Corrected second line.';
    for (const s of edited.segments) if (s.speaker === 'SPEAKER_01') s.speaker = 'Grievous';
    edited.text = 'stale text the server must not keep';
    const saved = await saveRevision(id, edited, '?base_revision=original');
    expect(saved.status).toBe(201);
    expect(saved.headers.get('x-result-revision')).toBe('1');
    expect(await saved.json()).toMatchObject({
      object: 'transcription.revision',
      revision: 1,
      original: false,
      job: { id, revisions: 1, revision: 1, speakers: ['SPEAKER_00', 'Grievous'] },
    });

    // The latest revision by default: the job's own format, any other, and the job document.
    const latest = await call(`/v1/jobs/${id}/result`);
    expect(latest.headers.get('x-result-revision')).toBe('1');
    const verbose = (await latest.json()) as { text: string; segments: Array<{ text: string }> };
    expect(verbose.text).toBe('draft 1. Corrected second line. draft 3.');
    const srt = await (await call(`/v1/jobs/${id}/result?response_format=srt`)).text();
    expect(srt).toContain('[Grievous] Corrected second line.');
    const text = await (await call(`/v1/jobs/${id}/result?response_format=text`)).text();
    expect(text).toContain('Grievous: Corrected second line.');
    const job = (await (await call(`/v1/jobs/${id}`)).json()) as Job;
    expect(job.result?.segments[1]?.text).toBe(' Corrected second line.');
    // The original stays, by name or as revision 0.
    for (const revision of ['original', '0']) {
      const first = await call(`/v1/jobs/${id}/result?revision=${revision}&response_format=srt`);
      expect(first.headers.get('x-result-revision')).toBe('0');
      expect(await first.text()).toContain('[SPEAKER_01] draft 2.');
    }
    const listed = (await (await call(`/v1/jobs/${id}/result/revisions`)).json()) as {
      data: Array<{ revision: number; original: boolean }>;
      latest: number;
    };
    expect(listed.latest).toBe(1);
    expect(listed.data.map((r) => [r.revision, r.original])).toEqual([
      [1, false],
      [0, true],
    ]);
    expect((await canonical(id, '1')).segments[1]!.text).toBe(' Corrected second line.');
    const stored = await env.UPLOADS.get(`tenants/alice/jobs/${id}/revisions/1.json`);
    expect(((await stored!.json()) as TranscriptionResult).text).toBe(verbose.text);
    expect(await env.UPLOADS.head(`tenants/alice/jobs/${id}/result.json`)).not.toBeNull();

    // An editor working from the original while revision 1 exists would undo it: refused.
    const stale = await saveRevision(id, original, '?base_revision=original');
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({
      error: { code: 'revision_conflict', param: 'base_revision' },
    });
    const second = await saveRevision(id, original, '?base_revision=1');
    expect(second.status).toBe(201);
    expect(((await second.json()) as { revision: number }).revision).toBe(2);
    expect(await (await call(`/v1/jobs/${id}/result?response_format=text`)).text()).toContain('draft 2.');
    expect(await (await call(`/v1/jobs/${id}/result?revision=1&response_format=text`)).text()).toContain(
      'Corrected',
    );
  });

  it('refuses results that do not validate, naming where, and never stores them', async () => {
    okPool('strict', { steps: 2 });
    const id = await submit();
    await finished(id);
    const original = await canonical(id);
    const cases: Array<[unknown, number, Record<string, unknown>]> = [
      ['{not json', 400, { code: 'invalid_result' }],
      [{ ...original, segments: 'none' }, 400, { code: 'invalid_result', param: 'segments' }],
      [
        { ...original, segments: [{ ...original.segments[0], start: 'soon' }] },
        400,
        { param: 'segments.0.start' },
      ],
      [
        { ...original, segments: [{ ...original.segments[0], start: 1.5, end: 0.5 }] },
        400,
        { param: 'segments.0' },
      ],
      [{ ...original, words: [{ word: 'x', start: 0, end: 99 }] }, 400, { param: 'words.0' }],
      [{ ...original, duration: 99 }, 400, { param: 'duration' }],
      [{ ...original, task: 'translate' }, 400, { param: 'task' }],
    ];
    for (const [body, status, error] of cases) {
      const response = await saveRevision(id, body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', ...error } });
    }
    const huge = await call(`/v1/jobs/${id}/result/revisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(17 * 1024 * 1024) },
      body: '{}',
    });
    expect(huge.status).toBe(413);
    expect((await canonical(id)).segments).toEqual(original.segments);
    expect(((await (await call(`/v1/jobs/${id}`)).json()) as Job).revisions).toBe(0);
    // Selectors: a malformed one is a 400, a number the job never had a 404.
    expect((await call(`/v1/jobs/${id}/result?revision=abc`)).status).toBe(400);
    const missing = await call(`/v1/jobs/${id}/result?revision=7`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'revision_not_found', param: 'revision' } });
    expect((await saveRevision(id, original, '?base_revision=latest')).status).toBe(400);
  });

  it('answers revision and rename bodies of any shape with a 201/200 or a clear 4xx, never a 5xx', async () => {
    okPool('fuzzed', { steps: 2, diarized: true });
    const id = await submit();
    await finished(id);
    const original = await canonical(id, 'original');
    const paths = ['segments', 'words', 'duration', 'text', 'task', 'model', 'language', 'diarization'];
    const body = fc.oneof(
      fc.jsonValue(),
      // The original with one field replaced by anything JSON can hold.
      fc.record({ path: fc.constantFrom(...paths), value: fc.jsonValue() }).map(({ path, value }) => ({
        ...original,
        [path]: value,
      })),
      fc
        .record({
          at: fc.nat(1),
          field: fc.constantFrom('start', 'end', 'text', 'speaker', 'id'),
          value: fc.jsonValue(),
        })
        .map(({ at, field, value }) => ({
          ...original,
          segments: original.segments.map((s, i) => (i === at ? { ...s, [field]: value } : s)),
        })),
    );
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        for (const [path, method, expected] of [
          [`/v1/jobs/${id}/result/revisions`, 'POST', 201],
          [`/v1/jobs/${id}`, 'PATCH', 200],
        ] as const) {
          const response = await call(path, { method, body: JSON.stringify(value) });
          const text = await response.text();
          const what = `${method} ${JSON.stringify(value).slice(0, 200)} → ${response.status} ${text.slice(0, 200)}`;
          if (response.status === expected) continue;
          expect(response.status, what).toBeGreaterThanOrEqual(400);
          expect(response.status, what).toBeLessThan(500);
          const error = (JSON.parse(text) as { error: Record<string, unknown> }).error;
          expect(Object.keys(error).sort(), what).toEqual(['code', 'message', 'param', 'type']);
        }
      }),
      { numRuns: 40 },
    );
    // Whatever was accepted is still a result every format renders.
    for (const format of ['json', 'text', 'srt', 'vtt', 'verbose_json', 'diarized_json', 'paragraphs']) {
      const response = await call(`/v1/jobs/${id}/result?response_format=${format}`);
      expect([200, 400], format).toContain(response.status);
    }
  });

  it('has nothing to revise before the job finishes', async () => {
    stubGpuPool({ [A]: { kind: 'hang' }, [B]: { kind: 'hang' } });
    const id = await submit();
    const deadline = Date.now() + 10_000;
    while (((await (await call(`/v1/jobs/${id}`)).json()) as Job).status !== 'running') {
      if (Date.now() > deadline) throw new Error('never ran');
      await new Promise((r) => setTimeout(r, 25));
    }
    const early = await saveRevision(id, { task: 'transcribe' });
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject({ error: { code: 'job_not_finished' } });
    expect((await call(`/v1/jobs/${id}/result/revisions`)).status).toBe(409);
    await call(`/v1/jobs/${id}`, { method: 'DELETE' });
  });

  it('rewrites the job’s stored copy with the latest revision', async () => {
    okPool('exported', { steps: 2 });
    const outputKey = `tenants/alice/transcriptions/${crypto.randomUUID()}.txt`;
    const id = await submit({ response_format: 'text', output_key: outputKey });
    await finished(id);
    expect(await (await env.UPLOADS.get(outputKey))?.text()).toBe('exported 1. exported 2.\n');
    const edited = await canonical(id);
    edited.segments[0]!.text = ' Fixed.';
    expect((await saveRevision(id, edited)).status).toBe(201);
    expect(await (await env.UPLOADS.get(outputKey))?.text()).toBe('Fixed. exported 2.\n');
  });

  it('keeps the original and the latest revisions, deleting the oldest beyond the window', () => {
    const at = (revision: number) => ({ revision, created_at: revision, bytes: 1 });
    const existing = Array.from({ length: KEPT_REVISIONS }, (_, i) => at(i + 1));
    const { kept, dropped } = withRevision(existing, at(KEPT_REVISIONS + 1));
    expect(dropped).toEqual([1]);
    expect(kept).toHaveLength(KEPT_REVISIONS);
    expect(kept.at(-1)?.revision).toBe(KEPT_REVISIONS + 1);
    // Saves that commit out of order still leave the highest number latest.
    expect(withRevision([at(1), at(3)], at(2)).kept.map((r) => r.revision)).toEqual([1, 2, 3]);
  });

  it('applies caption shaping when a finished job is rendered again', async () => {
    okPool('a rather long line of speech', { steps: 1 });
    const id = await submit();
    await finished(id);
    const srt = await (await call(`/v1/jobs/${id}/result?response_format=srt&max_line_chars=12`)).text();
    const lines = srt.split('\n').filter((l) => l && !/^\d+$/.test(l) && !l.includes('-->'));
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(12);
  });
});

describe('the library: names, summaries, pages, audio, purge', { timeout: 30_000 }, () => {
  it('lists jobs newest first in pages, with name, duration, speakers and revision count', async () => {
    okPool('listed', { steps: 2, diarized: true });
    const ids = [await submit(), await submit(), await submit()];
    for (const id of ids) await finished(id);
    const page1 = (await (await call('/v1/jobs?limit=2')).json()) as {
      data: Job[];
      has_more: boolean;
      last_id: string;
    };
    expect(page1.data.map((j) => j.id)).toEqual([ids[2], ids[1]]);
    expect(page1.has_more).toBe(true);
    expect(page1.data[0]).toMatchObject({
      name: 'Board meeting.flac',
      duration: 2,
      speakers: ['SPEAKER_00', 'SPEAKER_01'],
      revisions: 0,
      revision: 0,
    });
    const page2 = (await (await call(`/v1/jobs?limit=2&after=${page1.last_id}`)).json()) as { data: Job[] };
    expect(page2.data[0]?.id).toBe(ids[0]);
    // Another key sees none of them.
    const bobs = (await (await call('/v1/jobs?limit=100', {}, bob)).json()) as { data: Job[] };
    expect(bobs.data.map((j) => j.id).filter((id) => ids.includes(id))).toEqual([]);
  });

  it('renames a job, refusing names that are not printable text', async () => {
    okPool('named');
    const id = await submit();
    const patch = (body: string) =>
      call(`/v1/jobs/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body });
    const renamed = await patch(JSON.stringify({ name: '  Q3 review  ' }));
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ id, name: 'Q3 review' });
    for (const bad of [
      '{}',
      '{"name":""}',
      '{"name":"a\\nb"}',
      `{"name":"${'x'.repeat(201)}"}`,
      '{"name":3}',
    ]) {
      const response = await patch(bad);
      expect(response.status, bad).toBe(400);
      expect(await response.json()).toMatchObject({ error: { param: 'name', code: 'invalid_value' } });
    }
    expect(((await (await call(`/v1/jobs/${id}`)).json()) as Job).name).toBe('Q3 review');
    expect(((await (await patch('{"name":null}')).json()) as Job).name).toBeNull();
    await finished(id);
  });

  it('gives a short-lived URL of the job’s audio that answers Range requests', async () => {
    okPool('listen');
    const id = await submit();
    await finished(id);
    const response = await call(`/v1/jobs/${id}/audio`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { url: string; expires_at: number; bytes: number };
    expect(doc.bytes).toBe(audio.length);
    expect(doc.expires_at - Date.now() / 1000).toBeGreaterThan(60);
    expect(doc.expires_at - Date.now() / 1000).toBeLessThanOrEqual(900);
    // No API key needed: the URL is the credential, for this one object.
    const ranged = await app.fetch(new Request(doc.url, { headers: { range: 'bytes=100-199' } }), env);
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 100-199/${audio.length}`);
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(audio.slice(100, 200));
    const tampered = doc.url.replace(/signature=[0-9a-f]/, (m) =>
      m.endsWith('0') ? `${m.slice(0, -1)}1` : `${m.slice(0, -1)}0`,
    );
    expect((await app.fetch(new Request(tampered), env)).status).toBe(403);
    expect((await call(`/v1/jobs/${id}/audio`, {}, bob)).status).toBe(404);
  });

  it('purges a job whole (record, audio, result, revisions, export); other keys cannot', async () => {
    okPool('forget me', { steps: 2 });
    const outputKey = `tenants/alice/transcriptions/${crypto.randomUUID()}.json`;
    const id = await submit({ output_key: outputKey });
    await finished(id);
    const edited = await canonical(id);
    edited.segments[0]!.text = ' forgotten.';
    expect((await saveRevision(id, edited)).status).toBe(201);
    const audioKey = (await (await call(`/v1/jobs/${id}/audio`)).json()) as { url: string };
    const prefix = `tenants/alice/jobs/${id}/`;
    expect((await env.UPLOADS.list({ prefix })).objects).toHaveLength(2);

    for (const [path, init] of [
      [`/v1/jobs/${id}?purge=true`, { method: 'DELETE' }],
      [`/v1/jobs/${id}/result/revisions`, { method: 'POST', body: JSON.stringify(edited) }],
      [`/v1/jobs/${id}`, { method: 'PATCH', body: '{"name":"mine now"}' }],
      [`/v1/jobs/${id}/result`, {}],
    ] as const) {
      expect((await call(path, init, bob)).status, path).toBe(404);
    }
    expect((await env.UPLOADS.list({ prefix })).objects).toHaveLength(2);

    expect((await call(`/v1/jobs/${id}?purge=maybe`, { method: 'DELETE' })).status).toBe(400);
    const purged = await call(`/v1/jobs/${id}?purge=true`, { method: 'DELETE' });
    expect(purged.status).toBe(200);
    // result, revision 1, the uploaded audio, the export
    expect(await purged.json()).toEqual({
      id,
      object: 'transcription.job',
      deleted: true,
      objects_deleted: 4,
    });
    expect((await env.UPLOADS.list({ prefix })).objects).toHaveLength(0);
    expect(await env.UPLOADS.head(outputKey)).toBeNull();
    expect((await app.fetch(new Request(audioKey.url), env)).status).toBe(404);
    expect((await call(`/v1/jobs/${id}`)).status).toBe(404);
    const list = (await (await call('/v1/jobs?limit=100')).json()) as { data: Job[] };
    expect(list.data.map((j) => j.id)).not.toContain(id);
  });

  it('purges a running job: cancelled first, nothing left behind', async () => {
    const gpu = stubGpuPool({ [A]: { kind: 'hang' }, [B]: { kind: 'hang' } });
    const id = await submit();
    const deadline = Date.now() + 10_000;
    while (((await (await call(`/v1/jobs/${id}`)).json()) as Job).status !== 'running') {
      if (Date.now() > deadline) throw new Error('never ran');
      await new Promise((r) => setTimeout(r, 25));
    }
    const purged = await call(`/v1/jobs/${id}?purge=true`, { method: 'DELETE' });
    expect(purged.status).toBe(200);
    expect(await purged.json()).toMatchObject({ deleted: true, objects_deleted: 1 });
    const until = Date.now() + 5000;
    while (!gpu.calls[0]?.aborted() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(gpu.calls[0]?.aborted()).toBe(true);
    expect((await call(`/v1/jobs/${id}`)).status).toBe(404);
  });
});
