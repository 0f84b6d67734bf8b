import { DurableObject } from 'cloudflare:workers';
import {
  ApiError,
  asApiError,
  type GpuRealtimeEvent,
  type RealtimeClientEvent,
  type RealtimeErrorBody,
  type RealtimeStoredOutput,
  realtimeClientEventSchema,
} from '@whisper-edge/shared';
import { edgeConfig } from '../config.js';
import type { Tenant } from '../env.js';
import { GpuUnreachableError } from '../gpu/gpu-client.js';
import { GpuCapacityError, withGpu } from '../gpu/with-gpu.js';
import { tenantRoot } from '../storage/tenant-keys.js';
import { recordUsage } from '../usage/record-usage.js';
import { GpuLink } from './gpu-link.js';
import { ReplayBuffer } from './replay-buffer.js';
import { Resampler24to16 } from './resample.js';
import {
  applySessionConfig,
  DEFAULT_SETTINGS,
  describeSession,
  gpuConfigure,
  parseSessionConfig,
  type SessionSettings,
} from './session-config.js';
import { type Outgoing, SessionItems } from './session-items.js';
import { sessionTranscript, storedOutputOf, WavRecorder } from './stored-session.js';

/** What the Worker hands the object with the upgrade (it authenticated the caller). */
export interface SessionStart {
  tenant: Tenant;
  /** A client secret's session configuration. */
  session?: unknown;
  protocol?: string;
}
export const SESSION_START_HEADER = 'x-whisper-realtime-start';

/** What survives hibernation (the object sleeps while a session is idle and holds no GPU connection). */
interface Persisted {
  id: string;
  tenant: Tenant;
  settings: SessionSettings;
  expiresAt: number;
  position: number;
  lastCommitted: string | null;
  audioSeconds: number;
}

const SR = 16_000;
/** VAD mode: audio re-sent before the present, for speech a dead service had heard but not reported. */
const LOOK_BEHIND = 3 * SR;
/** Audio held for replay at most (≈ 19 MB); a longer unfinished stretch loses its start. */
const MAX_REPLAY_SAMPLES = 10 * 60 * SR;
/** A session with no audio and nothing pending this long gives its GPU connection back. */
const IDLE_MS = 60_000;
/** Waits between reconnection attempts after a GPU service is lost: at once, then doubling to 8 s. */
const reconnectDelay = (attempt: number) => (attempt === 0 ? 0 : Math.min(8000, 250 * 2 ** attempt));
/** How long closing waits for pending transcripts. */
const CLOSE_WAIT_MS = 60_000;
const SESSION_SECONDS = 2 * 3600;

const eventId = () => `event_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`;
const itemId = () => `item_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`;

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * One live transcription session (OpenAI's Realtime transcription protocol) per object: it holds the
 * client's WebSocket (hibernation API: an idle session costs nothing), checks each client event,
 * resamples audio to 16 kHz, relays it to a GPU service leased from the pool and turns the service's
 * events into the client's. Audio of unfinished items is kept, so when a GPU service dies the session
 * moves to another and replays it: items keep their ids and no text is lost or repeated.
 */
export class RealtimeSessionObject extends DurableObject<Cloudflare.Env> {
  private state: Persisted | null = null;
  private items = new SessionItems(itemId);
  private replay = new ReplayBuffer();
  private resampler: Resampler24to16 | null = null;
  private oddByte: number | null = null;
  private link: GpuLink | null = null;
  private linking: Promise<void> | null = null;
  private recorder: WavRecorder | null = null;
  private idle: ReturnType<typeof setTimeout> | undefined;
  private lastUpdateEventId: string | null = null;
  private closing = false;
  private ended = false;
  private linkSeconds = 0;
  /** Session audio up to here reached a GPU service; what follows must go to the next one. */
  private delivered = 0;
  /** Refs sent with commits, and the client's event_id each stands for. */
  private readonly commitRefs = new Map<string, string | null>();

  override async fetch(request: Request): Promise<Response> {
    const start = JSON.parse(request.headers.get(SESSION_START_HEADER) ?? '{}') as SessionStart;
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server);
    const id = `sess_${this.ctx.id.toString().slice(0, 24)}`;
    const expiresAt = Math.floor(Date.now() / 1000) + SESSION_SECONDS;
    let settings = DEFAULT_SETTINGS;
    let refused: ApiError | null = null;
    if (start.session !== undefined) {
      try {
        settings = applySessionConfig(settings, parseSessionConfig(start.session));
      } catch (error) {
        refused = asApiError(error);
      }
    }
    this.state = {
      id,
      tenant: start.tenant ?? { id: null },
      settings,
      expiresAt,
      position: 0,
      lastCommitted: null,
      audioSeconds: 0,
    };
    await this.persist();
    await this.ctx.storage.setAlarm(expiresAt * 1000);
    this.sendTo(server, { type: 'session.created', session: this.describe() });
    if (refused) this.sendError(server, refused, null);
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
    this.sendError(
      socket,
      new ApiError(400, 'Your session hit the maximum duration of 2 hours.', { code: 'session_expired' }),
      null,
    );
    await this.finish(socket, 1000, 'session expired');
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    await this.load();
    if (this.ended) return;
    if (typeof message !== 'string') {
      this.sendError(
        ws,
        new ApiError(
          400,
          'Binary frames are not part of this protocol: send input_audio_buffer.append with base64 audio',
          {
            code: 'invalid_event',
          },
        ),
        null,
      );
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(message);
    } catch {
      this.sendError(ws, new ApiError(400, 'The event is not valid JSON', { code: 'invalid_json' }), null);
      return;
    }
    const clientEventId =
      typeof raw === 'object' && raw !== null && typeof (raw as { event_id?: unknown }).event_id === 'string'
        ? ((raw as { event_id: string }).event_id as string)
        : null;
    const parsed = realtimeClientEventSchema.safeParse(raw);
    if (!parsed.success) {
      this.sendError(ws, invalidEvent(raw, parsed.error.issues[0]!), clientEventId);
      return;
    }
    try {
      await this.handle(ws, parsed.data);
    } catch (error) {
      if (!(error instanceof ApiError))
        console.error('realtime event failed', String((error as Error).stack));
      this.sendError(ws, asApiError(error), clientEventId);
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
        if (next.rate !== state.settings.rate) this.resampler = null;
        state.settings = next;
        this.lastUpdateEventId = ref;
        await this.persist();
        this.sendTo(ws, { type: 'session.updated', session: this.describe() });
        this.link?.send(gpuConfigure(next));
        return;
      }
      case 'input_audio_buffer.append':
        this.append(base64ToBytes(event.audio));
        return;
      case 'input_audio_buffer.commit': {
        // Without a GPU connection the edge answers for an empty buffer; with one, the service does.
        if (this.replay.end - this.items.openBufferStart < SR / 10 && !this.link) {
          throw new ApiError(
            400,
            'Error committing input audio buffer: buffer too small. Expected at least 100ms of audio.',
            { code: 'input_audio_buffer_commit_empty' },
          );
        }
        this.commit(ref);
        return;
      }
      case 'input_audio_buffer.clear':
        this.items.clear(this.replay.end);
        this.link?.send({ type: 'clear' });
        this.trim();
        this.sendTo(ws, { type: 'input_audio_buffer.cleared' });
        return;
      case 'session.close':
        await this.finish(ws, 1000, 'session closed', true);
        return;
    }
  }

  private commit(clientEventId: string | null): void {
    const ref = `c${this.commitRefs.size + 1}`;
    this.commitRefs.set(ref, clientEventId);
    this.items.markCommit(this.replay.end, ref);
    if (this.link) this.link.send({ type: 'commit', ref });
    else this.ensureLink();
  }

  /** Client PCM16 (at the session's rate) → 16 kHz → the replay buffer, the recording and the GPU. */
  private append(bytes: Uint8Array): void {
    const state = this.state!;
    let data = bytes;
    if (this.oddByte !== null) {
      data = new Uint8Array(bytes.byteLength + 1);
      data[0] = this.oddByte;
      data.set(bytes, 1);
      this.oddByte = null;
    }
    if (data.byteLength % 2 === 1) {
      this.oddByte = data[data.byteLength - 1]!;
      data = data.subarray(0, data.byteLength - 1);
    }
    const samples = new Int16Array(data.byteLength / 2);
    new Uint8Array(samples.buffer).set(data);
    let pcm: Int16Array = samples;
    if (state.settings.rate === 24_000) {
      this.resampler ??= new Resampler24to16();
      pcm = this.resampler.push(samples);
    }
    const out = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    this.replay.append(out);
    state.position = this.replay.end;
    if (state.settings.storedOutput) {
      this.recorder ??= new WavRecorder(
        this.env.UPLOADS,
        `${tenantRoot(state.tenant)}realtime/${new Date().toISOString().slice(0, 10)}/${state.id}.wav`,
      );
      this.recorder.append(out);
    }
    if (this.link) {
      this.link.sendAudio(out);
      this.delivered = this.replay.end;
    } else this.ensureLink();
    this.trim();
    this.armIdle();
  }

  /** Where a new GPU connection's audio starts: unfinished items, and whatever no service has had yet. */
  private replayStart(): number {
    const vad = this.state!.settings.turnDetection !== null;
    return Math.min(this.items.replayFrom(this.replay.end, vad, LOOK_BEHIND), this.delivered);
  }

  private trim(): void {
    this.replay.dropBefore(Math.max(this.replayStart(), this.replay.end - MAX_REPLAY_SAMPLES));
  }

  private armIdle(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      if (this.items.pendingCount === 0 && !this.state?.settings.storedOutput && this.link) {
        this.link.close('idle');
        void this.persist();
      }
    }, IDLE_MS);
  }

  private ensureLink(): void {
    if (this.linking || this.ended) return;
    this.linking = this.runLinks().finally(() => {
      this.linking = null;
    });
  }

  /** Keeps the session on a GPU service: the first one, and another each time one is lost. */
  private async runLinks(): Promise<void> {
    const state = this.state!;
    const budget = edgeConfig(this.env).gpu.realtimeReconnectMs;
    let lostAt = Date.now();
    for (let attempt = 0; !this.ended; ) {
      let connectedAt = 0;
      try {
        await withGpu(
          this.env,
          async (gpu) => {
            const link = await GpuLink.open(gpu, (event) => this.onGpuEvent(event));
            gpu.commit();
            connectedAt = Date.now();
            attempt = 0;
            lostAt = Number.POSITIVE_INFINITY;
            this.attach(link);
            const end = await link.ended;
            this.linkSeconds += (Date.now() - connectedAt) / 1000;
            if (this.link === link) this.link = null;
            lostAt = Date.now();
            if (!end.byUs)
              throw new GpuUnreachableError(503, `GPU service unavailable: ${end.reason}`, {
                code: 'gpu_unavailable',
              });
          },
          state.tenant,
        );
        return;
      } catch (error) {
        if (this.ended) return;
        const api = asApiError(error);
        const tenantLimit = api.code === 'tenant_concurrency_limit';
        const delay = reconnectDelay(attempt++);
        const retryable =
          error instanceof GpuCapacityError || error instanceof GpuUnreachableError || api.status >= 500;
        if (tenantLimit || !retryable || Date.now() + delay - lostAt > budget) {
          this.giveUp(api, tenantLimit ? 1013 : 1011);
          return;
        }
        console.error('realtime: no GPU connection, retrying', { session: state.id, reason: api.message });
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** A new GPU connection: configure it, then send it everything unfinished, commits where they were. */
  private attach(link: GpuLink): void {
    const vad = this.state!.settings.turnDetection !== null;
    const from = Math.max(this.replay.start, this.replayStart());
    this.items.newLink(from);
    link.send(gpuConfigure(this.state!.settings));
    let at = from;
    for (const cut of this.items.commitsAfter(from, vad)) {
      for (const piece of this.replay.slice(at, cut.at)) link.sendAudio(piece);
      link.send({ type: 'commit', ...(cut.ref ? { ref: cut.ref } : {}) });
      at = cut.at;
    }
    for (const piece of this.replay.slice(at)) link.sendAudio(piece);
    this.delivered = this.replay.end;
    this.link = link;
  }

  private onGpuEvent(event: GpuRealtimeEvent): void {
    const socket = this.socket();
    if (!socket) return;
    if (event.type === 'error') {
      const clientEventId = event.ref ? (this.commitRefs.get(event.ref) ?? null) : this.lastUpdateEventId;
      if (event.ref) this.items.refuseCommit(event.ref);
      this.sendTo(socket, { type: 'error', error: { ...event.error, event_id: clientEventId } });
      return;
    }
    for (const out of this.items.fromGpu(event)) this.sendTo(socket, out);
    if (event.type === 'committed') this.state!.lastCommitted = this.items.lastCommittedId;
    if (event.type === 'completed') this.state!.audioSeconds += event.audio_seconds;
    this.trim();
  }

  /** No GPU service can take the session: every pending item fails, the client is told, and it ends. */
  private giveUp(error: ApiError, code: number): void {
    const socket = this.socket();
    if (!socket) return;
    const body = error.toBody().error;
    for (const out of this.items.failAll(body)) this.sendTo(socket, out);
    this.sendError(socket, error, null);
    void this.finish(socket, code, error.message.slice(0, 120), false);
  }

  /**
   * Ends the session. A client that asked (session.close) first gets its pending transcripts and,
   * with stored_output, where the audio and transcript were written, in `session.closed`.
   */
  private async finish(ws: WebSocket, code: number, reason: string, graceful = true): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearTimeout(this.idle);
    const state = this.state!;
    if (graceful && (this.link || this.linking)) {
      // What is buffered is one last utterance: in manual mode all of it, with VAD only speech still open.
      const vad = state.settings.turnDetection !== null;
      if (vad ? this.items.hasOpenItem : this.replay.end - this.items.openBufferStart >= SR / 10)
        this.commit(null);
      const deadline = Date.now() + CLOSE_WAIT_MS;
      while (this.items.pendingCount > 0 && (this.link || this.linking) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    let stored: RealtimeStoredOutput | undefined;
    if (this.recorder) {
      try {
        stored = await this.store(this.recorder);
      } catch (error) {
        console.error('realtime: stored_output failed', String(error));
        await this.recorder.abort();
        if (graceful)
          this.sendError(
            ws,
            new ApiError(500, 'The session could not be stored', { code: 'storage_failed' }),
            null,
          );
      }
    }
    this.ended = true;
    if (graceful) this.sendTo(ws, { type: 'session.closed', ...(stored ? { stored_output: stored } : {}) });
    this.link?.close(reason);
    this.link = null;
    try {
      ws.close(code, reason);
    } catch {
      // already closed
    }
    await this.ctx.storage.deleteAlarm();
    if (state.audioSeconds > 0 || this.linkSeconds > 0) {
      await recordUsage(this.env, state.tenant, {
        requests: 1,
        audioSeconds: Math.round(state.audioSeconds * 1000) / 1000,
        gpuSeconds: Math.round(this.linkSeconds * 1000) / 1000,
      });
    }
  }

  private async store(recorder: WavRecorder): Promise<RealtimeStoredOutput> {
    const state = this.state!;
    const bytes = await recorder.finish();
    const transcriptKey = recorder.key.replace(/\.wav$/, '.json');
    const transcript = sessionTranscript(this.items.completed, this.replay.end / SR, state.id);
    await this.env.UPLOADS.put(transcriptKey, JSON.stringify(transcript), {
      httpMetadata: { contentType: 'application/json' },
    });
    return storedOutputOf(edgeConfig(this.env).bucketName, { key: recorder.key, bytes }, transcriptKey);
  }

  private describe() {
    const state = this.state!;
    return describeSession(state.id, state.expiresAt, state.settings);
  }

  private socket(): WebSocket | undefined {
    return this.ctx.getWebSockets()[0];
  }

  private sendTo(ws: WebSocket, event: Outgoing): void {
    try {
      ws.send(JSON.stringify({ event_id: eventId(), ...event }));
    } catch {
      // the client is gone; its close handler ends the session
    }
  }

  private sendError(ws: WebSocket, error: ApiError, clientEventId: string | null): void {
    const body: RealtimeErrorBody = { ...error.toBody().error, event_id: clientEventId };
    this.sendTo(ws, { type: 'error', error: body });
  }

  private async persist(): Promise<void> {
    if (this.state) await this.ctx.storage.put('state', this.state);
  }

  /** After hibernation the object starts empty: what the session needs is read back. */
  private async load(): Promise<void> {
    if (this.state) return;
    const saved = await this.ctx.storage.get<Persisted>('state');
    if (!saved) return;
    this.state = saved;
    this.replay = new ReplayBuffer(saved.position);
    this.delivered = saved.position;
    this.items.restore(saved.position, saved.lastCommitted);
  }
}

/** An event that failed its schema, as OpenAI words it. */
function invalidEvent(
  raw: unknown,
  issue: { path: PropertyKey[]; message: string; code: string; keys?: string[] },
): ApiError {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  if (typeof type !== 'string')
    return new ApiError(400, "Missing required parameter: 'type'.", {
      code: 'missing_required_parameter',
      param: 'type',
    });
  if (issue.code === 'invalid_union' && issue.path.length <= 1 && (issue.path[0] ?? 'type') === 'type')
    return new ApiError(
      400,
      `Invalid value: '${type.slice(0, 64)}'. This transcription session supports session.update, input_audio_buffer.append, input_audio_buffer.commit, input_audio_buffer.clear and session.close.`,
      { code: 'invalid_value', param: 'type' },
    );
  if (issue.code === 'unrecognized_keys' && issue.keys?.[0])
    return new ApiError(400, `Unknown parameter: '${issue.keys[0]}'.`, {
      code: 'unknown_parameter',
      param: issue.keys[0],
    });
  const param = issue.path.map(String).join('.');
  return new ApiError(400, `Invalid '${param}': ${issue.message}`, { code: 'invalid_value', param });
}
