import { env } from 'cloudflare:test';
import {
  type GpuRealtimeClientMessage,
  type GpuRealtimeEvent,
  REALTIME_PATH,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyRequest,
} from '@whisper-edge/shared';
import { vi } from 'vitest';
import { stubHealth } from './gpu-stub.js';

/**
 * A scripted step: once the service has received `atMs` of audio, it sends `emit` (events in its own
 * connection's times), or drops the connection (`die`), as a killed service does. Steps run inside the
 * Durable Object's request, where the socket lives (workerd allows its I/O nowhere else).
 */
export interface Step {
  atMs: number;
  emit?: GpuRealtimeEvent[];
  die?: boolean;
}

/**
 * GPU services for live sessions, inside workerd where the real one cannot run (no onnxruntime): each
 * checks the edge's signed upgrade as the GPU service does and hands back one end of a WebSocketPair.
 * The test sees what the edge sent (messages, audio) and scripts what the service says; a commit is
 * answered as the service would (committed, then completed with a transcript naming the audio's length).
 */
export class FakeGpuSession {
  readonly messages: GpuRealtimeClientMessage[] = [];
  private chunks: Uint8Array[] = [];
  private utterances = 0;
  private lastCut = 0;
  private inbox: Promise<void> = Promise.resolve();
  closed = false;

  constructor(
    readonly origin: string,
    readonly signatureOk: boolean,
    private readonly socket: WebSocket,
    private readonly script: Step[] = [],
  ) {
    socket.accept();
    // Binary frames arrive as Blobs here: reading one is async, so every frame is handled in order.
    socket.addEventListener('message', (event) => {
      const data = event.data as string | ArrayBuffer | Blob;
      this.inbox = this.inbox.then(async () => {
        if (typeof data === 'string') this.onMessage(JSON.parse(data) as GpuRealtimeClientMessage);
        else this.chunks.push(new Uint8Array(data instanceof Blob ? await data.arrayBuffer() : data));
        this.runScript();
      });
    });
    socket.addEventListener('close', () => {
      this.closed = true;
    });
  }

  /** The 16 kHz PCM16 received so far, as samples. */
  samples(): Int16Array {
    const total = this.chunks.reduce((n, c) => n + c.byteLength, 0);
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const c of this.chunks) {
      bytes.set(c, at);
      at += c.byteLength;
    }
    return new Int16Array(bytes.buffer, 0, total >> 1);
  }

  get receivedMs(): number {
    return Math.round((this.samples().length * 1000) / 16_000);
  }

  private emit(event: GpuRealtimeEvent): void {
    if (!this.closed) this.socket.send(JSON.stringify(event));
  }

  private runScript(): void {
    while (this.script.length > 0 && this.script[0]!.atMs <= this.receivedMs && !this.closed) {
      const step = this.script.shift()!;
      for (const event of step.emit ?? []) this.emit(event);
      if (step.die) {
        this.closed = true;
        this.socket.close(1011, 'killed');
      }
    }
  }

  /** Stops answering commits (a service about to die mid-decode). */
  silent = false;

  private onMessage(message: GpuRealtimeClientMessage): void {
    this.messages.push(message);
    if (this.silent) return;
    if (message.type === 'configure')
      this.emit({ type: 'configured', model: 'test', language: message.language ?? null });
    if (message.type === 'commit') {
      const end = this.receivedMs;
      if (end - this.lastCut < 100) {
        this.emit({
          type: 'error',
          ...(message.ref ? { ref: message.ref } : {}),
          error: {
            message: 'buffer too small',
            type: 'invalid_request_error',
            code: 'input_audio_buffer_commit_empty',
            param: null,
          },
        });
        return;
      }
      const utterance = this.utterances++;
      this.emit({ type: 'committed', utterance, audio_start_ms: this.lastCut, audio_end_ms: end });
      this.emit({
        type: 'completed',
        utterance,
        transcript: `heard ${end - this.lastCut} ms`,
        language: 'en',
        audio_seconds: (end - this.lastCut) / 1000,
      });
      this.lastCut = end;
    }
    if (message.type === 'clear') this.lastCut = this.receivedMs;
  }
}

export function stubRealtimeGpus(
  options: {
    dead?: string[];
    /** The steps of the n-th connection (0, 1, … in the order the edge opens them). */
    script?: (n: number) => Step[];
    /** Connections that never answer commits. */
    silent?: (n: number) => boolean;
  } = {},
) {
  const sessions: FakeGpuSession[] = [];
  const dead = new Set(options.dead ?? []);
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!['http://gpu.test', 'http://gpu-b.test'].includes(url.origin))
      throw new TypeError(`unexpected fetch to ${url.origin}`);
    if (dead.has(url.origin)) throw new TypeError(`connection refused: ${url.origin}`);
    if (url.pathname === '/health') return Response.json(stubHealth());
    if (url.pathname !== REALTIME_PATH || request.headers.get('upgrade') !== 'websocket')
      return new Response('not found', { status: 404 });
    const verdict = await verifyRequest(
      env.GPU_SHARED_SECRET!,
      { method: request.method, path: url.pathname + url.search, body: '' },
      { timestamp: request.headers.get(TIMESTAMP_HEADER), signature: request.headers.get(SIGNATURE_HEADER) },
    );
    if (!verdict.ok) return new Response(null, { status: 401 });
    const pair = new WebSocketPair();
    const n = sessions.length;
    const session = new FakeGpuSession(url.origin, verdict.ok, pair[1], options.script?.(n) ?? []);
    session.silent = options.silent?.(n) ?? false;
    sessions.push(session);
    return new Response(null, { status: 101, webSocket: pair[0] });
  });
  return {
    sessions,
    /** Makes a service unreachable from now on (new connections and /health); use a `die` step to drop one. */
    kill(origin: string) {
      dead.add(origin);
    },
    restore: () => spy.mockRestore(),
  };
}
