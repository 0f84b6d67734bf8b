import { execFileSync } from 'node:child_process';
import WebSocket from 'ws';

export type ServerEvent = { type: string; event_id: string; item_id?: string } & Record<string, unknown>;

/** A file decoded by the real ffmpeg to mono PCM16 at `rate`, `before`/`after` seconds of silence around it. */
export function pcmOf(file: string, rate: number, before = 0, after = 0): Buffer {
  const pcm = execFileSync(
    'ffmpeg',
    ['-loglevel', 'error', '-i', file, '-ac', '1', '-ar', String(rate), '-f', 's16le', 'pipe:1'],
    {
      maxBuffer: 1 << 28,
    },
  );
  return Buffer.concat([
    Buffer.alloc(Math.round(before * rate) * 2),
    pcm,
    Buffer.alloc(Math.round(after * rate) * 2),
  ]);
}

/** A plain `ws` client of the realtime route: every event it got (with when), waits, and audio streaming. */
export async function openRealtime(
  url: string,
  options: { headers?: Record<string, string>; protocols?: string[]; ca?: string | Buffer } = {},
) {
  const socket = new WebSocket(url, options.protocols ?? [], {
    headers: options.headers ?? {},
    ...(options.ca ? { ca: options.ca } : {}),
  });
  const events: Array<ServerEvent & { at: number }> = [];
  let closed: { code: number; reason: string } | null = null;
  socket.on('message', (data) =>
    events.push({ ...(JSON.parse(String(data)) as ServerEvent), at: performance.now() }),
  );
  socket.on('close', (code, reason) => {
    closed = { code, reason: String(reason) };
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  const until = async <T>(
    check: () => T | undefined | false | null,
    what: string,
    ms = 60_000,
  ): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = check();
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}: ${events.map((e) => e.type).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return {
    socket,
    events,
    closed: () => closed,
    send: (event: unknown) => socket.send(JSON.stringify(event)),
    of: (type: string) => events.filter((e) => e.type === type),
    next: (type: string, after = 0, ms?: number) =>
      until(() => events.slice(after).find((e) => e.type === type), type, ms),
    until,
    /**
     * Sends `pcm` (PCM16 bytes at `rate`) as input_audio_buffer.append events of `blockMs`, paced at
     * `speed` × real time (Infinity: as fast as the socket takes them). Returns when each block went out.
     */
    async stream(pcm: Buffer, rate: number, { speed = 1, blockMs = 100, onBlock }: StreamOptions = {}) {
      const block = Math.round((rate * blockMs) / 1000) * 2;
      const started = performance.now();
      const sentAt: number[] = [];
      for (let at = 0, n = 0; at < pcm.length; at += block, n++) {
        socket.send(
          JSON.stringify({
            type: 'input_audio_buffer.append',
            audio: pcm.subarray(at, at + block).toString('base64'),
          }),
        );
        sentAt.push(performance.now());
        await onBlock?.(n, ((at + block) / 2 / rate) * 1000);
        if (Number.isFinite(speed)) {
          const wait = started + ((n + 1) * blockMs) / speed - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
      return { sentAt, blockMs };
    },
    close: () => socket.close(),
  };
}

export interface StreamOptions {
  speed?: number;
  blockMs?: number;
  /** Called after block n went out, with the audio sent so far (ms). */
  onBlock?: (n: number, sentMs: number) => void | Promise<void>;
}
