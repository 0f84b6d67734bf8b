import type { VadOverrides } from '@whisper-edge/shared';
import { SAMPLE_RATE } from '../audio/sample-rate.js';
import { packWindows, type SpeechWindow, toSourceTime } from '../vad/pack-windows.js';
import { loadSileroVad } from '../vad/silero-model.js';
import { SILENCE_PEAK, type SpeechSegment, type VadOptions, VadStream } from '../vad/silero-vad.js';
import { SampleBuffer } from './sample-buffer.js';

/** A ≤ 30 s input for Whisper and the way back from its timestamps to the original timeline. */
export interface AudioWindow {
  samples: Float32Array;
  /** Where the window begins in the source, seconds. */
  offset: number;
  /** Seconds in the window → seconds in the source audio. */
  toSource(seconds: number, edge: 'start' | 'end'): number;
}

const WINDOW_SAMPLES = 30 * SAMPLE_RATE;
/** Speech VAD has not closed yet can have begun up to a window (plus padding and silence wait) ago. */
const VAD_LOOKBEHIND = WINDOW_SAMPLES + 5 * SAMPLE_RATE;

/**
 * Turns a stream of PCM blocks into finished windows as early as they are known: with VAD, speech
 * packed into ≤ 30 s windows with the silences between utterances removed (a window is final once the
 * next segment no longer fits); without, plain consecutive 30 s windows (no overlap). Only the audio
 * of the window being assembled is kept.
 */
function vadOptionsFrom(overrides: VadOverrides | undefined): Partial<VadOptions> {
  if (!overrides) return {};
  return {
    ...(overrides.threshold !== undefined ? { threshold: overrides.threshold } : {}),
    ...(overrides.prefix_padding_ms !== undefined ? { speechPadMs: overrides.prefix_padding_ms } : {}),
    ...(overrides.silence_duration_ms !== undefined
      ? { minSilenceDurationMs: overrides.silence_duration_ms }
      : {}),
  };
}

export class WindowAssembler {
  private readonly buffer = new SampleBuffer();
  private vad: VadStream | undefined;
  /** Speech not yet in a finished window, with its samples copied out of the buffer. */
  private pending: Array<SpeechSegment & { samples: Float32Array }> = [];
  /** Where the last emitted speech ended: nothing before it is needed again. */
  private spokenUpTo = 0;

  /** `overrides`: a request's own VAD settings (OpenAI's server_vad chunking), which turn VAD on. */
  static async create(useVad: boolean, overrides?: VadOverrides): Promise<WindowAssembler> {
    const assembler = new WindowAssembler();
    if (useVad || overrides) assembler.vad = new VadStream(await loadSileroVad(), vadOptionsFrom(overrides));
    return assembler;
  }

  get received(): number {
    return this.buffer.end;
  }

  /** Samples currently held: bounded by one window plus VAD look-behind, whatever the input length. */
  get retainedSamples(): number {
    return this.buffer.retained + this.pending.reduce((n, s) => n + s.samples.length, 0);
  }

  async push(block: Float32Array): Promise<AudioWindow[]> {
    this.buffer.append(block);
    if (!this.vad) return this.fixedWindows(false);
    this.keep(await this.vad.push(block));
    return this.speechWindows(false);
  }

  async finish(): Promise<AudioWindow[]> {
    if (!this.vad) return this.fixedWindows(true);
    this.keep(await this.vad.flush());
    return this.speechWindows(true);
  }

  /**
   * Copies each new speech segment out of the buffer, then lets the buffer forget everything no future
   * segment can reach: silence between utterances is never held, however long the open window spans.
   */
  private keep(segments: SpeechSegment[]): void {
    for (const segment of segments) {
      this.pending.push({ ...segment, samples: this.buffer.read(segment.start, segment.end) });
      this.spokenUpTo = Math.max(this.spokenUpTo, segment.end);
    }
    this.buffer.dropBefore(Math.max(this.spokenUpTo, this.buffer.end - VAD_LOOKBEHIND));
  }

  private fixedWindows(final: boolean): AudioWindow[] {
    const out: AudioWindow[] = [];
    let start = this.buffer.end - this.buffer.retained;
    while (this.buffer.end - start >= WINDOW_SAMPLES || (final && this.buffer.end > start)) {
      const end = Math.min(start + WINDOW_SAMPLES, this.buffer.end);
      const offset = start / SAMPLE_RATE;
      const samples = this.buffer.read(start, end);
      // Without VAD, a window of digital silence would still cost a full encoder and decoder pass.
      if (!isSilent(samples)) out.push({ samples, offset, toSource: (seconds) => offset + seconds });
      this.buffer.dropBefore(end);
      start = end;
    }
    return out;
  }

  private speechWindows(final: boolean): AudioWindow[] {
    const packed = packWindows(this.pending);
    // The last window may still grow, unless the stream has ended.
    const ready = final ? packed : packed.slice(0, -1);
    const out = ready.map((window) => this.materialise(window));
    const open = final ? undefined : packed[packed.length - 1];
    this.pending = open ? this.pending.filter((segment) => segment.end > open.start) : [];
    return out;
  }

  /** Copies source samples [from, to) from the kept speech segments (pieces never span a gap). */
  private readSpeech(from: number, to: number): Float32Array {
    const out = new Float32Array(to - from);
    for (const segment of this.pending) {
      const a = Math.max(from, segment.start);
      const b = Math.min(to, segment.end);
      if (a < b) out.set(segment.samples.subarray(a - segment.start, b - segment.start), a - from);
    }
    return out;
  }

  private materialise(window: SpeechWindow): AudioWindow {
    const samples = new Float32Array(window.length);
    for (const piece of window.pieces) {
      samples.set(this.readSpeech(piece.sourceStart, piece.sourceEnd), piece.windowOffset);
    }
    return {
      samples,
      offset: window.start / SAMPLE_RATE,
      toSource: (seconds, edge) => toSourceTime(window, seconds, edge),
    };
  }
}

function isSilent(samples: Float32Array): boolean {
  for (let i = 0; i < samples.length; i++) if (Math.abs(samples[i]!) >= SILENCE_PEAK) return false;
  return true;
}
