import type { ApiError } from '@whisper-edge/shared';

export interface PaceLimits {
  /**
   * Slowest acceptable average rate, counted only over the time spent waiting for the network: the
   * service itself reads at transcription speed, so its own back-pressure must never count against
   * the source.
   */
  minBytesPerSecond: number;
  /** Longest single wait for the next bytes. */
  stallSeconds: number;
  /** Waiting time before the average rate is judged (TCP slow start, a cold object store). */
  graceSeconds: number;
}

export const DEFAULT_PACE: PaceLimits = { minBytesPerSecond: 16 * 1024, stallSeconds: 30, graceSeconds: 10 };

/**
 * Guards one download against a source that drips bytes: without it, a URL that sends a byte a second
 * holds a GPU slot for as long as its server likes.
 */
export class DownloadPace {
  private waitedMs = 0;
  private bytes = 0;

  constructor(
    private readonly limits: PaceLimits,
    private readonly tooSlow: (detail: string) => ApiError,
  ) {}

  /** One read, timed; throws the `tooSlow` error when the source stalls or averages below the floor. */
  async read(
    reader: ReadableStreamDefaultReader<Uint8Array>,
  ): ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']> {
    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(this.tooSlow(`(no data for ${this.limits.stallSeconds} s)`)),
        this.limits.stallSeconds * 1000,
      );
    });
    try {
      const result = await Promise.race([reader.read(), stalled]);
      this.waitedMs += performance.now() - started;
      if (!result.done) this.bytes += result.value.byteLength;
      const waited = this.waitedMs / 1000;
      if (!result.done && waited > this.limits.graceSeconds) {
        const rate = this.bytes / waited;
        if (rate < this.limits.minBytesPerSecond) {
          throw this.tooSlow(
            `(${Math.round(rate)} bytes/s, below the ${this.limits.minBytesPerSecond} bytes/s minimum)`,
          );
        }
      }
      return result;
    } finally {
      clearTimeout(timer);
    }
  }
}
