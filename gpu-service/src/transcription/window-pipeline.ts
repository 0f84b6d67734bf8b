import type { AudioWindow } from './window-assembler.js';

type Settled<T> = { value: T } | { error: unknown };

const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

/**
 * A request's windows decoding while its audio is still being read: each window goes to the engine as
 * soon as it is final, up to `depth` at a time, and results are handed on in window order (segments
 * and progress stay in order). The engine's continuous batching then always has this request's next
 * window ready for a free place, instead of the request waiting for a whole batch before reading on.
 */
export class WindowPipeline<T> {
  private readonly inFlight: Array<{ window: AudioWindow; result: Promise<Settled<T>> }> = [];

  constructor(
    private readonly depth: number,
    private readonly start: (window: AudioWindow) => Promise<T>,
    private readonly accept: (window: AudioWindow, result: T) => Promise<void> | void,
  ) {}

  /** Samples held by windows not yet handed on (part of what the request keeps in memory). */
  get heldSamples(): number {
    return this.inFlight.reduce((n, { window }) => n + window.samples.length, 0);
  }

  /** Starts the window once fewer than `depth` are decoding (handing on the oldest until then). */
  async push(window: AudioWindow): Promise<void> {
    while (this.inFlight.length >= this.depth) await this.handOnOldest();
    this.inFlight.push({ window, result: settle(this.start(window)) });
  }

  /** Every window handed on, in order; the first failure is thrown (later windows are not handed on). */
  async finish(): Promise<void> {
    while (this.inFlight.length > 0) await this.handOnOldest();
  }

  private async handOnOldest(): Promise<void> {
    const { window, result } = this.inFlight[0]!;
    const settled = await result;
    this.inFlight.shift();
    if ('error' in settled) throw settled.error;
    await this.accept(window, settled.value);
  }
}
