import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { ApiError, SIGNATURE_HEADER, signRequest, TIMESTAMP_HEADER } from '@whisper-edge/shared';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from './verify-signature.js';

const secret = 'a-test-secret-of-enough-length';
const cap = 1024 * 1024;

function echoApp() {
  const app = new Hono();
  app.onError((error, c) =>
    error instanceof ApiError
      ? c.json(error.toBody(), error.status as ContentfulStatusCode)
      : c.json({ error: { message: error.message } }, 500),
  );
  app.use('/internal/*', verifySignature({ secret, maxBodyBytes: cap }));
  app.post('/internal/echo', async (c) => c.json({ got: await c.req.json() }));
  return app;
}

let base: { host: string; port: number };
let close: () => Promise<void>;

beforeAll(async () => {
  const server = serve({ fetch: echoApp().fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
  close = () =>
    new Promise((resolve) => {
      (server as unknown as { closeAllConnections: () => void }).closeAllConnections();
      server.close(() => resolve());
    });
});
afterAll(() => close());

const total = 200 * 1024 * 1024;

interface Answer {
  status: number;
  body: string;
  /** Bytes of the body the client had written when the response's head arrived. */
  sentAtResponse: number;
}

/**
 * POSTs `bytes` of body (chunked unless `contentLength` is given), writing as fast as the socket takes
 * it, and stops as soon as the response arrives; gives up after `timeoutMs`.
 */
function post(
  headers: Record<string, string>,
  options: { bytes: number; contentLength?: number; timeoutMs?: number },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    let answered = false;
    const req = httpRequest({
      ...base,
      method: 'POST',
      path: '/internal/echo',
      headers: {
        'content-type': 'application/json',
        ...(options.contentLength !== undefined ? { 'content-length': String(options.contentLength) } : {}),
        ...headers,
      },
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no response within ${options.timeoutMs ?? 15_000} ms (sent ${sent} bytes)`));
    }, options.timeoutMs ?? 15_000);
    req.on('response', (res) => {
      answered = true;
      const sentAtResponse = sent;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        body += text;
      });
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, sentAtResponse });
      });
      res.on('error', () => undefined);
    });
    req.on('error', (error) => {
      // The server may close the socket after answering early; only a failure before any answer counts.
      if (!answered) {
        clearTimeout(timer);
        reject(error);
      }
    });
    const pump = () => {
      while (!answered && sent < options.bytes) {
        const piece = chunk.subarray(0, Math.min(chunk.length, options.bytes - sent));
        sent += piece.length;
        if (!req.write(piece)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered && sent >= options.bytes && options.contentLength === undefined) req.end();
    };
    req.flushHeaders();
    pump();
  });
}

const wellFormed = () => ({
  [TIMESTAMP_HEADER]: String(Math.floor(Date.now() / 1000)),
  [SIGNATURE_HEADER]: 'ab'.repeat(32),
});

describe('verifySignature on a real server', () => {
  it('answers an unsigned 200 MB chunked POST with 401 before reading it', async () => {
    const answer = await post({}, { bytes: total });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: { message: 'missing request signature', code: 'invalid_signature' },
    });
    expect(answer.sentAtResponse).toBeLessThan(total / 4);
  });

  it('answers a stale or malformed signature with 401 before reading the body', async () => {
    const stale = await post(
      { ...wellFormed(), [TIMESTAMP_HEADER]: String(Math.floor(Date.now() / 1000) - 3600) },
      { bytes: total },
    );
    expect(stale.status).toBe(401);
    expect(stale.sentAtResponse).toBeLessThan(total / 4);
    const malformed = await post({ ...wellFormed(), [SIGNATURE_HEADER]: 'nope' }, { bytes: total });
    expect(malformed.status).toBe(401);
    expect(malformed.sentAtResponse).toBeLessThan(total / 4);
  });

  it('refuses a declared Content-Length over the cap with 413 without waiting for the body', async () => {
    const answer = await post(wellFormed(), { bytes: 0, contentLength: 100 * 1024 * 1024, timeoutMs: 5000 });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'request_too_large' } });
  });

  it('stops reading a chunked body once it crosses the cap and answers 413', async () => {
    const answer = await post(wellFormed(), { bytes: total });
    expect(answer.status).toBe(413);
    expect(answer.sentAtResponse).toBeLessThan(total / 4);
  });

  it('still verifies the HMAC over the body and hands the body on to the route', async () => {
    const body = JSON.stringify({ audio_url: 'https://example.com/a.flac', n: 1 });
    const headers = await signRequest(secret, { method: 'POST', path: '/internal/echo', body });
    const ok = await fetch(`http://${base.host}:${base.port}/internal/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ got: JSON.parse(body) });
    const swapped = await fetch(`http://${base.host}:${base.port}/internal/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: body.replace('"n":1', '"n":2'),
    });
    expect(swapped.status).toBe(401);
    expect(await swapped.json()).toMatchObject({ error: { message: 'invalid request signature' } });
  });
});
