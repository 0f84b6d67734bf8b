import {
  ApiError,
  asApiError,
  type GpuRealtimeClientMessage,
  type GpuRealtimeEvent,
  type GpuTurnDetection,
} from '@whisper-edge/shared';
import { pcm16ToFloat } from '@whisper-edge/shared/pcm16';
import { SAMPLE_RATE } from '../audio/sample-rate.js';
import { LiveVad } from '../vad/live-vad.js';
import type { TurnEvent } from '../vad/turn-detector.js';
import { AudioTape } from './audio-tape.js';
import { FinalDecodes } from './final-decodes.js';
import { LiveEngine } from './live-engine.js';
import type { PartialOptions, PartialTranscript } from './partial-transcript.js';
import { SessionLanguage } from './session-language.js';
import {
  type Configure,
  commitTooSmall,
  LOOK_BEHIND_SAMPLES,
  MIN_COMMIT_SAMPLES,
  ms,
  type RealtimeSessionDeps,
  sameTurns,
  TAIL_PAD_SAMPLES,
  vadSettings,
} from './session-options.js';
import { newUtterance, startPartial, type Utterance } from './utterance.js';

/**
 * One live transcription session on this service: PCM in, VAD turns (or the caller's commits) cut it
 * into utterances; each shows partial text while it is open and gets one full decode when it closes.
 * Messages are handled strictly in order (audio, commits and configuration changes as sent); decodes
 * run beside that, and each utterance's `completed` follows the previous one's.
 */
export class RealtimeSession {
  private readonly tape = new AudioTape();
  private chain: Promise<void> = Promise.resolve();
  private readonly finals: FinalDecodes;
  private config: Configure | null = null;
  private engine: LiveEngine | null = null;
  private vad: LiveVad | null = null;
  private open: Utterance | null = null;
  private nextUtterance = 0;
  /** Where audio that belongs to no closed utterance starts: the manual buffer, or after the last turn. */
  private bufferStart = 0;
  private readonly language = new SessionLanguage();
  private closed = false;
  private readonly maxTurn: number;
  private readonly maxBuffer: number;
  private readonly partialOptions: PartialOptions;

  constructor(private readonly deps: RealtimeSessionDeps) {
    this.maxTurn = deps.maxTurnSamples ?? 28 * SAMPLE_RATE;
    this.maxBuffer = deps.maxBufferSamples ?? 600 * SAMPLE_RATE;
    this.partialOptions = { stepSamples: Math.round(0.5 * SAMPLE_RATE), ...deps.partial };
    this.finals = new FinalDecodes(deps, (event) => this.emit(event));
  }

  /** Samples received so far. */
  get received(): number {
    return this.tape.end;
  }

  message(message: GpuRealtimeClientMessage): Promise<void> {
    return this.serial(async () => {
      if (message.type === 'configure') await this.configure(message);
      else if (message.type === 'commit') this.commit(message.ref);
      else this.clear(message.ref);
    });
  }

  audio(bytes: Uint8Array): Promise<void> {
    return this.serial(() => this.pushAudio(pcm16ToFloat(bytes)));
  }

  /** Stops everything; nothing more is emitted. */
  async close(): Promise<void> {
    this.closed = true;
    await this.open?.partial?.stop();
  }

  /** Resolves once every message so far is handled and every closed utterance is completed. */
  async settled(): Promise<void> {
    await this.chain;
    await this.finals.settled;
  }

  private serial(work: () => Promise<void> | void): Promise<void> {
    const run = this.chain.then(async () => {
      if (this.closed) return;
      try {
        await work();
      } catch (error) {
        this.fail(error);
      }
    });
    this.chain = run;
    return run;
  }

  private emit(event: GpuRealtimeEvent): void {
    if (!this.closed) this.deps.emit(event);
  }

  private fail(error: unknown, ref?: string): void {
    if (!(error instanceof ApiError)) this.deps.log?.(`realtime session: ${(error as Error).stack}`);
    this.emit({ type: 'error', ...(ref ? { ref } : {}), error: asApiError(error).toBody().error });
  }

  private async configure(message: Configure): Promise<void> {
    const model = await this.deps.model(message.model);
    const engine = new LiveEngine(model, await this.deps.engineFor(model));
    // Refused before anything changes: an English-only model asked for another language.
    if (!engine.multilingual) await engine.language(message.language, new Float32Array(0));
    const previous = this.config;
    const turnsChanged = !previous || !sameTurns(previous.turn_detection, message.turn_detection);
    // Turns are judged one way for a whole utterance: the open one ends where the change came.
    if (previous && turnsChanged && this.open) this.closeUtterance(this.tape.end);
    if (model !== this.engine?.model || message.language !== previous?.language) this.language.reset();
    this.config = message;
    this.engine = engine;
    if (turnsChanged) {
      // Manual mode runs VAD too, only to know when the buffer has speech worth partial decodes.
      this.vad = new LiveVad(await this.deps.vad(), vadSettings(message.turn_detection), this.tape.end);
    }
    this.emit({
      type: 'configured',
      model: model.name,
      language: engine.multilingual ? (message.language ?? null) : 'en',
    });
  }

  private async pushAudio(samples: Float32Array): Promise<void> {
    if (!this.config || !this.vad) {
      throw new ApiError(400, 'Audio arrived before the session was configured', { code: 'not_configured' });
    }
    this.tape.append(samples);
    const turns = this.config.turn_detection;
    for (const event of await this.vad.push(samples)) this.onTurn(event, turns);
    if (turns) {
      if (this.open && this.tape.end - this.open.start >= this.maxTurn) {
        // A turn at Whisper's window length: cut it, and go on at once if the speaker does.
        const cut = this.tape.end;
        this.emit({ type: 'speech_stopped', utterance: this.open.n, audio_end_ms: ms(cut) });
        this.closeUtterance(cut);
        if (this.vad.inTurn) this.openUtterance(cut, true);
      }
    } else if (this.tape.end - this.bufferStart >= this.maxBuffer) {
      this.current();
      this.closeUtterance(this.tape.end);
    }
    this.trim();
    this.open?.partial?.update();
  }

  private onTurn(event: TurnEvent, turns: GpuTurnDetection | null): void {
    if (!turns) {
      // Manual mode: the first speech in the buffer starts partial decoding, from just before it.
      if (event.type === 'start') {
        const utterance = this.current();
        utterance.partial ??= this.newPartial(
          utterance,
          Math.max(utterance.start, event.start - TAIL_PAD_SAMPLES),
        );
      }
      return;
    }
    if (event.type === 'start' && !this.open) {
      const pad = Math.round((turns.prefix_padding_ms * SAMPLE_RATE) / 1000);
      this.openUtterance(Math.max(this.bufferStart, this.tape.start, event.start - pad), true);
    } else if (event.type === 'stop' && this.open) {
      this.emit({ type: 'speech_stopped', utterance: this.open.n, audio_end_ms: ms(event.at) });
      this.closeUtterance(Math.min(event.end + TAIL_PAD_SAMPLES, this.tape.end));
    }
  }

  private openUtterance(start: number, announce: boolean): Utterance {
    const utterance = newUtterance(this.nextUtterance++, start, () =>
      this.language.options(this.engine!, this.config!, this.tape.slice(start)),
    );
    this.open = utterance;
    if (announce) {
      this.emit({ type: 'speech_started', utterance: utterance.n, audio_start_ms: ms(start) });
      utterance.partial = this.newPartial(utterance, start);
    }
    return utterance;
  }

  /** The open utterance; otherwise one is opened, quietly, where the buffer starts. */
  private current(): Utterance {
    return this.open ?? this.openUtterance(Math.max(this.bufferStart, this.tape.start), false);
  }

  private newPartial(utterance: Utterance, from: number): PartialTranscript {
    return startPartial(this.engine!, this.tape, utterance, from, this.partialOptions, {
      emit: (event) => this.emit(event),
      log: this.deps.log,
      onDecode: this.deps.onPartialDecode,
    });
  }

  private commit(ref: string | undefined): void {
    if (!this.config)
      throw new ApiError(400, 'Commit before the session was configured', { code: 'not_configured' });
    const start = this.open?.start ?? Math.max(this.bufferStart, this.tape.start);
    const buffered = this.tape.end - start;
    if (buffered < MIN_COMMIT_SAMPLES) {
      this.fail(commitTooSmall(ms(buffered)), ref);
      return;
    }
    if (this.open && this.config.turn_detection)
      this.emit({ type: 'speech_stopped', utterance: this.open.n, audio_end_ms: ms(this.tape.end) });
    this.current();
    this.closeUtterance(this.tape.end);
  }

  private clear(ref: string | undefined): void {
    const open = this.open;
    this.open = null;
    void open?.partial?.stop();
    this.bufferStart = this.tape.end;
    this.emit({ type: 'cleared', ...(ref ? { ref } : {}) });
  }

  private closeUtterance(end: number): void {
    const utterance = this.open;
    if (!utterance) return;
    this.open = null;
    this.bufferStart = end;
    const audio = this.tape.slice(utterance.start, end);
    this.emit({
      type: 'committed',
      utterance: utterance.n,
      audio_start_ms: ms(utterance.start),
      audio_end_ms: ms(end),
    });
    // A partial still decoding is dropped when it ends; the final does not wait for it.
    void utterance.partial?.stop();
    this.finals.add(utterance.n, audio, utterance.options, this.engine!, this.config?.model);
  }

  /** Keeps the open utterance, the manual buffer, or VAD's look-behind; nothing older. */
  private trim(): void {
    const vad = this.config?.turn_detection;
    const idle = vad ? Math.max(this.bufferStart, this.tape.end - LOOK_BEHIND_SAMPLES) : this.bufferStart;
    this.tape.dropBefore(this.open ? this.open.start : idle);
  }
}
