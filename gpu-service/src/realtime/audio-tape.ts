/**
 * A live session's recent audio on one timeline: samples are numbered from the session's first one,
 * appended as they arrive, and dropped from the front once nothing can need them (the open
 * utterance's start, or the look-behind a turn's prefix padding reaches into).
 */
export class AudioTape {
  private data = new Float32Array(16_000 * 4);
  /** Session sample of data[0]. */
  private base = 0;
  private length = 0;

  /** Samples received so far: the session position of the next one. */
  get end(): number {
    return this.base + this.length;
  }

  /** The earliest sample still held. */
  get start(): number {
    return this.base;
  }

  append(samples: Float32Array): void {
    if (this.length + samples.length > this.data.length) {
      const grown = new Float32Array(Math.max(this.data.length * 2, this.length + samples.length));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    this.data.set(samples, this.length);
    this.length += samples.length;
  }

  /** A copy of [from, to), clamped to what is held. */
  slice(from: number, to: number = this.end): Float32Array {
    const a = Math.max(from, this.base) - this.base;
    const b = Math.min(to, this.end) - this.base;
    return b > a ? this.data.slice(a, b) : new Float32Array(0);
  }

  /** Forgets everything before `sample` (it never needs to come back). */
  dropBefore(sample: number): void {
    const drop = Math.min(Math.max(0, sample - this.base), this.length);
    if (drop === 0) return;
    this.data.copyWithin(0, drop, this.length);
    this.length -= drop;
    this.base += drop;
  }
}
