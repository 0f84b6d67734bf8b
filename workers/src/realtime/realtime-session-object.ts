import { DurableObject } from 'cloudflare:workers';
import {
  ApiError,
  asApiError,
  type GpuRealtimeEvent,
  type RealtimeClientEvent,
  type RealtimeStoredOutput,
} from '@whisper-edge/shared';
import { edgeConfig } from '../config.js';
import { recordUsage } from '../usage/record-usage.js';
import { readClientEvent } from './client-event.js';
import { sendError, sendEvent } from './client-socket.js';
import { GpuRelay } from './gpu-relay.js';
import { base64ToBytes, PcmIntake } from './pcm-intake.js';
import { applySessionConfig, describeSession, parseSessionConfig } from './session-config.js';
import { SessionItems } from './session-items.js';
import { SessionRecording, storageFailed } from './session-recording.js';
import {
  SESSION_START_HEADER,
  type SessionStart,
  type SessionState,
  sessionExpired,
  sessionUsage,
  startSession,
} from './session-state.js';

const SR = 16_000;
/** A session with no audio and nothing pending this long gives its GPU connection back. */
const IDLE_MS = 60_000;
/** How long closing waits for pending transcripts. */
const CLOSE_WAIT_MS = 60_000;

const itemId = () => `item_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`;

/**
 * One live transcription session (OpenAI's Realtime transcription protocol) per object: it holds the
 * client's WebSocket (hibernation API: an idle session costs nothing), checks each client event,
 * resamples audio to 16 kHz, relays it to a GPU service leased from the pool and turns the service's
 * events into the client's. Audio of unfinished items is kept, so when a GPU service dies the session
 * moves to another and replays it: items keep their ids and no text is lost or repeated.
 */
export class RealtimeSessionObject extends DurableObject<Cloudflare.Env> {
  private state: SessionState | null = null;
  private readonly items = new SessionItems(itemId);
  private readonly relay: GpuRelay = new GpuRelay(
    {
      env: this.env,
      session: () => this.state!,
      ended: () => this.ended,
      onEvent: (event) => this.onGpuEvent(event),
      giveUp: (error, code) => this.giveUp(error, code),
    },
    this.items,
  );
  private readonly intake = new PcmIntake();
  private readonly recording = new SessionRecording(this.env.UPLOADS);
  private lastUpdateEventId: string | null = null;
  private closing = false;
  private ended = false;

  override async fetch(request: Request): Promise<Response> {
    const start = JSON.parse(request.headers.get(SESSION_START_HEADER) ?? '{}') as SessionStart;
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server);
    const { state, refused } = startSession(`sess_${this.ctx.id.toString().slice(0, 24)}`, start);
    this.state = state;
    await this.persist();
    await this.ctx.storage.setAlarm(state.expiresAt * 1000);
    sendEvent(server, { type: 'session.created', session: this.describe() });
    if (refused) sendError(server, refused, null);
    return new Response(null, {
      status: 101,
      webSocket: client,
      ...(start.protocol ? { headers: { 'sec-websocket-protocol': start.protocol } } : {}),
    });
  }

  /** The session's time is up: OpenAI ends sessions too (ours last two hours). */
  override async alarm(): Promise<void> {
    const socket = this.socket();
    if (!socket) return;
    await this.load();
    sendError(socket, sessionExpired(), null);
    await this.finish(socket, 1000, 'session expired');
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    await this.load();
    if (this.ended) return;
    const read = readClientEvent(message);
    if (!read.ok) {
      sendError(ws, read.error, read.clientEventId);
      return;
    }
    try {
      await this.handle(ws, read.event);
    } catch (error) {
      if (!(error instanceof ApiError))
        console.error('realtime event failed', String((error as Error).stack));
      sendError(ws, asApiError(error), read.event.event_id ?? null);
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    await this.load();
    if (!this.ended) await this.finish(ws, code === 1005 ? 1000 : code, 'client closed', false);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.load();
    if (!this.ended) await this.finish(ws, 1011, 'client socket failed', false);
  }

  private async handle(ws: WebSocket, event: RealtimeClientEvent): Promise<void> {
    const state = this.state!;
    const ref = event.event_id ?? null;
    switch (event.type) {
      case 'session.update': {
        const next = applySessionConfig(state.settings, parseSessionConfig(event.session));
        if (next.rate !== state.settings.rate) this.intake.resetRate();
        state.settings = next;
        this.lastUpdateEventId = ref;
        await this.persist();
        sendEvent(ws, { type: 'session.updated', session: this.describe() });
        this.relay.configure(next);
        return;
      }
      case 'input_audio_buffer.append':
        this.append(base64ToBytes(event.audio));
        return;
      case 'input_audio_buffer.commit': {
        this.relay.checkCommit();
        this.relay.commit(ref);
        return;
      }
      case 'input_audio_buffer.clear':
        this.relay.clear();
        sendEvent(ws, { type: 'input_audio_buffer.cleared' });
        return;
      case 'session.close':
        await this.finish(ws, 1000, 'session closed', true);
        return;
    }
  }

  /** Client PCM16 (at the session's rate) → 16 kHz → the replay buffer, the recording and the GPU. */
  private append(bytes: Uint8Array): void {
    const state = this.state!;
    const out = this.intake.push(bytes, state.settings.rate);
    if (state.settings.storedOutput) this.recording.append(state.tenant, state.id, out);
    this.relay.append(out);
    state.position = this.relay.end;
    this.relay.armIdle(IDLE_MS, () => {
      const idle = this.items.pendingCount === 0 && !this.state?.settings.storedOutput;
      if (idle) void this.persist();
      return idle;
    });
  }

  private onGpuEvent(event: GpuRealtimeEvent): void {
    const socket = this.socket();
    if (!socket) return;
    if (event.type === 'error') {
      const clientEventId = event.ref ? this.relay.clientEventOf(event.ref) : this.lastUpdateEventId;
      if (event.ref) this.items.refuseCommit(event.ref);
      sendEvent(socket, { type: 'error', error: { ...event.error, event_id: clientEventId } });
      return;
    }
    for (const out of this.items.fromGpu(event)) sendEvent(socket, out);
    if (event.type === 'committed') this.state!.lastCommitted = this.items.lastCommittedId;
    if (event.type === 'completed') this.state!.audioSeconds += event.audio_seconds;
    this.relay.trim();
  }

  /** No GPU service can take the session: every pending item fails, the client is told, and it ends. */
  private giveUp(error: ApiError, code: number): void {
    const socket = this.socket();
    if (!socket) return;
    const body = error.toBody().error;
    for (const out of this.items.failAll(body)) sendEvent(socket, out);
    sendError(socket, error, null);
    void this.finish(socket, code, error.message.slice(0, 120), false);
  }

  /**
   * Ends the session. A client that asked (session.close) first gets its pending transcripts and,
   * with stored_output, where the audio and transcript were written, in `session.closed`.
   */
  private async finish(ws: WebSocket, code: number, reason: string, graceful = true): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const state = this.state!;
    this.relay.stopIdle();
    if (graceful) await this.relay.drain(CLOSE_WAIT_MS);
    let stored: RealtimeStoredOutput | undefined;
    if (this.recording.started) {
      try {
        const seconds = this.relay.end / SR;
        stored = await this.recording.store(
          edgeConfig(this.env).bucketName,
          this.items.completed,
          seconds,
          state.id,
        );
      } catch (error) {
        console.error('realtime: stored_output failed', String(error));
        if (graceful) sendError(ws, storageFailed(), null);
      }
    }
    this.ended = true;
    if (graceful) sendEvent(ws, { type: 'session.closed', ...(stored ? { stored_output: stored } : {}) });
    this.relay.close(reason);
    try {
      ws.close(code, reason);
    } catch {
      // already closed
    }
    await this.ctx.storage.deleteAlarm();
    const usage = sessionUsage(state, this.relay.linkSeconds);
    if (usage) await recordUsage(this.env, state.tenant, usage);
  }

  private describe() {
    const state = this.state!;
    return describeSession(state.id, state.expiresAt, state.settings);
  }

  private socket(): WebSocket | undefined {
    return this.ctx.getWebSockets()[0];
  }

  private async persist(): Promise<void> {
    if (this.state) await this.ctx.storage.put('state', this.state);
  }

  /** After hibernation the object starts empty: what the session needs is read back. */
  private async load(): Promise<void> {
    if (this.state) return;
    const saved = await this.ctx.storage.get<SessionState>('state');
    if (!saved) return;
    this.state = saved;
    this.relay.restore(saved.position);
    this.items.restore(saved.position, saved.lastCommitted);
  }
}
