import { randomUUID } from 'node:crypto';
import { type GpuRealtimeEvent, REALTIME_PATH } from '@whisper-edge/shared';
import { toPcm16 } from '@whisper-edge/shared/pcm16';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { padded } from '../../../test/realtime-support.js';
import { createTestApp, signedUpgradeHeaders } from '../../../test/test-app.js';
import { speechSamples } from '../../../test/test-model.js';
import { listen } from '../../../test/test-server.js';

/** The signed WebSocket route on a real port, the generated model and real VAD behind it. */
let server: Awaited<ReturnType<typeof listen>>;
let pcm: Float32Array;

beforeAll(async () => {
  server = await listen(createTestApp({ env: { MAX_REALTIME_SESSIONS: '2' } }));
  pcm = padded(await speechSamples(), 1, 1.5);
});
afterAll(async () => {
  await server?.close();
});

const nonce = () => randomUUID().replaceAll('-', '');

/** Opens a socket (or reports the HTTP status that refused it). */
function connect(path: string, headers: Record<string, string>) {
  return new Promise<
    { socket: WebSocket; events: GpuRealtimeEvent[] } | { status: number; retryAfter: string | undefined }
  >((resolve, reject) => {
    const socket = new WebSocket(server.url.replace('http', 'ws') + path, { headers });
    const events: GpuRealtimeEvent[] = [];
    socket.on('message', (data) => events.push(JSON.parse(String(data))));
    socket.once('open', () => resolve({ socket, events }));
    // Refused upgrades carry a status and headers, no body (the socket is closed right after).
    socket.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] });
      response.resume();
    });
    socket.once('error', reject);
  });
}

async function open() {
  const path = `${REALTIME_PATH}?session=${nonce()}`;
  const result = await connect(path, await signedUpgradeHeaders(path));
  if (!('socket' in result)) throw new Error(`refused: ${result.status}`);
  return result;
}

const until = async (check: () => boolean, ms = 30_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('GET /internal/realtime', () => {
  it('refuses an unsigned, a wrongly signed or a stale upgrade with 401 before accepting it', async () => {
    const path = `${REALTIME_PATH}?session=${nonce()}`;
    const unsigned = await connect(path, {});
    expect(unsigned).toMatchObject({ status: 401 });
    expect(
      await connect(path, await signedUpgradeHeaders(path, 'another-secret-of-enough-length')),
    ).toMatchObject({
      status: 401,
    });
    expect(
      await connect(path, await signedUpgradeHeaders(path, undefined, Date.now() - 3_600_000)),
    ).toMatchObject({
      status: 401,
    });
    // Signed for another path (its query included): refused.
    expect(
      await connect(path, await signedUpgradeHeaders(`${REALTIME_PATH}?session=${nonce()}`)),
    ).toMatchObject({
      status: 401,
    });
  });

  it('accepts a signed upgrade once: the same signed request cannot open a second session', async () => {
    const path = `${REALTIME_PATH}?session=${nonce()}`;
    const headers = await signedUpgradeHeaders(path);
    const first = await connect(path, headers);
    expect('socket' in first).toBe(true);
    const replay = await connect(path, headers);
    expect(replay).toMatchObject({ status: 401 });
    (first as { socket: WebSocket }).socket.close();
  });

  it('holds at most MAX_REALTIME_SESSIONS sessions, refusing more with 429 and Retry-After', async () => {
    const a = await open();
    const b = await open();
    const path = `${REALTIME_PATH}?session=${nonce()}`;
    const third = await connect(path, await signedUpgradeHeaders(path));
    expect(third).toMatchObject({ status: 429, retryAfter: '5' });
    a.socket.close();
    b.socket.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await open();
    again.socket.close();
  });

  it('transcribes a live stream: configure, binary PCM16 frames, VAD turns, partials and the final text', async () => {
    const { socket, events } = await open();
    socket.send(
      JSON.stringify({
        type: 'configure',
        language: 'en',
        turn_detection: { threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 },
      }),
    );
    const bytes = toPcm16(pcm);
    for (let at = 0; at < bytes.length; at += 6400) socket.send(bytes.subarray(at, at + 6400));
    await until(() => events.some((e) => e.type === 'completed'));
    const types = events.map((e) => e.type).filter((t) => t !== 'heartbeat' && t !== 'delta');
    expect(types).toEqual(['configured', 'speech_started', 'speech_stopped', 'committed', 'completed']);
    socket.close();
  });

  it('answers a malformed message with an error event and keeps the socket open', async () => {
    const { socket, events } = await open();
    socket.send('{not json');
    socket.send(JSON.stringify({ type: 'configure', turn_detection: { threshold: 7 } }));
    await until(() => events.filter((e) => e.type === 'error').length === 2);
    expect(events.every((e) => e.type === 'error' && e.error.code === 'invalid_request')).toBe(true);
    socket.send(JSON.stringify({ type: 'configure', turn_detection: null }));
    await until(() => events.some((e) => e.type === 'configured'));
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  });

  it('sends heartbeats while a session is idle', async () => {
    const heartbeat = await listen(createTestApp());
    try {
      // The default gap is 5 s; one within 6 s shows they flow.
      const path = `${REALTIME_PATH}?session=${nonce()}`;
      const socket = new WebSocket(heartbeat.url.replace('http', 'ws') + path, {
        headers: await signedUpgradeHeaders(path),
      });
      const seen = await new Promise<string>((resolve) =>
        socket.on('message', (data) => resolve(String(data))),
      );
      expect(JSON.parse(seen)).toEqual({ type: 'heartbeat' });
      socket.close();
    } finally {
      await heartbeat.close();
    }
  });
});
