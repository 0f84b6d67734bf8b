import { MODEL_INPUT_SAMPLES, type SileroVadModel, STATE_SIZE } from './silero-model.js';
import { SETTLE_FRAMES, SILENCE_PEAK } from './silero-vad.js';
import { TurnDetector, type TurnEvent, type TurnOptions } from './turn-detector.js';
import { CONTEXT_SAMPLES, FRAME_SAMPLES } from './vad-options.js';

/**
 * Silero VAD on live audio: samples in as they arrive (any block size), turn starts and stops out as
 * soon as they are decided. Frames go to the process-wide model, which batches them with every other
 * stream's; this stream keeps one frame, its context and its recurrent state. Digital silence skips
 * the model once it has lasted half a second, as it does for files.
 */
export class LiveVad {
  private readonly input = new Float32Array(MODEL_INPUT_SAMPLES);
  private readonly state = new Float32Array(STATE_SIZE);
  private filled = 0;
  private quietFrames = 0;
  private readonly turns: TurnDetector;
  private tail: Promise<unknown> = Promise.resolve();
  private failure: unknown = null;

  constructor(
    private readonly model: SileroVadModel,
    options: TurnOptions,
    /** Session sample of the first one pushed here, so turn positions are the session's. */
    startSample = 0,
  ) {
    this.turns = new TurnDetector(options, startSample);
  }

  /** Whether a turn is open (started and not yet stopped). */
  get inTurn(): boolean {
    return this.turns.inTurn;
  }

  /**
   * Feeds the next block; calls are processed in order. The block is copied frame by frame before the
   * first await, so the caller may reuse it at once.
   */
  push(samples: Float32Array): Promise<TurnEvent[]> {
    const copy = samples.slice();
    const result = this.tail.then(async () => {
      if (this.failure !== null) throw this.failure;
      try {
        return await this.consume(copy);
      } catch (error) {
        this.failure = error;
        throw error;
      }
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async consume(samples: Float32Array): Promise<TurnEvent[]> {
    const events: TurnEvent[] = [];
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(FRAME_SAMPLES - this.filled, samples.length - offset);
      this.input.set(samples.subarray(offset, offset + take), CONTEXT_SAMPLES + this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === FRAME_SAMPLES) events.push(...this.turns.push(await this.frame()));
    }
    return events;
  }

  private async frame(): Promise<number> {
    let peak = 0;
    for (let i = 0; i < MODEL_INPUT_SAMPLES; i++) {
      const v = Math.abs(this.input[i]!);
      if (v > peak) peak = v;
    }
    this.quietFrames = peak < SILENCE_PEAK ? this.quietFrames + 1 : 0;
    const probability = this.quietFrames > SETTLE_FRAMES ? 0 : await this.model.infer(this.input, this.state);
    this.input.copyWithin(0, FRAME_SAMPLES, MODEL_INPUT_SAMPLES);
    this.filled = 0;
    return probability;
  }
}
