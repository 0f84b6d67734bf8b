import { InOrder, SileroFrames } from './silero-frames.js';
import type { SileroVadModel } from './silero-model.js';
import { TurnDetector, type TurnEvent, type TurnOptions } from './turn-detector.js';

/**
 * Silero VAD on live audio: samples in as they arrive (any block size), turn starts and stops out as
 * soon as they are decided. Frames go to the process-wide model, which batches them with every other
 * stream's; this stream keeps one frame, its context and its recurrent state. Digital silence skips
 * the model once it has lasted half a second, as it does for files.
 */
export class LiveVad {
  private readonly frames: SileroFrames;
  private readonly turns: TurnDetector;
  private readonly order = new InOrder();

  constructor(
    model: SileroVadModel,
    options: TurnOptions,
    /** Session sample of the first one pushed here, so turn positions are the session's. */
    startSample = 0,
  ) {
    this.frames = new SileroFrames(model);
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
    return this.order.run(async () => {
      const events: TurnEvent[] = [];
      await this.frames.push(copy, (probability) => events.push(...this.turns.push(probability)));
      return events;
    });
  }
}
