/**
 * The session's 16 kHz PCM16 audio from the earliest point a GPU service might need again: when one
 * dies mid-session, everything from there is sent to its replacement. Held as the chunks it came in.
 */
export class ReplayBuffer {
  private chunks: Array<{ start: number; bytes: Uint8Array }> = [];
  private endSample: number;
  private startSample: number;

  /** `position`: the session sample the next audio is (a session woken from hibernation goes on). */
  constructor(position = 0) {
    this.endSample = position;
    this.startSample = position;
  }

  /** Session samples so far. */
  get end(): number {
    return this.endSample;
  }

  get start(): number {
    return this.startSample;
  }

  get bytes(): number {
    return this.chunks.reduce((n, c) => n + c.bytes.byteLength, 0);
  }

  append(pcm16: Uint8Array): void {
    if (pcm16.byteLength === 0) return;
    this.chunks.push({ start: this.endSample, bytes: pcm16 });
    this.endSample += pcm16.byteLength >> 1;
  }

  /** PCM16 of [from, to) as held (clamped), in pieces. */
  slice(from: number, to: number = this.endSample): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const chunk of this.chunks) {
      const chunkEnd = chunk.start + (chunk.bytes.byteLength >> 1);
      if (chunkEnd <= from || chunk.start >= to) continue;
      const a = Math.max(from, chunk.start) - chunk.start;
      const b = Math.min(to, chunkEnd) - chunk.start;
      out.push(chunk.bytes.subarray(a * 2, b * 2));
    }
    return out;
  }

  dropBefore(sample: number): void {
    while (this.chunks.length > 0) {
      const first = this.chunks[0]!;
      const firstEnd = first.start + (first.bytes.byteLength >> 1);
      if (firstEnd > sample) break;
      this.chunks.shift();
    }
    const first = this.chunks[0];
    if (first && first.start < sample) {
      const cut = sample - first.start;
      this.chunks[0] = { start: sample, bytes: first.bytes.subarray(cut * 2) };
    }
    this.startSample = Math.max(this.startSample, Math.min(sample, this.endSample));
  }
}
