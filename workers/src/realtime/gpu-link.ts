import {
  ApiError,
  type GpuRealtimeClientMessage,
  type GpuRealtimeEvent,
  gpuRealtimeEventSchema,
  REALTIME_HEARTBEAT_MS,
  REALTIME_PATH,
  signRequest,
} from '@whisper-edge/shared';
import { GpuUnreachableError } from '../gpu/gpu-client.js';
import type { GpuAttempt } from '../gpu/with-gpu.js';

export interface LinkEnd {
  /** We closed it (session over, idle); otherwise the GPU service went away. */
  byUs: boolean;
  reason: string;
}

/** A GPU service silent this long (it sends a heartbeat every 5 s) counts as gone. */
const SILENCE_LIMIT_MS = 3 * REALTIME_HEARTBEAT_MS;

function nonce(): string {
  return crypto.randomUUID().replaceAll('-', '') + crypto.randomUUID().replaceAll('-', '').slice(0, 8);
}

/**
 * One live session's WebSocket to a GPU service (`/internal/realtime`, signed like every internal
 * call, with a one-time nonce in the signed path). Refusals before the upgrade become the ApiErrors
 * withGpu acts on (busy → another service); `ended` settles when the socket closes, saying whether
 * we closed it or the service went away (a dead connection, a crash, silence past the heartbeat).
 */
export class GpuLink {
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private settle!: (end: LinkEnd) => void;
  private finished = false;
  readonly ended: Promise<LinkEnd>;

  private constructor(
    private readonly socket: WebSocket,
    private readonly onEvent: (event: GpuRealtimeEvent) => void,
  ) {
    this.ended = new Promise((resolve) => {
      this.settle = resolve;
    });
    socket.addEventListener('message', (message) => {
      this.arm();
      if (typeof message.data !== 'string') return;
      let raw: unknown;
      try {
        raw = JSON.parse(message.data);
      } catch {
        raw = undefined;
      }
      const parsed = gpuRealtimeEventSchema.safeParse(raw);
      if (!parsed.success) {
        this.finish({ byUs: false, reason: 'the GPU service sent a malformed event' });
        return;
      }
      if (parsed.data.type !== 'heartbeat') this.onEvent(parsed.data);
    });
    socket.addEventListener('close', (event) =>
      this.finish({
        byUs: false,
        reason: `the GPU service closed the connection (${event.code} ${event.reason})`,
      }),
    );
    socket.addEventListener('error', () => this.finish({ byUs: false, reason: 'the GPU connection failed' }));
    this.arm();
  }

  static async open(gpu: GpuAttempt, onEvent: (event: GpuRealtimeEvent) => void): Promise<GpuLink> {
    const url = new URL(`${REALTIME_PATH}?session=${nonce()}`, gpu.baseUrl);
    const signature = await signRequest(gpu.secret, {
      method: 'GET',
      path: url.pathname + url.search,
      body: '',
    });
    let response: Response;
    try {
      response = await fetch(url, { headers: { upgrade: 'websocket', ...signature } });
    } catch (error) {
      throw new GpuUnreachableError(
        503,
        `GPU service unavailable: could not reach ${url.origin} (${(error as Error).message})`,
        {
          code: 'gpu_unavailable',
        },
      );
    }
    const socket = response.webSocket;
    if (response.status !== 101 || !socket) {
      const retryAfter = Number(response.headers.get('retry-after'));
      const status = response.status === 429 || response.status === 503 ? response.status : 503;
      const error = new ApiError(
        status,
        response.status === 401
          ? 'GPU service unavailable: the GPU service refused our signature (GPU_SHARED_SECRET differs)'
          : `GPU service unavailable: it answered the live session with HTTP ${response.status}`,
        { code: response.status === 429 ? 'gpu_busy' : 'gpu_unavailable' },
      );
      throw retryAfter > 0 ? error.withRetryAfter(retryAfter) : error;
    }
    socket.accept();
    return new GpuLink(socket, onEvent);
  }

  send(message: GpuRealtimeClientMessage): void {
    if (!this.finished) this.socket.send(JSON.stringify(message));
  }

  sendAudio(pcm16: Uint8Array): void {
    if (!this.finished && pcm16.byteLength > 0) this.socket.send(pcm16);
  }

  /** Ends the link on our side (the session closed, or sat idle). */
  close(reason: string): void {
    if (this.finished) return;
    this.finish({ byUs: true, reason });
  }

  get open(): boolean {
    return !this.finished;
  }

  private arm(): void {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(
      () =>
        this.finish({ byUs: false, reason: `the GPU service sent nothing for ${SILENCE_LIMIT_MS / 1000} s` }),
      SILENCE_LIMIT_MS,
    );
  }

  private finish(end: LinkEnd): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.watchdog);
    try {
      this.socket.close(end.byUs ? 1000 : 1011, end.byUs ? end.reason.slice(0, 120) : 'gone');
    } catch {
      // already closed
    }
    this.settle(end);
  }
}
