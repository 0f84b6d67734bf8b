import { env } from 'cloudflare:test';
import type { RealtimeServerEvent } from '@whisper-edge/shared';
import app from '../src/index.js';

type Event = RealtimeServerEvent & Record<string, unknown>;

/** A client of `GET /v1/realtime` inside workerd: the socket, every event it got, and waits. */
export async function connectRealtime(
  options: { path?: string; headers?: Record<string, string>; env?: typeof env } = {},
) {
  const response = await app.fetch(
    new Request(`http://edge.test${options.path ?? '/v1/realtime?intent=transcription'}`, {
      headers: { upgrade: 'websocket', ...options.headers },
    }),
    options.env ?? env,
  );
  const ws = response.webSocket;
  if (!ws) throw new Error(`no upgrade: HTTP ${response.status} ${await response.text()}`);
  ws.accept();
  const events: Event[] = [];
  let closed: { code: number; reason: string } | null = null;
  ws.addEventListener('message', (m) => events.push(JSON.parse(m.data as string) as Event));
  ws.addEventListener('close', (e) => {
    closed = { code: e.code, reason: e.reason };
  });
  const until = async <T>(check: () => T | undefined | false, what: string, ms = 10_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = check();
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}: ${JSON.stringify(events.map((e) => e.type))}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return {
    response,
    ws,
    events,
    closed: () => closed,
    send: (event: unknown) => ws.send(JSON.stringify(event)),
    of: (type: string) => events.filter((e) => e.type === type),
    /** The next event of `type` after `after` events (default: any so far). */
    next: (type: string, after = 0) =>
      until(() => events.slice(after).find((e) => e.type === type), type) as Promise<Event>,
    until,
    waitClosed: () => until(() => closed, 'close') as Promise<{ code: number; reason: string }>,
  };
}

/** PCM16 little-endian bytes of `samples` as base64, as input_audio_buffer.append carries them. */
export function pcmBase64(samples: Int16Array): string {
  const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** A tone of `hz` at `rate`, `seconds` long, at half scale. */
export function tone(hz: number, rate: number, seconds: number): Int16Array {
  return Int16Array.from({ length: Math.round(rate * seconds) }, (_, i) =>
    Math.round(16_000 * Math.sin((2 * Math.PI * hz * i) / rate)),
  );
}
