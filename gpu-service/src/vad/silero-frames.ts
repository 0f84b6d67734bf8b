import { MODEL_INPUT_SAMPLES, type SileroVadModel, STATE_SIZE } from './silero-model.js';
import { CONTEXT_SAMPLES, FRAME_SAMPLES } from './vad-options.js';

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
 * One stream's way into Silero: blocks of any size assembled into 512-sample frames behind 64 samples
 * of context from the previous one, the recurrent state, and the digital-silence gate. Files
 * (silero-vad.ts) and live sessions (live-vad.ts) judge frames alike through it.
 */
export class SileroFrames {
  /** The model input: 64 samples of context from the previous frame, then the frame being filled. */
  private readonly input = new Float32Array(MODEL_INPUT_SAMPLES);
  private readonly state = new Float32Array(STATE_SIZE);
  private filled = 0;
  private taken = 0;
  /** Consecutive frames below SILENCE_PEAK, and how many frames skipped the model because of it. */
  private quietFrames = 0;
  private gated = 0;

  constructor(
    private readonly model: SileroVadModel,
    /** `false` runs the model on every frame: the reference the gate is checked against. */
    private readonly gateSilence = true,
  ) {}

  /** Samples of the frame being filled (< 512). */
  get pending(): number {
    return this.filled;
  }

  /** Samples taken so far. */
  get received(): number {
    return this.taken;
  }

  /** Frames judged silent without running the model. */
  get gatedFrames(): number {
    return this.gated;
  }

  /** Takes the samples; each frame they complete has its speech probability passed on, in order. */
  async push(samples: Float32Array, onFrame: (probability: number) => void): Promise<void> {
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(FRAME_SAMPLES - this.filled, samples.length - offset);
      this.input.set(samples.subarray(offset, offset + take), CONTEXT_SAMPLES + this.filled);
      this.filled += take;
      offset += take;
      this.taken += take;
      if (this.filled === FRAME_SAMPLES) onFrame(await this.frame());
    }
  }

  /** The last partial frame, zero-padded; undefined when there is none. */
  async flush(): Promise<number | undefined> {
    if (this.filled === 0) return undefined;
    this.input.fill(0, CONTEXT_SAMPLES + this.filled);
    return this.frame();
  }

  private async frame(): Promise<number> {
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
    this.input.copyWithin(0, FRAME_SAMPLES, MODEL_INPUT_SAMPLES);
    this.filled = 0;
    return probability;
  }
}

/**
 * Work run strictly in order, each call after the previous one settled. A failure sticks: a failed
 * frame leaves state half-updated, and later results would be silently wrong.
 */
export class InOrder {
  private tail: Promise<unknown> = Promise.resolve();
  private failure: unknown = null;

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => {
      if (this.failure !== null) throw this.failure;
      return work().catch((error: unknown) => {
        this.failure = error;
        throw error;
      });
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}
