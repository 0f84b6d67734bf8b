import { toPcm16 } from '@whisper-edge/shared/pcm16';
import type { ApiClient } from '../api/api-client.js';
import { base64Of } from './pcm.js';

export type ServerEvent = { type: string; item_id?: string } & Record<string, unknown>;

export interface StoredOutput {
  audio: { key: string; storage_url: string };
  transcript: { key: string; storage_url: string };
}

export interface LiveSessionOptions {
  api: ApiClient;
  /** A language code, or undefined to let the service detect it. */
  language: string | undefined;
  /** stored_output: the service keeps the audio and transcript in the bucket. */
  store: boolean;
  silenceMs: number;
  onEvent: (event: ServerEvent) => void;
}

export interface LiveSession {
  append(samples: Float32Array): void;
  /** Ends the session after its pending text arrives; what it stored, when it was asked to. */
  finish(): Promise<StoredOutput | undefined>;
  /** Whether the socket is still open. */
  readonly open: boolean;
}

/**
 * A Realtime transcription session from the browser, OpenAI's way: the page's API key mints a
 * short-lived client secret carrying the session's configuration, and the WebSocket presents it as
 * the `openai-insecure-api-key.` subprotocol beside `realtime` (a browser cannot set headers on one).
 */
export async function openLiveSession(options: LiveSessionOptions): Promise<LiveSession> {
  const secret = await options.api.json<{ value: string }>('/v1/realtime/client_secrets', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      expires_after: { anchor: 'created_at', seconds: 120 },
      session: {
        type: 'transcription',
        stored_output: options.store,
        audio: {
          input: {
            format: { type: 'audio/pcm', rate: 24_000 },
            transcription: {
              model: 'whisper-1',
              ...(options.language ? { language: options.language } : {}),
            },
            turn_detection: {
              type: 'server_vad',
              threshold: 0.5,
              prefix_padding_ms: 300,
              silence_duration_ms: options.silenceMs,
            },
          },
        },
      },
    }),
  });
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(`${scheme}//${location.host}/v1/realtime?intent=transcription`, [
    'realtime',
    `openai-insecure-api-key.${secret.value}`,
  ]);
  const waiting = new Map<string, (event: ServerEvent) => void>();
  let failure: string | undefined;
  socket.addEventListener('message', (message) => {
    const event = JSON.parse(String(message.data)) as ServerEvent;
    if (event.type === 'error') failure = String((event.error as { message?: unknown })?.message ?? 'error');
    options.onEvent(event);
    waiting.get(event.type)?.(event);
  });
  const next = (type: string, ms: number) =>
    new Promise<ServerEvent>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(failure ?? `no ${type} from the service`)), ms);
      const done = (event: ServerEvent) => {
        clearTimeout(timer);
        waiting.delete(type);
        resolve(event);
      };
      waiting.set(type, done);
      socket.addEventListener('close', (event) => {
        clearTimeout(timer);
        if (waiting.get(type) === done)
          reject(new Error(failure ?? (event.reason || `closed (${event.code})`)));
      });
    });
  await next('session.created', 15_000);
  return {
    get open() {
      return socket.readyState === WebSocket.OPEN;
    },
    append(samples) {
      if (socket.readyState !== WebSocket.OPEN) return;
      socket.send(JSON.stringify({ type: 'input_audio_buffer.append', audio: base64Of(toPcm16(samples)) }));
    },
    async finish() {
      if (socket.readyState !== WebSocket.OPEN) return undefined;
      const closed = next('session.closed', 90_000);
      socket.send(JSON.stringify({ type: 'session.close' }));
      const event = await closed;
      socket.close();
      return event.stored_output as StoredOutput | undefined;
    },
  };
}
