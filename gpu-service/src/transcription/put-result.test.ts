import type { TranscriptionResult } from '@whisper-edge/shared';
import { withLogContext } from '@whisper-edge/shared/logging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/file-server.js';
import { putResult } from './put-result.js';

const result: TranscriptionResult = {
  task: 'transcribe',
  text: 'hello',
  language: 'en',
  duration: 1,
  model: 'm',
  segments: [{ id: 0, start: 0, end: 1, text: ' hello' }],
};

let server: TestServer;
const received: Array<{ url: string; type: string | undefined; body: string; id?: string | undefined }> = [];
let flaky = 0;

beforeAll(async () => {
  server = await startServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      if (req.url === '/flaky' && flaky++ < 2) return void res.writeHead(503).end();
      if (req.url === '/denied') return void res.writeHead(403).end();
      received.push({
        url: req.url!,
        type: req.headers['content-type'],
        body,
        id: req.headers['x-request-id'] as string | undefined,
      });
      res.writeHead(200).end();
    });
  });
});
afterAll(() => server.close());

describe('putResult', () => {
  it('sends the id of the request it serves, so the receiver’s logs name it', async () => {
    const outcome = await withLogContext({ request_id: 'req_put_test_0123' }, () =>
      putResult({ url: `${server.url}/traced`, format: 'text' }, result),
    );
    expect(outcome.ok).toBe(true);
    expect(received.find((r) => r.url === '/traced')?.id).toBe('req_put_test_0123');
  });

  it('PUTs the result in the requested format', async () => {
    expect(await putResult({ url: `${server.url}/ok`, format: 'srt' }, result)).toEqual({
      ok: true,
      bytes: 38,
    });
    expect(received.at(-1)).toEqual({
      url: '/ok',
      type: 'text/plain; charset=utf-8',
      body: '1\n00:00:00,000 --> 00:00:01,000\nhello\n',
    });
  });

  it('retries transient failures', async () => {
    const outcome = await putResult({ url: `${server.url}/flaky`, format: 'json' }, result, { backoffMs: 1 });
    const body = '{"text":"hello","usage":{"type":"duration","seconds":1}}';
    expect(outcome).toEqual({ ok: true, bytes: body.length });
    expect(received.at(-1)?.body).toBe(body);
    expect(flaky).toBe(3);
  });

  it('reports a refusal without retrying or throwing', async () => {
    const outcome = await putResult({ url: `${server.url}/denied`, format: 'json' }, result, {
      backoffMs: 1,
    });
    expect(outcome).toEqual({ ok: false, error: 'could not write the result (upstream HTTP 403)' });
  });

  it('reports an unreachable target', async () => {
    const outcome = await putResult({ url: 'http://127.0.0.1:9/x', format: 'json' }, result, {
      backoffMs: 1,
      attempts: 2,
    });
    expect(outcome.ok).toBe(false);
  });
});
