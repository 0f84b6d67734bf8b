import { SAMPLE_RATE } from '../audio/sample-rate.js';
import { type Gaussian, GLR_CEPSTRA, OUTER_SIZE } from './gaussian-glr.js';
import { MFCC_HOP } from './mfcc-stream.js';

/** Statistics are kept per 0.25 s chunk: the resolution of speaker boundaries, and all that is stored. */
export const CHUNK_FRAMES = 25;
export const CHUNK_SECONDS = (CHUNK_FRAMES * MFCC_HOP) / SAMPLE_RATE;
const WIDTH = GLR_CEPSTRA + OUTER_SIZE;

/**
 * Per 0.25 s chunk, the Gaussian sufficient statistics (count, sums, sums of products of c1..c12) of
 * the frames loud enough to describe a voice: the acoustic diarizer's whole memory of the audio,
 * ≈ 1.5 kB per second (float32; sums over 25 frames lose nothing that matters in that precision).
 */
export class ChunkStatistics {
  private values = new Float32Array(64 * WIDTH);
  private counts = new Int32Array(64);
  /** Chunks seen so far (silent ones included). */
  chunks = 0;
  private frames = 0;

  constructor(private readonly voicedRms: number) {}

  get retainedBytes(): number {
    return this.values.byteLength + this.counts.byteLength;
  }

  add(cepstra: Float64Array, rms: number): void {
    const chunk = Math.floor(this.frames++ / CHUNK_FRAMES);
    this.grow(chunk + 1);
    if (rms < this.voicedRms) return;
    this.counts[chunk] = this.counts[chunk]! + 1;
    const base = chunk * WIDTH;
    for (let i = 0; i < GLR_CEPSTRA; i++) this.values[base + i] = this.values[base + i]! + cepstra[i]!;
    for (let i = 0, t = base + GLR_CEPSTRA; i < GLR_CEPSTRA; i++) {
      for (let j = 0; j <= i; j++, t++) this.values[t] = this.values[t]! + cepstra[i]! * cepstra[j]!;
    }
  }

  /** Voiced frames in chunks [from, to). */
  framesIn(from: number, to: number): number {
    let n = 0;
    for (let chunk = Math.max(0, from); chunk < Math.min(to, this.chunks); chunk++) n += this.counts[chunk]!;
    return n;
  }

  /** The Gaussian statistics of chunks [from, to). */
  span(from: number, to: number): Gaussian {
    const out: Gaussian = {
      frames: 0,
      sum: new Float64Array(GLR_CEPSTRA),
      outer: new Float64Array(OUTER_SIZE),
    };
    for (let chunk = Math.max(0, from); chunk < Math.min(to, this.chunks); chunk++) {
      out.frames += this.counts[chunk]!;
      const base = chunk * WIDTH;
      for (let i = 0; i < GLR_CEPSTRA; i++) out.sum[i] = out.sum[i]! + this.values[base + i]!;
      for (let i = 0; i < OUTER_SIZE; i++)
        out.outer[i] = out.outer[i]! + this.values[base + GLR_CEPSTRA + i]!;
    }
    return out;
  }

  private grow(chunks: number): void {
    this.chunks = Math.max(this.chunks, chunks);
    if (chunks <= this.counts.length) return;
    const capacity = Math.max(chunks, this.counts.length * 2);
    const values = new Float32Array(capacity * WIDTH);
    values.set(this.values);
    this.values = values;
    const counts = new Int32Array(capacity);
    counts.set(this.counts);
    this.counts = counts;
  }
}
