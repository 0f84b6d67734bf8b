import { openAsBlob, readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { convertSpeech, probeDuration, speechFlac } from '@whisper-edge/gpu-service/testing/fixtures';
import { checkAnswer, type OpenApiDocument } from '@whisper-edge/shared/test-support/openapi-responses';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLogLines } from './test-support/log-lines.js';
import { freePort, isListening, type RunningStack, root, startStack } from './test-support/stack.js';

/**
 * End to end through the real pieces: `npm start`'s runner starts wrangler dev (workerd, local R2)
 * and the GPU service process with the generated Whisper model on onnxruntime; requests go in over
 * HTTP exactly as a client's would.
 */
let stack: RunningStack;
let edgePort: number;
let gpuPort: number;
const edge = () => `http://127.0.0.1:${edgePort}`;

async function transcribe(file: string, fields: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  form.append('file', await openAsBlob(file), path.basename(file));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return fetch(`${edge()}/v1/audio/transcriptions`, { method: 'POST', body: form });
}

beforeAll(async () => {
  edgePort = await freePort();
  gpuPort = await freePort();
  stack = await startStack(['--test-model', '--port', String(edgePort), '--gpu-port', String(gpuPort)]);
});

afterAll(async () => {
  await stack?.stop('SIGKILL');
});

describe('local stack (npm start)', () => {
  it('reports health in the storage guide shape with the GPU service on CPU', async () => {
    const response = await fetch(`${edge()}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'healthy',
      gpu_available: false,
      storage_clients: { r2_enabled: true },
      gpu_service: { reachable: true, device: 'cpu', model_loaded: true },
    });
  });

  const expected = probeDuration(speechFlac);
  const inputs = { flac: speechFlac, wav: convertSpeech('wav'), mp3: convertSpeech('mp3') };
  const texts: Record<string, string> = {};

  for (const [format, file] of Object.entries(inputs)) {
    it(`transcribes a ${format} clip through R2 and the generated model`, async () => {
      const response = await transcribe(file, { response_format: 'verbose_json' });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { text: string; duration: number; segments: unknown[] };
      expect(typeof body.text).toBe('string');
      expect(body.text.length).toBeGreaterThan(0);
      expect(Math.abs(body.duration - expected)).toBeLessThanOrEqual(0.1);
      texts[format] = body.text;
    });
  }

  it('answers OpenAI json with the same text for the same input (fixed model, greedy decoding)', async () => {
    const response = await transcribe(speechFlac);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['text', 'usage']);
    expect(body.text).toBe(texts.flac);
    // The clip is about 5 s: billed seconds are its duration rounded up, as OpenAI reports them.
    expect(body.usage).toMatchObject({ type: 'duration' });
    expect((body.usage as { seconds: number }).seconds).toBeGreaterThan(0);
  });

  it('answers plain text for response_format=text', async () => {
    const response = await transcribe(speechFlac, { response_format: 'text' });
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe(`${texts.flac}\n`);
  });

  it('answers 400 in the OpenAI shape without a file', async () => {
    const form = new FormData();
    form.append('model', 'whisper-1');
    const response = await fetch(`${edge()}/v1/audio/transcriptions`, { method: 'POST', body: form });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'file' } });
  });

  it('answers 400 "could not decode audio" for a file that is not audio', async () => {
    const response = await transcribe(path.join(root, 'package.json'));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/^could not decode audio/);
  });

  it('has the GPU service refuse a call that the edge did not sign', async () => {
    const response = await fetch(`http://127.0.0.1:${gpuPort}/internal/transcribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ audio_url: `${edge()}/anything`, options: {} }),
    });
    expect(response.status).toBe(401);
  });

  it('never prints the shared secret', () => {
    const secret = readFileSync(path.join(root, `.wrangler/dev-secrets-${edgePort}.env`), 'utf8')
      .split('=')[1]!
      .trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(stack.output()).not.toContain(secret);
  });

  it('carries x-request-id from the caller through the edge to the GPU service process and back', async () => {
    const requestId = `e2e-sync-${Date.now()}`;
    const form = new FormData();
    form.append('file', await openAsBlob(speechFlac), 'speech.flac');
    const response = await fetch(`${edge()}/v1/audio/transcriptions`, {
      method: 'POST',
      body: form,
      headers: { 'x-request-id': requestId },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const mine = jsonLogLines(stack.output()).filter((line) => line.request_id === requestId);
    // The GPU service's own lines (its process, its stdout) name the edge's request.
    expect(mine.filter((l) => l.service === 'gpu-service').map((l) => l.msg)).toEqual(
      expect.arrayContaining(['transcribe', 'transcribed', 'request']),
    );
    expect(mine.find((l) => l.service === 'gpu-service' && l.msg === 'request')).toMatchObject({
      path: '/internal/transcribe',
      status: 200,
    });
    // An error answer carries it too, in its body.
    const refused = await fetch(`${edge()}/v1/jobs?limit=0`, { headers: { 'x-request-id': requestId } });
    expect(await refused.json()).toMatchObject({ error: { param: 'limit' }, request_id: requestId });
  });

  it('serves an OpenAPI 3.1 document that the OAS 3.1 schema accepts and that real answers match', async () => {
    const doc = (await (await fetch(`${edge()}/openapi.json`)).json()) as OpenApiDocument;
    const validator = new Validator();
    const verdict = await validator.validate(doc as unknown as Record<string, unknown>);
    expect(verdict.errors ?? [], String(JSON.stringify(verdict.errors)).slice(0, 2000)).toEqual([]);
    expect(verdict.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    const problems: string[] = [];
    const check = async (method: string, path: string, init: RequestInit = {}) => {
      const url = `${edge()}${path}`;
      const response = await fetch(url, { ...init, method });
      problems.push(...(await checkAnswer(doc, method, url, response)));
      return response;
    };
    await check('GET', '/health');
    await check('GET', '/v1/models');
    const uploadForm = new FormData();
    uploadForm.append('file', await openAsBlob(speechFlac), 'speech.flac');
    const { key } = (await (await check('POST', '/v1/uploads', { body: uploadForm })).json()) as {
      key: string;
    };
    // The real GPU service's answers, through wrangler dev, in each JSON format and as text.
    for (const [format, extra] of [
      ['json', {}],
      ['verbose_json', { 'timestamp_granularities[]': 'word' }],
      ['diarized_json', {}],
      ['srt', {}],
    ] as const) {
      const response = await check('POST', '/v1/audio/transcriptions', {
        body: new URLSearchParams({ storage_key: key, response_format: format, ...extra }),
      });
      expect(response.status, format).toBe(200);
    }
    await check('POST', '/v1/audio/diarization', { body: new URLSearchParams({ storage_key: key }) });
    await check('GET', '/v1/usage');
    await check('POST', '/v1/audio/transcriptions', {
      body: new URLSearchParams({ storage_key: 'nope.flac' }),
    });
    await check('DELETE', `/v1/uploads/${key}`);
    expect(problems).toEqual([]);
  });

  it('renders the API reference at /docs from /openapi.json, with no request leaving the origin', async () => {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      const elsewhere: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(edge())) elsewhere.push(request.url());
      });
      await page.goto(`${edge()}/docs/`);
      await page
        .getByText('Transcribe audio (OpenAI-compatible), sync, streamed or as a job')
        .first()
        .waitFor({
          timeout: 30_000,
        });
      expect(await page.getByText('/v1/jobs/{id}/result', { exact: true }).count()).toBeGreaterThan(0);
      await page.screenshot({
        path: path.join(root, 'test-output/screenshots/api-docs.png'),
        fullPage: false,
      });
      expect(elsewhere).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('stops both services on Ctrl-C', async () => {
    expect(await stack.stop('SIGINT')).toBe(0);
    expect(await isListening(edgePort)).toBe(false);
    expect(await isListening(gpuPort)).toBe(false);
  });
});

describe('edge with the GPU service down', () => {
  it('answers 503 with a clear message', async () => {
    // A port held by a socket that drops every connection: a GPU host that is down. Holding it keeps
    // any other process (the stack's own workerd picks ephemeral ports too) from answering there.
    const deadGpu = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => deadGpu.listen(0, '127.0.0.1', resolve));
    const deadPort = (deadGpu.address() as AddressInfo).port;
    const edgeOnly = await startStack(['--edge-only', '--gpu-port', String(deadPort)]);
    try {
      const form = new FormData();
      form.append('file', await openAsBlob(speechFlac), 'speech.flac');
      const response = await fetch(`${edgeOnly.edge}/v1/audio/transcriptions`, {
        method: 'POST',
        body: form,
      });
      expect(response.status).toBe(503);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(
        /^GPU service unavailable: could not reach http:\/\/127\.0\.0\.1:\d+/,
      );
    } finally {
      await edgeOnly.stop('SIGKILL');
      deadGpu.close();
    }
  });
});
