import { loadSileroVad, MODEL_INPUT_SAMPLES, type SileroVadModel, STATE_SIZE } from './silero-model.js';
import { SpeechSegmenter } from './speech-segmenter.js';
import {
  CONTEXT_SAMPLES,
  FRAME_SAMPLES,
  resolveVadOptions,
  type SpeechSegment,
  type VadOptions,
} from './vad-options.js';

export { DEFAULT_VAD_OPTIONS, type SpeechSegment, type VadOptions } from './vad-options.js';

/** What a stream holds between pushes; all of it is bounded whatever the audio length. */
export interface VadRetained {
  /** Samples of the current partial frame (< 512). */
  samples: number;
  /** Pause candidates for splitting the open segment (≤ maxSpeech / 32 ms). */
  pauses: number;
  /** Closed segments waiting for their padded end (0 or 1). */
  segments: number;
}

/**
 * Below this peak (-72 dBFS, the lowest four bits of 16-bit audio) a frame is digital silence or
 * dither: no speech Silero could hear. Real room noise sits well above it, so only true silence is
 * gated, and that is what a decode bomb or a long-silent recording is made of.
 */
export const SILENCE_PEAK = 2 ** -12;
/**
 * Quiet frames still run through the model before gating starts (half a second), so a short digital
 * gap inside speech is judged by the model and its recurrent state settles into silence. The state
 * is then left there; the ungated model would drift on slowly (it has no fixed point on zeros), which
 * can move the next onset by a frame — measured, never more, on espeak and real recordings.
 */
export const SETTLE_FRAMES = 16;

/**
 * Voice activity detection over a stream of 16 kHz mono float PCM in blocks of any size. Segments
 * come back from the push that closes them (plus padding settlement), so a caller can start Whisper
 * on them while audio is still arriving; the stream itself keeps only one frame and its recurrent
 * state. Results are identical however the audio is split into blocks.
 */
export class VadStream {
  /** The model input: 64 samples of context from the previous frame, then the frame being filled. */
  private readonly input = new Float32Array(MODEL_INPUT_SAMPLES);
  private readonly state = new Float32Array(STATE_SIZE);
  private filled = 0;
  private received = 0;
  private readonly segmenter: SpeechSegmenter;
  private tail: Promise<unknown> = Promise.resolve();
  private failure: unknown = null;
  private ended = false;
  /** Consecutive frames below SILENCE_PEAK, and how many frames skipped the model because of it. */
  private quietFrames = 0;
  private gated = 0;

  constructor(
    private readonly model: SileroVadModel,
    options: Partial<VadOptions> = {},
    /** `false` runs the model on every frame: the reference the gate is checked against. */
    private readonly gateSilence = true,
  ) {
    this.segmenter = new SpeechSegmenter(resolveVadOptions(options));
  }

  get retained(): VadRetained {
    return {
      samples: this.filled,
      pauses: this.segmenter.retainedPauses,
      segments: this.segmenter.heldSegments,
    };
  }

  /** Frames judged silent without running the model (cheap silence: seconds for hours of it). */
  get gatedFrames(): number {
    return this.gated;
  }

  /** Samples received so far; segment positions count from the first one. */
  get position(): number {
    return this.received;
  }

  /**
   * Feeds the next block. Calls may overlap; they are processed in order. The block is read until the
   * returned promise settles, so don't overwrite it before then.
   */
  push(samples: Float32Array): Promise<SpeechSegment[]> {
    if (this.ended) return Promise.reject(new Error('VadStream: push after flush'));
    return this.serialize(() => this.consume(samples));
  }

  /** Ends the stream: runs the zero-padded last partial frame and returns the remaining segments. */
  flush(): Promise<SpeechSegment[]> {
    if (this.ended) return Promise.reject(new Error('VadStream: flushed twice'));
    this.ended = true;
    return this.serialize(async () => {
      const out: SpeechSegment[] = [];
      if (this.filled > 0) {
        this.input.fill(0, CONTEXT_SAMPLES + this.filled);
        await this.runFrame(out);
      }
      out.push(...this.segmenter.finish(this.received));
      return out;
    });
  }

  private serialize(work: () => Promise<SpeechSegment[]>): Promise<SpeechSegment[]> {
    const result = this.tail.then(() => {
      // A failed frame leaves state half-updated; later results would be silently wrong.
      if (this.failure !== null) throw this.failure;
      return work().catch((error: unknown) => {
        this.failure = error;
        throw error;
      });
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async consume(samples: Float32Array): Promise<SpeechSegment[]> {
    const out: SpeechSegment[] = [];
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(FRAME_SAMPLES - this.filled, samples.length - offset);
      this.input.set(samples.subarray(offset, offset + take), CONTEXT_SAMPLES + this.filled);
      this.filled += take;
      offset += take;
      this.received += take;
      if (this.filled === FRAME_SAMPLES) await this.runFrame(out);
    }
    return out;
  }

  private async runFrame(out: SpeechSegment[]): Promise<void> {
    let peak = 0;
    for (let i = 0; i < MODEL_INPUT_SAMPLES; i++) {
      const v = Math.abs(this.input[i]!);
      if (v > peak) peak = v;
    }
    this.quietFrames = peak < SILENCE_PEAK ? this.quietFrames + 1 : 0;
    // The state is left as the settled frames made it: speech after the silence starts from there.
    const gate = this.gateSilence && this.quietFrames > SETTLE_FRAMES;
    if (gate) this.gated++;
    const probability = gate ? 0 : await this.model.infer(this.input, this.state);
    for (const segment of this.segmenter.push(probability)) out.push(segment);
    this.input.copyWithin(0, FRAME_SAMPLES, MODEL_INPUT_SAMPLES);
    this.filled = 0;
  }
}

/** Speech segments of a whole 16 kHz mono recording, in samples; the same as streaming it. */
export async function detectSpeech(
  pcm: Float32Array,
  options: Partial<VadOptions> = {},
  model?: SileroVadModel,
): Promise<SpeechSegment[]> {
  const stream = new VadStream(model ?? (await loadSileroVad()), options);
  const segments = await stream.push(pcm);
  segments.push(...(await stream.flush()));
  return segments;
}
