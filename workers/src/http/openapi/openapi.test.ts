import { env } from 'cloudflare:test';
import {
  checkAnswer,
  checkJsonRequest,
  type OpenApiDocument,
  pathTemplate,
} from '@whisper-edge/shared/test-support/openapi-responses';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubGpuPool } from '../../../test/gpu-pool-stub.js';
import { fakeResult, stubGpuService } from '../../../test/gpu-stub.js';
import { wav } from '../../../test/wav.js';
import { createApp } from '../../app.js';
import app from '../../index.js';

// The document is generated from the routes' own zod schemas; these tests hold it to the Hono app
// (every route described, nothing described that is not routed) and to real answers of the app
// (R2 in miniflare, real queue and Durable Objects; the GPU service stubbed: no GPU in workerd).
const keys = { API_KEYS: 'ann:ann-key-0123456789abcdef' };
const auth = { authorization: 'Bearer ann-key-0123456789abcdef' };

async function document(): Promise<OpenApiDocument> {
  const response = await app.fetch(new Request('http://edge.test/openapi.json'), env);
  expect(response.status).toBe(200);
  return (await response.json()) as OpenApiDocument;
}

/** Hono's `/v1/jobs/:id`, `/v1/models/:id{.+}` and `/v1/uploads/*` as OpenAPI templates. */
function template(honoPath: string): string {
  return honoPath
    .replace(/:([A-Za-z]+)\{[^}]*\}/g, '{$1}')
    .replace(/:([A-Za-z]+)/g, '{$1}')
    .replace(/\/\*$/, '/{key}');
}

const problems: string[] = [];
let doc: OpenApiDocument;

/** Calls the app as a client would and checks the answer against the document. */
async function call(
  method: string,
  path: string,
  init: RequestInit = {},
  extraEnv = keys,
): Promise<Response> {
  const url = `http://edge.test${path}`;
  const headers: Record<string, string> = {
    ...auth,
    ...(init.headers as Record<string, string> | undefined),
  };
  const response = await app.fetch(new Request(url, { ...init, method, headers }), { ...env, ...extraEnv });
  problems.push(...(await checkAnswer(doc, method, url, response)));
  // A JSON request the app accepted must be one the document allows (refusals are sent on purpose).
  if (response.ok && headers['content-type'] === 'application/json' && typeof init.body === 'string') {
    problems.push(...checkJsonRequest(doc, method, url, JSON.parse(init.body)));
  }
  return response;
}

function audioForm(fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.append('file', new File([wav(2, 3)], 'clip.wav', { type: 'audio/wav' }));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and describes every route of the Hono app, and no route it does not have', async () => {
    doc = await document();
    expect((doc as unknown as { openapi: string }).openapi).toMatch(/^3\.1\./);
    const routed = new Set(
      createApp()
        .routes.filter((r) => r.method !== 'ALL')
        .map((r) => `${r.method.toLowerCase()} ${template(r.path)}`),
    );
    const described = new Set(
      Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`)),
    );
    expect([...routed].filter((r) => !described.has(r)).sort()).toEqual([]);
    expect([...described].filter((d) => !routed.has(d)).sort()).toEqual([]);
    expect(routed.size).toBeGreaterThan(25);
    // Every error answer points at OpenAI's error body, which has the four fields and request_id.
    const errorBody = doc.components.schemas.ErrorBody as { properties: Record<string, unknown> };
    expect(Object.keys(errorBody.properties).sort()).toEqual(['error', 'request_id']);
    expect(pathTemplate(doc, '/v1/jobs/job_1/result')).toBe('/v1/jobs/{id}/result');
  });

  it('matches real answers of every kind of route, errors included', { timeout: 60_000 }, async () => {
    doc = await document();
    problems.length = 0;
    // Service and models.
    stubGpuService(() => Response.json(fakeResult('documented')));
    await call('GET', '/health');
    await call('GET', '/openapi.json');
    await call('GET', '/v1/models');
    await call('GET', '/v1/models/whisper-1');
    await call('GET', '/v1/models/no-such-model');
    // Auth and routing errors.
    await call('GET', '/v1/jobs', { headers: { authorization: 'Bearer wrong-key-0123456789' } });
    const unrouted = await app.fetch(new Request('http://edge.test/v1/nothing'), env);
    expect(await unrouted.json()).toMatchObject({ error: { code: 'route_not_found' } });
    // Uploads: direct, presigned, multipart, delete.
    const upload = await call('POST', '/v1/uploads', { body: audioForm() });
    const { key } = (await upload.json()) as { key: string };
    await call('POST', '/v1/uploads', {
      body: (() => {
        const f = new FormData();
        f.append('file', new File([new TextEncoder().encode('not audio at all')], 'x.txt'));
        return f;
      })(),
    });
    await call('POST', '/v1/uploads/presign', {
      body: JSON.stringify({ filename: 'a.wav', type: 'audio/wav' }),
      headers: { 'content-type': 'application/json' },
    });
    await call('GET', '/v1/uploads/s3/params?filename=a.wav&type=audio/wav');
    const created = await call('POST', '/v1/uploads/s3/multipart', {
      body: JSON.stringify({ filename: 'big.wav', type: 'audio/wav' }),
      headers: { 'content-type': 'application/json' },
    });
    const multipart = (await created.json()) as { key: string; uploadId: string };
    const q = `key=${encodeURIComponent(multipart.key)}`;
    const id = encodeURIComponent(multipart.uploadId);
    await call('GET', `/v1/uploads/s3/multipart/${id}/1?${q}`);
    await call('GET', `/v1/uploads/s3/multipart/${id}/batch?${q}&partNumbers=1,2`);
    await call('GET', `/v1/uploads/s3/multipart/${id}?${q}`);
    await call('POST', `/v1/uploads/s3/multipart/${id}/complete?${q}`, {
      body: JSON.stringify({ parts: [] }),
      headers: { 'content-type': 'application/json' },
    });
    await call('DELETE', `/v1/uploads/s3/multipart/${id}?${q}`);
    // Transcriptions in every format, a translation, a diarization, and refusals.
    for (const response_format of ['json', 'text', 'srt', 'vtt', 'verbose_json', 'paragraphs']) {
      const r = await call('POST', '/v1/audio/transcriptions', { body: audioForm({ response_format }) });
      expect(r.status, response_format).toBe(200);
    }
    await call('POST', '/v1/audio/transcriptions', {
      body: audioForm({ response_format: 'verbose_json', 'timestamp_granularities[]': 'word' }),
    });
    await call('POST', '/v1/audio/transcriptions', {
      body: JSON.stringify({ storage_key: key, response_format: 'verbose_json', stored_output: true }),
      headers: { 'content-type': 'application/json' },
    });
    await call('POST', '/v1/audio/translations', { body: audioForm() });
    await call('POST', '/v1/audio/transcriptions', { body: audioForm({ temperature: 'hot' }) });
    await call('POST', '/v1/audio/transcriptions', { body: 'x', headers: { 'content-type': 'text/plain' } });
    vi.restoreAllMocks();
    stubGpuService(() =>
      Response.json({
        duration: 2,
        backend: 'acoustic',
        speakers: ['SPEAKER_00'],
        turns: [{ start: 0, end: 2, speaker: 'SPEAKER_00' }],
      }),
    );
    await call('POST', '/v1/audio/diarization', { body: audioForm() });
    await call('POST', '/v1/audio/diarization', { body: audioForm({ response_format: 'rttm' }) });
    await call('DELETE', `/v1/uploads/${key}`);
    await call('DELETE', `/v1/uploads/${key}`);
    // Voice profiles.
    const profileForm = new FormData();
    profileForm.append('name', 'Ann');
    profileForm.append('file', new File([wav(3, 7)], 'ann.wav', { type: 'audio/wav' }));
    const profile = (await (await call('POST', '/v1/speakers', { body: profileForm })).json()) as {
      id: string;
    };
    await call('GET', '/v1/speakers');
    await call('GET', `/v1/speakers/${profile.id}`);
    await call('DELETE', `/v1/speakers/${profile.id}`);
    await call('GET', `/v1/speakers/${profile.id}`);
    // Usage.
    await call('GET', '/v1/usage');
    await call('GET', '/v1/usage?start_time=soon');
    // Jobs, on the real queue and Durable Objects.
    vi.restoreAllMocks();
    stubGpuPool({
      'http://gpu.test': { kind: 'ok', text: 'job words', steps: 2 },
      'http://gpu-b.test': { kind: 'ok', text: 'job words', steps: 2 },
    });
    const submitted = await call('POST', '/v1/audio/transcriptions', {
      body: audioForm({ async: 'true', response_format: 'verbose_json' }),
    });
    expect(submitted.status).toBe(202);
    const job = (await submitted.json()) as { id: string };
    await call('GET', `/v1/jobs/${job.id}/result`);
    let status = '';
    for (let i = 0; i < 300 && status !== 'succeeded'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = ((await (await call('GET', `/v1/jobs/${job.id}`)).json()) as { status: string }).status;
    }
    expect(status).toBe('succeeded');
    await call('GET', '/v1/jobs?limit=5');
    await call('GET', '/v1/jobs?limit=500');
    for (const format of ['verbose_json', 'json', 'srt', 'vtt']) {
      await call('GET', `/v1/jobs/${job.id}/result?response_format=${format}`);
    }
    await call('GET', `/v1/jobs/${job.id}/result?response_format=diarized_json`);
    const events = await call('GET', `/v1/jobs/${job.id}/events`);
    await events.body?.cancel();
    await call('DELETE', `/v1/jobs/${job.id}`);
    await call('DELETE', `/v1/jobs/${job.id}/result`);
    await call('GET', `/v1/jobs/${job.id}/result`);
    await call('GET', '/v1/jobs/job_00000000000000000000000000000000');
    // Signed object URLs.
    await call('GET', '/internal/objects/uploads/anything.wav');
    await call('GET', '/internal/objects/uploads/anything.wav?method=GET&expires=1&signature=00');
    expect(problems).toEqual([]);
  });

  it('refuses a JSON request the document does not allow', async () => {
    doc = await document();
    const url = 'http://edge.test/v1/audio/transcriptions';
    expect(checkJsonRequest(doc, 'POST', url, { storage_key: 'a.flac', response_format: 'json' })).toEqual(
      [],
    );
    expect(checkJsonRequest(doc, 'POST', url, { response_format: 'mp3' }).length).toBeGreaterThan(0);
    expect(checkJsonRequest(doc, 'POST', url, { num_speakers: 99 }).length).toBeGreaterThan(0);
  });

  it('is refused by the checker when an answer drifts from it', async () => {
    doc = await document();
    const drifted = Response.json(
      { text: 'x', usage: { type: 'duration', seconds: 1 }, surprise: true },
      { headers: { 'x-request-id': 'r' } },
    );
    const found = await checkAnswer(doc, 'POST', 'http://edge.test/v1/audio/transcriptions', drifted);
    expect(found.length).toBeGreaterThan(0);
    const undescribed = await checkAnswer(
      doc,
      'GET',
      'http://edge.test/v1/usage',
      new Response('x', { status: 418, headers: { 'x-request-id': 'r' } }),
    );
    expect(undescribed[0]).toMatch(/does not describe status 418/);
  });
});
