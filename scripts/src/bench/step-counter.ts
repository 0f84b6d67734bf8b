import type * as ort from 'onnxruntime-node';

/**
 * Counts decoder steps per window by watching the sessions themselves, so the count is the same
 * whoever drives them (the stock `generate` or our loop): every encoder run opens one group per
 * window of its batch, and every decoder run after it is one step for each of those windows.
 */
export class StepCounter {
  /** Decoder steps of each window encoded so far, in encoding order. */
  readonly perWindow: number[] = [];
  /**
   * Decoder steps times the windows in each: the work done, however windows shared steps (our
   * continuous batching lets windows join and leave a batch, so steps do not group by encoder run).
   */
  rowSteps = 0;
  private open: number[] = [];
  private readonly restore: Array<() => void> = [];

  constructor(encoder: ort.InferenceSession, decoder: ort.InferenceSession) {
    this.wrap(encoder, (feeds) => {
      const batch = Object.values(feeds)[0]?.dims[0] ?? 1;
      this.open = Array.from({ length: batch }, () => this.perWindow.push(0) - 1);
    });
    this.wrap(decoder, (feeds) => {
      this.rowSteps += feeds.input_ids?.dims[0] ?? 1;
      for (const index of this.open) this.perWindow[index]!++;
    });
  }

  private wrap(session: ort.InferenceSession, onRun: (feeds: Record<string, ort.Tensor>) => void): void {
    const run = session.run;
    session.run = function (
      this: ort.InferenceSession,
      feeds: Record<string, ort.Tensor>,
      ...rest: unknown[]
    ) {
      onRun(feeds);
      return (run as (...args: unknown[]) => ReturnType<ort.InferenceSession['run']>).call(
        this,
        feeds,
        ...rest,
      );
    } as ort.InferenceSession['run'];
    this.restore.push(() => {
      session.run = run;
    });
  }

  /** Forgets what was counted (between the two sides of a benchmark). */
  reset(): void {
    this.perWindow.length = 0;
    this.open = [];
    this.rowSteps = 0;
  }

  /** The distinct step counts seen, with how many windows had each: `32 × 24`. */
  summary(): string {
    const counts = new Map<number, number>();
    for (const steps of this.perWindow) counts.set(steps, (counts.get(steps) ?? 0) + 1);
    return [...counts.entries()]
      .sort(([a], [b]) => a - b)
      .map(([steps, windows]) => `${steps} steps × ${windows}`)
      .join(', ');
  }

  dispose(): void {
    for (const undo of this.restore) undo();
  }
}
