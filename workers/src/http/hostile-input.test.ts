import { env } from 'cloudflare:test';
import { checkAnswer, type OpenApiDocument } from '@whisper-edge/shared/test-support/openapi-responses';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeResult, stubGpuService } from '../../test/gpu-stub.js';
import app from '../index.js';

/**
 * Property-based fuzzing of the edge's parsing and every route's fields: whatever arrives, the answer
 * is never a 5xx and every error is OpenAI's shape. The GPU service is stubbed (it cannot run in
 * workerd) and answers every well-formed call, so a 5xx can only come from the edge itself.
 */

const FLAC = new Uint8Array([0x66, 0x4c, 0x61, 0x43, 0x80, 0x00, 0x00, 0x22, ...new Array(600).fill(7)]);
const FIELDS = [
  'model',
  'language',
  'prompt',
  'response_format',
  'temperature',
  'timestamp_granularities[]',
  'timestamp_granularities',
  'stream',
  'async',
  'callback_url',
  'diarize',
  'num_speakers',
  'min_speakers',
  'max_speakers',
  's3_presigned_url',
  'r2_key',
  'output_key',
  'result_target',
  'chunking_strategy',
  'chunking_strategy[type]',
  'chunking_strategy[threshold]',
  'keywords[]',
  'keywords',
  'max_line_chars',
  'max_lines_per_cue',
  'max_cue_seconds',
  'include[]',
  '__proto__',
  'constructor',
];
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    'true',
    'false',
    '-1',
    '1e309',
    'NaN',
    '0x10',
    '__proto__',
    'constructor',
    '%E0%A4%A',
    '../../etc/passwd',
    'tenants/other/uploads/x.flac',
    'http://127.0.0.1/x',
    'http://[::ffff:127.0.0.1]/',
    's3://bucket/key',
    'verbose_json',
    'srt',
    'diarized_json',
    'paragraphs',
    'server_vad',
    '{"type":"server_vad","threshold":0.5}',
    '{"type":"server_vad","__proto__":{"x":1}}',
    '{"a":1}',
    '[]',
    'a'.repeat(5000),
  ),
);
const fieldsArb = fc.array(fc.tuple(fc.constantFrom(...FIELDS), nasty), { maxLength: 8 });

function expectClearAnswer(response: Response, body: string, what: string): void {
  expect(response.status, `${what} → ${response.status} ${body.slice(0, 300)}`).toBeLessThan(500);
  if (response.status >= 400) {
    const parsed = JSON.parse(body) as { error: Record<string, unknown> };
    expect(Object.keys(parsed.error).sort(), what).toEqual(['code', 'message', 'param', 'type']);
    expect(typeof parsed.error.message).toBe('string');
  }
}

let doc: OpenApiDocument | undefined;

/** Also held to the OpenAPI document: every status the fuzzer provokes must be one it describes. */
async function send(request: Request, what: string): Promise<void> {
  doc ??= (await (
    await app.fetch(new Request('http://edge.test/openapi.json'), env)
  ).json()) as OpenApiDocument;
  const method = request.method;
  const response = await app.fetch(request, env);
  const body = await response.clone().text();
  expectClearAnswer(response, body, what);
  // An unrouted path (the fuzzer's route parameters can leave every route) is the one global 404.
  if (response.status === 404 && body.includes('"route_not_found"')) return;
  expect(await checkAnswer(doc, method, request.url, response), what).toEqual([]);
}

beforeEach(() => {
  // One answer for both internal routes: a transcription result plus a diarization result's fields.
  const diarization = {
    duration: 1,
    backend: 'acoustic',
    speakers: ['SPEAKER_00'],
    turns: [{ start: 0, end: 1, speaker: 'SPEAKER_00' }],
  };
  stubGpuService(() => Response.json({ ...fakeResult('fuzzed'), ...diarization }));
});
afterEach(() => {
  vi.restoreAllMocks();
});

const RUNS = { numRuns: 40 };

describe('hostile input at the edge', () => {
  it('transcription fields in multipart never give a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fieldsArb, fc.boolean(), async (fields, withFile) => {
        const form = new FormData();
        if (withFile) form.append('file', new File([FLAC], 'a.flac'));
        for (const [name, value] of fields) form.append(name, value);
        const what = `multipart ${JSON.stringify(fields).slice(0, 200)}`;
        for (const path of ['/v1/audio/transcriptions', '/v1/audio/translations', '/v1/audio/diarization']) {
          await send(
            new Request(`http://edge.test${path}`, { method: 'POST', body: form }),
            `${path} ${what}`,
          );
        }
      }),
      RUNS,
    );
  });

  it('JSON and urlencoded bodies of any shape never give a 5xx', async () => {
    const jsonish = fc.oneof(
      fc.json(),
      fc
        .dictionary(fc.constantFrom(...FIELDS), fc.oneof(nasty, fc.jsonValue()), { maxKeys: 6 })
        .map((o) => JSON.stringify(o)),
      fc.string({ maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(
        jsonish,
        fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', ''),
        async (body, type) => {
          for (const path of [
            '/v1/audio/transcriptions',
            '/v1/uploads/presign',
            '/v1/uploads/s3/multipart',
            '/v1/uploads/s3/multipart/abc/complete?key=uploads%2Fx',
          ]) {
            const headers = type ? { 'content-type': type } : undefined;
            await send(
              new Request(`http://edge.test${path}`, { method: 'POST', body, headers }),
              `${path} ${type} ${body.slice(0, 200)}`,
            );
          }
        },
      ),
      RUNS,
    );
  });

  it('malformed multipart bodies never give a 5xx', async () => {
    const part = fc.tuple(
      fc.constantFrom(
        'form-data; name="file"; filename="a.flac"',
        'form-data; name="model"',
        'form-data',
        'attachment',
        '',
      ),
      fc.string({ maxLength: 30 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(part, { maxLength: 4 }),
        fc.constantFrom('', '--', '\r\n', '--xyz--'),
        async (parts, tail) => {
          const boundary = 'fuzzB0undary';
          const body =
            parts
              .map(
                ([disposition, content]) =>
                  `--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n${content}\r\n`,
              )
              .join('') + tail;
          for (const type of [
            `multipart/form-data; boundary=${boundary}`,
            'multipart/form-data',
            'multipart/form-data; boundary=',
          ]) {
            await send(
              new Request('http://edge.test/v1/audio/transcriptions', {
                method: 'POST',
                body,
                headers: { 'content-type': type },
              }),
              `${type} ${JSON.stringify(body).slice(0, 200)}`,
            );
          }
        },
      ),
      RUNS,
    );
  });

  it('route parameters and queries of any shape never give a 5xx', async () => {
    const segment = fc.oneof(
      fc.webSegment(),
      nasty.map(encodeURIComponent),
      fc.constantFrom('%', '%zz', '..', '%2e%2e'),
    );
    await fc.assert(
      fc.asyncProperty(segment, fc.webQueryParameters(), async (id, query) => {
        for (const [method, path] of [
          ['GET', `/v1/jobs/${id}`],
          ['GET', `/v1/jobs/${id}/result`],
          ['GET', `/v1/jobs/${id}/result?${query}`],
          ['DELETE', `/v1/jobs/${id}/result`],
          ['DELETE', `/v1/jobs/${id}`],
          ['DELETE', `/v1/jobs/${id}?${query}`],
          ['PATCH', `/v1/jobs/${id}`],
          ['GET', `/v1/jobs/${id}/audio`],
          ['GET', `/v1/jobs/${id}/result/revisions`],
          ['GET', `/v1/jobs/${id}/result/revisions/${id}`],
          ['POST', `/v1/jobs/${id}/result/revisions?${query}`],
          ['GET', `/v1/usage?${query}`],
          ['GET', `/v1/jobs?${query}`],
          ['GET', `/v1/uploads/s3/params?${query}`],
          ['GET', `/v1/uploads/s3/multipart/${id}?${query}`],
          ['GET', `/v1/uploads/s3/multipart/${id}/1?${query}`],
          ['GET', `/v1/uploads/s3/multipart/${id}/batch?${query}`],
          ['DELETE', `/v1/uploads/s3/multipart/${id}?${query}`],
          ['GET', `/internal/objects/${id}?${query}`],
          ['GET', `/v1/models/${id}`],
          ['DELETE', `/v1/uploads/${id}`],
          ['DELETE', `/v1/uploads/uploads/${id}`],
        ] as const) {
          await send(new Request(`http://edge.test${path}`, { method }), `${method} ${path}`);
        }
      }),
      RUNS,
    );
  });
});
