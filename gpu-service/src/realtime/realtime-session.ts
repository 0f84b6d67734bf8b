import {
  ApiError,
  asApiError,
  type GpuRealtimeClientMessage,
  type GpuRealtimeEvent,
  type GpuTurnDetection,
} from '@whisper-edge/shared';
import { SAMPLE_RATE } from '../audio/sample-rate.js';
import type { LoadedModel } from '../models/model-manager.js';
import type { ModelEngine } from '../transcription/transcribe.js';
import { LiveVad } from '../vad/live-vad.js';
import type { SileroVadModel } from '../vad/silero-model.js';
import type { TurnEvent } from '../vad/turn-detector.js';
import { AudioTape } from './audio-tape.js';
import { type LiveDecodeOptions, LiveEngine } from './live-engine.js';
import { type PartialOptions, PartialTranscript } from './partial-transcript.js';
import { pcm16ToFloat } from './pcm16.js';

type Configure = Extract<GpuRealtimeClientMessage, { type: 'configure' }>;

export interface RealtimeSessionDeps {
  /** The loaded model a `configure` names (a 400 ApiError for a name the service does not run). */
  model: (name: string | undefined) => Promise<LoadedModel>;
  engineFor: (model: LoadedModel) => Promise<ModelEngine>;
  vad: () => Promise<SileroVadModel>;
  emit: (event: GpuRealtimeEvent) => void;
  partial?: Partial<PartialOptions>;
  /** A VAD turn longer than this is cut there and goes on as a new utterance (28 s: one window). */
  maxTurnSamples?: number;
  /** Temperatures of final decodes (REALTIME_TEMPERATURE_FALLBACK=false gives `[0]`). */
  finalTemperatures?: number[];
  /** A manual buffer never committed commits itself at this length (10 min). */
  maxBufferSamples?: number;
  log?: (message: string) => void;
  /** Each partial decode as it finishes (tests and the bench watch the cadence). */
  onPartialDecode?: (decode: { utterance: number; samples: number; tokens: number; ms: number }) => void;
}

/** Audio kept after the closing silence begins (and before speech in manual mode's partials). */
const TAIL_PAD_SAMPLES = Math.round(0.2 * SAMPLE_RATE);
/** OpenAI refuses to commit less than 100 ms of audio. */
const MIN_COMMIT_SAMPLES = Math.round(0.1 * SAMPLE_RATE);
/** Audio kept before the present while no turn is open: the prefix padding reaches back into it. */
const LOOK_BEHIND_SAMPLES = 7 * SAMPLE_RATE;
const ms = (samples: number) => Math.round((samples * 1000) / SAMPLE_RATE);

interface Utterance {
  n: number;
  start: number;
  partial: PartialTranscript | null;
  options: () => Promise<LiveDecodeOptions>;
}

/**
 * One live transcription session on this service: PCM in, VAD turns (or the caller's commits) cut it
 * into utterances; each shows partial text while it is open and gets one full decode when it closes.
 * Messages are handled strictly in order (audio, commits and configuration changes as sent); decodes
 * run beside that, and each utterance's `completed` follows the previous one's.
 */
export class RealtimeSession {
  private readonly tape = new AudioTape();
  private chain: Promise<void> = Promise.resolve();
  private finals: Promise<void> = Promise.resolve();
  private config: Configure | null = null;
  private engine: LiveEngine | null = null;
  private vad: LiveVad | null = null;
  private open: Utterance | null = null;
  private nextUtterance = 0;
  /** Where audio that belongs to no closed utterance starts: the manual buffer, or after the last turn. */
  private bufferStart = 0;
  private language: Promise<string> | null = null;
  private closed = false;
  private readonly maxTurn: number;
  private readonly maxBuffer: number;
  private readonly partialOptions: PartialOptions;

  constructor(private readonly deps: RealtimeSessionDeps) {
    this.maxTurn = deps.maxTurnSamples ?? 28 * SAMPLE_RATE;
    this.maxBuffer = deps.maxBufferSamples ?? 600 * SAMPLE_RATE;
    this.partialOptions = { stepSamples: Math.round(0.5 * SAMPLE_RATE), ...deps.partial };
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
    await this.finals;
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
    if (model !== this.engine?.model || message.language !== previous?.language) this.language = null;
    this.config = message;
    this.engine = engine;
    if (turnsChanged) {
      // Manual mode runs VAD too, only to know when the buffer has speech worth partial decodes.
      this.vad = new LiveVad(
        await this.deps.vad(),
        {
          threshold: message.turn_detection?.threshold ?? 0.5,
          silenceDurationMs: message.turn_detection?.silence_duration_ms ?? 500,
        },
        this.tape.end,
      );
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
    const n = this.nextUtterance++;
    let options: Promise<LiveDecodeOptions> | null = null;
    const utterance: Utterance = {
      n,
      start,
      partial: null,
      options: () => {
        options ??= this.decodeOptions(this.tape.slice(start));
        return options;
      },
    };
    this.open = utterance;
    if (announce) {
      this.emit({ type: 'speech_started', utterance: n, audio_start_ms: ms(start) });
      utterance.partial = this.newPartial(utterance, start);
    }
    return utterance;
  }

  /** The open utterance; otherwise one is opened, quietly, where the buffer starts. */
  private current(): Utterance {
    return this.open ?? this.openUtterance(Math.max(this.bufferStart, this.tape.start), false);
  }

  private newPartial(utterance: Utterance, from: number): PartialTranscript {
    const partial = new PartialTranscript(
      this.engine!,
      utterance.options,
      this.tape,
      from,
      this.partialOptions,
      (delta) => this.emit({ type: 'delta', utterance: utterance.n, delta }),
      (error) => this.deps.log?.(`partial decode failed: ${(error as Error).message}`),
    );
    const observe = this.deps.onPartialDecode;
    if (observe) partial.onDecoded = (decode) => observe({ utterance: utterance.n, ...decode });
    return partial;
  }

  /** The session's language (detected once, on the first utterance, when not given) and prompt. */
  private decodeOptions(audio: Float32Array): Promise<LiveDecodeOptions> {
    const engine = this.engine!;
    const config = this.config!;
    this.language ??= engine.language(config.language, audio);
    const language = this.language;
    language.catch(() => {
      if (this.language === language) this.language = null;
    });
    return language.then((lang) => ({ language: lang, prompt: config.prompt }));
  }

  private commit(ref: string | undefined): void {
    if (!this.config)
      throw new ApiError(400, 'Commit before the session was configured', { code: 'not_configured' });
    const start = this.open?.start ?? Math.max(this.bufferStart, this.tape.start);
    const buffered = this.tape.end - start;
    if (buffered < MIN_COMMIT_SAMPLES) {
      const error = new ApiError(
        400,
        `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${ms(buffered)}ms of audio.`,
        { code: 'input_audio_buffer_commit_empty' },
      );
      this.fail(error, ref);
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
    const engine = this.engine!;
    const model = this.config?.model;
    this.finals = this.finals.then(async () => {
      try {
        const options = await utterance.options();
        // Counts as use of the model, so the idle-unload sweep leaves alone a model sessions need.
        await this.deps.model(model);
        const transcript = await engine.final(audio, {
          ...options,
          temperatures: this.deps.finalTemperatures,
        });
        this.emit({
          type: 'completed',
          utterance: utterance.n,
          transcript,
          language: options.language,
          audio_seconds: Math.round((audio.length / SAMPLE_RATE) * 1000) / 1000,
        });
      } catch (error) {
        if (!(error instanceof ApiError)) this.deps.log?.(`final decode failed: ${(error as Error).stack}`);
        this.emit({ type: 'failed', utterance: utterance.n, error: asApiError(error).toBody().error });
      }
    });
  }

  /** Keeps the open utterance, the manual buffer, or VAD's look-behind; nothing older. */
  private trim(): void {
    let keep: number;
    if (this.open) keep = this.open.start;
    else if (this.config?.turn_detection)
      keep = Math.max(this.bufferStart, this.tape.end - LOOK_BEHIND_SAMPLES);
    else keep = this.bufferStart;
    this.tape.dropBefore(keep);
  }
}

function sameTurns(a: GpuTurnDetection | null, b: GpuTurnDetection | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
