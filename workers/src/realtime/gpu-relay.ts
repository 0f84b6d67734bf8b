import { ApiError, asApiError, type GpuRealtimeEvent } from '@whisper-edge/shared';
import { edgeConfig } from '../config.js';
import type { Tenant } from '../env.js';
import { GpuUnreachableError } from '../gpu/gpu-client.js';
import { GpuCapacityError, withGpu } from '../gpu/with-gpu.js';
import { GpuLink } from './gpu-link.js';
import { ReplayBuffer } from './replay-buffer.js';
import { gpuConfigure, type SessionSettings } from './session-config.js';
import type { SessionItems } from './session-items.js';

const SR = 16_000;
/** VAD mode: audio re-sent before the present, for speech a dead service had heard but not reported. */
const LOOK_BEHIND = 3 * SR;
/** Audio held for replay at most (≈ 19 MB); a longer unfinished stretch loses its start. */
const MAX_REPLAY_SAMPLES = 10 * 60 * SR;
/** Waits between reconnection attempts after a GPU service is lost: at once, then doubling to 8 s. */
const reconnectDelay = (attempt: number) => (attempt === 0 ? 0 : Math.min(8000, 250 * 2 ** attempt));

/** What the relay needs from its session. */
export interface RelayHost {
  readonly env: Cloudflare.Env;
  session(): { id: string; tenant: Tenant; settings: SessionSettings };
  ended(): boolean;
  onEvent(event: GpuRealtimeEvent): void;
  /** No GPU service can take the session. */
  giveUp(error: ApiError, code: number): void;
}

/**
 * A session's side toward the GPU: its 16 kHz audio (kept for replay while items are unfinished) and
 * the connection to a GPU service leased through `withGpu`. When a service is lost the relay moves to
 * another and replays the unfinished audio, commits where they were.
 */
export class GpuRelay {
  private link: GpuLink | null = null;
  private linking: Promise<void> | null = null;
  private replay = new ReplayBuffer();
  /** Session audio up to here reached a GPU service; what follows must go to the next one. */
  private delivered = 0;
  /** Seconds a GPU connection was held, for usage. */
  linkSeconds = 0;
  /** Refs sent with commits, and the client's event_id each stands for. */
  private readonly commitRefs = new Map<string, string | null>();
  private idle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: RelayHost,
    private readonly items: SessionItems,
  ) {}

  /** Session samples received so far. */
  get end(): number {
    return this.replay.end;
  }

  get linked(): boolean {
    return this.link !== null;
  }

  /** Connected, or connecting. */
  get active(): boolean {
    return this.link !== null || this.linking !== null;
  }

  /** Samples since the last commit or clear. */
  get openSamples(): number {
    return this.replay.end - this.items.openBufferStart;
  }

  /** A hibernated session resumes at `position`, with nothing buffered. */
  restore(position: number): void {
    this.replay = new ReplayBuffer(position);
    this.delivered = position;
  }

  configure(settings: SessionSettings): void {
    this.link?.send(gpuConfigure(settings));
  }

  append(pcm16: Uint8Array): void {
    this.replay.append(pcm16);
    if (this.link) {
      this.link.sendAudio(pcm16);
      this.delivered = this.replay.end;
    } else this.ensureLink();
    this.trim();
  }

  /** The client event a GPU error about commit `ref` answers. */
  clientEventOf(ref: string): string | null {
    return this.commitRefs.get(ref) ?? null;
  }

  /** Without a GPU connection the edge answers for an empty buffer; with one, the service does. */
  checkCommit(): void {
    if (this.openSamples < SR / 10 && !this.link)
      throw new ApiError(
        400,
        'Error committing input audio buffer: buffer too small. Expected at least 100ms of audio.',
        { code: 'input_audio_buffer_commit_empty' },
      );
  }

  commit(clientEventId: string | null): void {
    const ref = `c${this.commitRefs.size + 1}`;
    this.commitRefs.set(ref, clientEventId);
    this.items.markCommit(this.replay.end, ref);
    if (this.link) this.link.send({ type: 'commit', ref });
    else this.ensureLink();
  }

  clear(): void {
    this.items.clear(this.replay.end);
    this.link?.send({ type: 'clear' });
    this.trim();
  }

  /** After `ms` without audio, gives the connection back if `idle()` agrees; the next audio opens another. */
  armIdle(ms: number, idle: () => boolean): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      if (this.link && idle()) this.link.close('idle');
    }, ms);
  }

  stopIdle(): void {
    clearTimeout(this.idle);
  }

  /**
   * Closing: what is buffered is one last utterance (in manual mode all of it, with VAD only speech
   * still open); waits up to `ms` for the pending transcripts while a GPU service can give them.
   */
  async drain(ms: number): Promise<void> {
    if (!this.active) return;
    const vad = this.host.session().settings.turnDetection !== null;
    if (vad ? this.items.hasOpenItem : this.openSamples >= SR / 10) this.commit(null);
    const deadline = Date.now() + ms;
    while (this.items.pendingCount > 0 && this.active && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(reason: string): void {
    this.link?.close(reason);
    this.link = null;
  }

  trim(): void {
    this.replay.dropBefore(Math.max(this.replayStart(), this.replay.end - MAX_REPLAY_SAMPLES));
  }

  /** Where a new GPU connection's audio starts: unfinished items, and whatever no service has had yet. */
  private replayStart(): number {
    const vad = this.host.session().settings.turnDetection !== null;
    return Math.min(this.items.replayFrom(this.replay.end, vad, LOOK_BEHIND), this.delivered);
  }

  private ensureLink(): void {
    if (this.linking || this.host.ended()) return;
    this.linking = this.runLinks().finally(() => {
      this.linking = null;
    });
  }

  /** Keeps the session on a GPU service: the first one, and another each time one is lost. */
  private async runLinks(): Promise<void> {
    const host = this.host;
    const budget = edgeConfig(host.env).gpu.realtimeReconnectMs;
    let lostAt = Date.now();
    for (let attempt = 0; !host.ended(); ) {
      let connectedAt = 0;
      try {
        await withGpu(
          host.env,
          async (gpu) => {
            const link = await GpuLink.open(gpu, (event) => host.onEvent(event));
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
          host.session().tenant,
        );
        return;
      } catch (error) {
        if (host.ended()) return;
        const api = asApiError(error);
        const tenantLimit = api.code === 'tenant_concurrency_limit';
        const delay = reconnectDelay(attempt++);
        const retryable =
          error instanceof GpuCapacityError || error instanceof GpuUnreachableError || api.status >= 500;
        if (tenantLimit || !retryable || Date.now() + delay - lostAt > budget) {
          host.giveUp(api, tenantLimit ? 1013 : 1011);
          return;
        }
        console.error('realtime: no GPU connection, retrying', {
          session: host.session().id,
          reason: api.message,
        });
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** A new GPU connection: configure it, then send it everything unfinished, commits where they were. */
  private attach(link: GpuLink): void {
    const vad = this.host.session().settings.turnDetection !== null;
    const from = Math.max(this.replay.start, this.replayStart());
    this.items.newLink(from);
    link.send(gpuConfigure(this.host.session().settings));
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
}
