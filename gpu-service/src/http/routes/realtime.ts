import { upgradeWebSocket, type WebSocketLike } from '@hono/node-server';
import {
  ApiError,
  type GpuRealtimeEvent,
  gpuRealtimeClientMessageSchema,
  REALTIME_HEARTBEAT_MS,
  REALTIME_PATH,
} from '@whisper-edge/shared';
import { createLogger } from '@whisper-edge/shared/logging';
import { Hono } from 'hono';
import type { ModelRegistry } from '../../models/model-registry.js';
import type { PartialOptions } from '../../realtime/partial-transcript.js';
import { RealtimeSession } from '../../realtime/realtime-session.js';
import type { Transcriber } from '../../transcription/transcribe.js';
import { loadSileroVad } from '../../vad/silero-model.js';
import type { NonceCache } from '../nonce-cache.js';
import type { RealtimeCapacity } from '../realtime-capacity.js';

export interface RealtimeRouteOptions {
  models: ModelRegistry;
  transcriber: Transcriber;
  capacity: RealtimeCapacity;
  nonces: NonceCache;
  partial?: Partial<PartialOptions>;
  finalTemperatures?: number[];
  heartbeatMs?: number;
  log?: (message: string) => void;
}

/**
 * `GET /internal/realtime?session=<nonce>`: one live session per WebSocket (protocol in shared's
 * realtime-gpu.ts). The signature was checked by the /internal middleware before anything else; here
 * the nonce must be fresh and a session place free, all before the upgrade is accepted.
 */
const fallbackLog = createLogger('gpu-service');

export function realtimeRoutes(options: RealtimeRouteOptions) {
  const log = options.log ?? ((message: string) => fallbackLog.warn(message));
  return new Hono().get(
    REALTIME_PATH,
    async (c, next) => {
      if (c.req.header('upgrade')?.toLowerCase() !== 'websocket')
        throw new ApiError(426, 'This route takes a WebSocket upgrade', { code: 'upgrade_required' });
      const nonce = c.req.query('session') ?? '';
      if (!/^[A-Za-z0-9_-]{16,128}$/.test(nonce))
        throw new ApiError(400, 'A session nonce (16-128 URL-safe characters) is required', {
          code: 'invalid_request',
          param: 'session',
        });
      if (!options.nonces.claim(nonce))
        throw new ApiError(401, 'This signed upgrade was already used', { code: 'invalid_signature' });
      await next();
    },
    upgradeWebSocket(() => {
      // Refused here (429/503) the upgrade is answered with that status; an upgrade that never
      // completes gives its place back after a while.
      const release = options.capacity.reserve();
      const unclaimed = setTimeout(release, 30_000);
      let session: RealtimeSession | null = null;
      let heartbeat: ReturnType<typeof setInterval> | undefined;
      let socket: WebSocketLike | null = null;
      let context: { close(code?: number, reason?: string): void } | null = null;
      const send = (event: GpuRealtimeEvent) => {
        if (socket?.readyState === 1) socket.send(JSON.stringify(event));
      };
      const end = () => {
        clearInterval(heartbeat);
        clearTimeout(unclaimed);
        release();
        if (context) options.capacity.remove(context);
        void session?.close();
      };
      return {
        onOpen(_event, ws) {
          socket = ws.raw as WebSocketLike;
          clearTimeout(unclaimed);
          context = ws;
          options.capacity.add(ws);
          release();
          session = new RealtimeSession({
            model: (name) => options.models.get(name),
            engineFor: (model) => options.transcriber.engineFor(model),
            vad: loadSileroVad,
            emit: send,
            ...(options.partial ? { partial: options.partial } : {}),
            ...(options.finalTemperatures ? { finalTemperatures: options.finalTemperatures } : {}),
            log,
          });
          heartbeat = setInterval(
            () => send({ type: 'heartbeat' }),
            options.heartbeatMs ?? REALTIME_HEARTBEAT_MS,
          );
        },
        onMessage(event) {
          if (!session) return;
          if (typeof event.data !== 'string') {
            void session.audio(new Uint8Array(event.data as ArrayBuffer));
            return;
          }
          let raw: unknown;
          try {
            raw = JSON.parse(event.data);
          } catch {
            raw = undefined;
          }
          const parsed = gpuRealtimeClientMessageSchema.safeParse(raw);
          if (!parsed.success) {
            send({
              type: 'error',
              error: {
                message: `Invalid realtime message: ${parsed.error.issues[0]?.message ?? 'not JSON'}`,
                type: 'invalid_request_error',
                code: 'invalid_request',
                param: null,
              },
            });
            return;
          }
          void session.message(parsed.data);
        },
        onClose: end,
        onError: end,
      };
    }),
  );
}
