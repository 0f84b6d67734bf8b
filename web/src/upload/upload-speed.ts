/**
 * Upload speed per file, smoothed: parts finish in bursts (a 5 MiB part reports progress, then nothing
 * while the next is signed), so the raw rate jumps; an exponential moving average with a 2 s half-life
 * gives a figure a person can read.
 */
export class SpeedMeter {
  private last: { at: number; bytes: number } | undefined;
  private smoothed: number | undefined;

  constructor(private readonly halfLifeMs = 2000) {}

  /** Feeds bytes sent so far at time `at` (ms); answers bytes per second once there are two samples. */
  sample(bytes: number, at: number): number | undefined {
    const last = this.last;
    this.last = { at, bytes };
    if (!last || at <= last.at) return this.smoothed;
    const rate = ((bytes - last.bytes) * 1000) / (at - last.at);
    if (!Number.isFinite(rate) || rate < 0) return this.smoothed;
    const keep = 0.5 ** ((at - last.at) / this.halfLifeMs);
    this.smoothed = this.smoothed === undefined ? rate : keep * this.smoothed + (1 - keep) * rate;
    return this.smoothed;
  }
}

export function formatRate(bytesPerSecond: number): string {
  if (bytesPerSecond >= 1e6) return `${(bytesPerSecond / 1e6).toFixed(1)} MB/s`;
  if (bytesPerSecond >= 1e3) return `${Math.round(bytesPerSecond / 1e3)} kB/s`;
  return `${Math.round(bytesPerSecond)} B/s`;
}
