import { N_SAMPLES } from '../audio/whisper-audio.js';
import type { AudioTape } from './audio-tape.js';
import type { LiveDecodeOptions, LiveEngine } from './live-engine.js';
import { TokenAgreement } from './token-agreement.js';

export interface PartialOptions {
  /** New audio (samples) that makes another partial decode worth running: 0.5 s by default. */
  stepSamples: number;
  /**
   * Longest window one decode sees (Whisper's 30 s, less in tests): past it, the latest hypothesis is
   * taken whole and decoding continues on the audio after it.
   */
  windowSamples?: number;
}

/**
 * The partial text of one open utterance. Whenever a step of new audio has arrived and no decode is
 * running, the audio so far is decoded again, continuing from the agreed tokens; what two decodes in
 * a row agree on is appended as a delta. A decode that takes longer than a step simply covers more
 * audio the next time, so a busy service shows text less often but never falls behind.
 */
export class PartialTranscript {
  private agreement = new TokenAgreement();
  /** Text of windows already left behind, then the agreed text of this one: what was emitted. */
  private frozen = '';
  private emitted = '';
  private windowStart: number;
  private decodedTo: number;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly windowSamples: number;
  /** Called after each decode: the audio it covered (samples of the window) and how long it took. */
  onDecoded?: (decode: { samples: number; tokens: number; ms: number }) => void;

  constructor(
    private readonly engine: LiveEngine,
    private readonly decodeOptions: () => Promise<LiveDecodeOptions>,
    private readonly tape: AudioTape,
    start: number,
    private readonly options: PartialOptions,
    private readonly onDelta: (delta: string) => void,
    private readonly onError: (error: unknown) => void,
  ) {
    this.windowStart = start;
    this.decodedTo = start;
    this.windowSamples = Math.min(options.windowSamples ?? N_SAMPLES, N_SAMPLES);
  }

  /** The text emitted so far (all deltas joined). */
  get text(): string {
    return this.emitted;
  }

  /** New audio reached the tape: decode again if a step of it is waiting and nothing runs. */
  update(): void {
    if (this.stopped || this.running) return;
    if (this.tape.end - this.decodedTo < this.options.stepSamples) return;
    this.running = this.decode().finally(() => {
      this.running = null;
      this.update();
    });
  }

  /** No more partials: the utterance closed (its final decode follows) or the session ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async decode(): Promise<void> {
    let to = this.tape.end;
    if (to - this.windowStart > this.windowSamples) {
      // The window is full: what the last decode said of it stands, and the next window starts there.
      this.emit(this.agreement.settle());
      this.frozen = this.emitted;
      this.agreement = new TokenAgreement();
      this.windowStart = this.decodedTo;
      to = Math.min(to, this.windowStart + this.windowSamples);
    }
    this.decodedTo = to;
    const audio = this.tape.slice(this.windowStart, to);
    try {
      const options = await this.decodeOptions();
      const prompt = [options.prompt, this.frozen].filter(Boolean).join(' ').slice(-800) || undefined;
      const started = performance.now();
      const hypothesis = await this.engine.partial(audio, { ...options, prompt }, this.agreement.committed);
      this.onDecoded?.({ samples: audio.length, tokens: hypothesis.length, ms: performance.now() - started });
      if (this.stopped) return;
      this.emit(this.agreement.offer(hypothesis));
    } catch (error) {
      this.stopped = true;
      this.onError(error);
    }
  }

  private emit(newTokens: readonly number[]): void {
    if (newTokens.length === 0) return;
    const current = this.engine.textOf(this.agreement.committed);
    // A token that ends inside a multi-byte character decodes to U+FFFD until the rest arrives.
    const text = `${this.frozen}${this.frozen && !/^\s/.test(current) ? ' ' : ''}${current}`
      .trimStart()
      .replace(/\uFFFD+$/, '');
    // Append-only, whatever the tokenizer does at the seams: text already shown is never rewritten.
    if (text.length <= this.emitted.length) return;
    const delta = text.slice(this.emitted.length);
    this.emitted = text;
    this.onDelta(delta);
  }
}
