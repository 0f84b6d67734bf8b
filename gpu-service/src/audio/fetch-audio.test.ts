import { ApiError } from '@whisper-edge/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/file-server.js';
import { openAudioStream } from './fetch-audio.js';

let server: TestServer;
const flakyRanges: string[] = [];

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url === '/ok') res.writeHead(200, { 'content-length': '5' }).end('abcde');
    else if (req.url === '/redirect') res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
    else if (req.url === '/chunked') {
      res.writeHead(200);
      res.write('x'.repeat(600));
      res.end('y'.repeat(600));
    } else if (req.url === '/flaky' || req.url === '/flaky-no-range') {
      // 100 bytes; the first answer breaks off after 40, as a store dropping a slow reader would.
      const body = Buffer.from(Array.from({ length: 100 }, (_, i) => 65 + (i % 26)));
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      flakyRanges.push(req.headers.range ?? '');
      if (!range) {
        res.writeHead(200, { 'content-length': '100' });
        res.write(body.subarray(0, 40), () => res.destroy());
      } else if (req.url === '/flaky-no-range') {
        res.writeHead(200, { 'content-length': '100' }).end(body);
      } else {
        const start = Number(range[1]);
        res.writeHead(206, {
          'content-range': `bytes ${start}-99/100`,
          'content-length': String(100 - start),
        });
        res.end(body.subarray(start));
      }
    } else if (req.url === '/drip') {
      // A byte every 100 ms: a source slow enough to hold a slot for hours on a real file.
      res.writeHead(200, { 'content-length': '1000' });
      const timer = setInterval(() => res.write('z'), 100);
      res.on('close', () => clearInterval(timer));
    } else if (req.url === '/stall') {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('z'.repeat(10));
    } else if (req.url === '/no-answer') {
      // Accepts the request and never answers it.
    } else if (req.url === '/r2-down') {
      res.writeHead(500).end('internal error');
    } else if (req.url === '/big') {
      res.writeHead(200, { 'content-length': String(64 * 1024) }).end(Buffer.alloc(64 * 1024, 1));
    } else res.writeHead(403).end('denied');
  });
});
afterAll(() => server.close());

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('openAudioStream', () => {
  it('streams a 200 body', async () => {
    expect(await readAll(await openAudioStream(`${server.url}/ok`, { maxBytes: 100 }))).toBe('abcde');
  });

  it('resumes a broken download with a Range request from the byte it reached', async () => {
    flakyRanges.length = 0;
    const text = await readAll(await openAudioStream(`${server.url}/flaky`, { maxBytes: 1000 }));
    expect(text).toBe(Array.from({ length: 100 }, (_, i) => String.fromCharCode(65 + (i % 26))).join(''));
    expect(flakyRanges).toEqual(['', 'bytes=40-']);
  });

  it('fails clearly when a broken download cannot be resumed', async () => {
    const stream = await openAudioStream(`${server.url}/flaky-no-range`, { maxBytes: 1000 });
    const error = await readAll(stream).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(/broke at byte 40 and could not be resumed/);
  });

  it('refuses to follow redirects', async () => {
    const error = await failure(openAudioStream(`${server.url}/redirect`, { maxBytes: 100 }));
    expect(error.status).toBe(400);
    expect(error.message).toBe('Failed to download audio (upstream HTTP 302)');
  });

  it('refuses external URLs that are not https or point at private addresses', async () => {
    const plain = await failure(openAudioStream(`${server.url}/ok`, { maxBytes: 100, source: 'external' }));
    expect(plain.message).toBe('Failed to download from pre-signed URL (only https is allowed)');
    for (const url of [
      'https://127.0.0.1/x',
      'https://[::1]/x',
      'https://169.254.169.254/latest/meta-data',
    ]) {
      const error = await failure(openAudioStream(url, { maxBytes: 100, source: 'external' }));
      expect(error.message).toBe('Failed to download from pre-signed URL (the address is not public)');
    }
    const named = await failure(
      openAudioStream('https://localhost:8443/x', { maxBytes: 100, source: 'external' }),
    );
    expect(named.message).toContain('non-public address');
  });

  it('reports the upstream status of a denied download', async () => {
    const error = await failure(openAudioStream(`${server.url}/denied`, { maxBytes: 100 }));
    expect(error.message).toContain('upstream HTTP 403');
  });

  it('calls our own store failing (5xx, unreachable) a retryable 503, a caller’s URL failing their 400', async () => {
    const ours = await failure(openAudioStream(`${server.url}/r2-down`, { maxBytes: 100, source: 'edge' }));
    expect(ours).toMatchObject({ status: 503, code: 'audio_storage_unavailable', retryAfter: 5 });
    expect(ours.message).toContain('upstream HTTP 500');
    const gone = await failure(openAudioStream('http://127.0.0.1:1/x', { maxBytes: 100, source: 'edge' }));
    expect(gone).toMatchObject({ status: 503, code: 'audio_storage_unavailable' });
    const theirs = await failure(
      openAudioStream(`${server.url}/r2-down`, {
        maxBytes: 100,
        source: 'external',
        allowPrivateExternal: true,
      }),
    );
    expect(theirs).toMatchObject({ status: 400, code: 'audio_download_failed' });
  });

  it('enforces the size limit from Content-Length and on chunked bodies', async () => {
    expect((await failure(openAudioStream(`${server.url}/ok`, { maxBytes: 4 }))).status).toBe(413);
    const chunked = await openAudioStream(`${server.url}/chunked`, { maxBytes: 1000 });
    expect((await failure(readAll(chunked))).status).toBe(413);
  });

  describe('pace', () => {
    const pace = { minBytesPerSecond: 1000, stallSeconds: 0.5, graceSeconds: 0.3 };
    const slow = { maxBytes: 10_000, pace, source: 'external' as const, allowPrivateExternal: true };

    it('refuses a source that drips bytes below the minimum rate, as the caller’s 400', async () => {
      const error = await failure(openAudioStream(`${server.url}/drip`, slow).then(readAll));
      expect(error.status).toBe(400);
      expect(error.code).toBe('audio_download_too_slow');
      expect(error.message).toMatch(/below the 1000 bytes\/s minimum/);
    });

    it('refuses a source that stops sending; our own store being slow is a retryable 503', async () => {
      const error = await failure(
        openAudioStream(`${server.url}/stall`, { maxBytes: 10_000, pace }).then(readAll),
      );
      expect(error.status).toBe(503);
      expect(error.code).toBe('audio_download_too_slow');
      expect(error.message).toMatch(/no data for 0.5 s/);
    });

    it('refuses a server that never answers the request', async () => {
      const error = await failure(openAudioStream(`${server.url}/no-answer`, slow));
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/no answer within 0.5 s/);
    });

    it('does not count its own slow reading (back-pressure) against the source', async () => {
      const stream = await openAudioStream(`${server.url}/big`, {
        maxBytes: 1 << 20,
        pace: { minBytesPerSecond: 1 << 20, stallSeconds: 5, graceSeconds: 0.1 },
      });
      const reader = stream.getReader();
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        // The consumer takes far longer than the network: ~1 s in all for 64 KiB, i.e. 64 KiB/s.
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
      expect(bytes).toBe(64 * 1024);
    });
  });
});
