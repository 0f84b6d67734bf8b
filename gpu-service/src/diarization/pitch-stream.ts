/** 40 ms analysis frames every 10 ms: two periods of a 50 Hz voice fit in one. */
const FRAME = 640;
const HOP = 160;
const MIN_LAG = 32; // 500 Hz
const MAX_LAG = 320; // 50 Hz
/** Normalised autocorrelation a frame must reach at its best lag to count as voiced. */
const VOICING = 0.6;

/** Per frame: log2 of the fundamental frequency in Hz, or NaN where the frame is not voiced. */
export type PitchSink = (logF0: number) => void;

/**
 * Fundamental frequency by normalised autocorrelation over a stream of 16 kHz blocks: voice pitch is
 * the plainest thing that tells speakers apart, and MFCCs deliberately discard it.
 */
export class PitchStream {
  private pending = new Float32Array(0);

  constructor(private readonly sink: PitchSink) {}

  push(block: Float32Array): void {
    const joined = new Float32Array(this.pending.length + block.length);
    joined.set(this.pending);
    joined.set(block, this.pending.length);
    let at = 0;
    for (; at + FRAME <= joined.length; at += HOP) this.sink(frameLogF0(joined, at));
    this.pending = joined.slice(at);
  }
}

export function frameLogF0(samples: Float32Array, at: number): number {
  const span = FRAME - MAX_LAG;
  let energy0 = 0;
  for (let i = 0; i < span; i++) energy0 += samples[at + i]! ** 2;
  if (energy0 < 1e-6) return Number.NaN;
  const correlation = new Float64Array(MAX_LAG + 2);
  let best = 0;
  for (let lag = MIN_LAG; lag <= MAX_LAG; lag++) {
    let dot = 0;
    let energy = 0;
    for (let i = 0; i < span; i++) {
      const b = samples[at + i + lag]!;
      dot += samples[at + i]! * b;
      energy += b * b;
    }
    correlation[lag] = dot / Math.sqrt(energy0 * energy + 1e-12);
    best = Math.max(best, correlation[lag]!);
  }
  // Whole multiples of the period correlate as well as the period itself: take the first peak that is
  // nearly as good as the best, or every voice would come out an octave or two low.
  let bestLag = MAX_LAG;
  for (let lag = MIN_LAG + 1; lag < MAX_LAG; lag++) {
    const r = correlation[lag]!;
    if (r >= 0.9 * best && r >= correlation[lag - 1]! && r >= correlation[lag + 1]!) {
      bestLag = lag;
      break;
    }
  }
  return best >= VOICING ? Math.log2(16_000 / bestLag) : Number.NaN;
}
