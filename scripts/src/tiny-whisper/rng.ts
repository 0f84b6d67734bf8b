/**
 * Seeded pseudo-random numbers for weight init.
 *
 * mulberry32 is tiny, fast and has a full 2^32 period, which is plenty for
 * test weights; it is NOT meant for anything security related.
 */

/** FNV-1a over UTF-16 code units: a stable 32-bit hash for deriving per-tensor streams. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private state: number;
  // Box–Muller yields normals in pairs; keeping the second one halves the cost.
  private spare: number | null = null;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /**
   * An independent stream keyed by `label`. Each tensor gets its own stream so
   * adding, removing or reordering tensors never shifts the values of the others.
   */
  fork(label: string): Rng {
    return new Rng((this.state ^ hashString(label)) >>> 0 || 0x9e3779b9);
  }

  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal via Box–Muller. */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    // 1 - u keeps the argument of log in (0, 1], so it never returns -Infinity.
    const u1 = 1 - this.nextFloat();
    const u2 = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  normalArray(length: number, std: number, mean = 0): Float32Array {
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) out[i] = mean + std * this.normal();
    return out;
  }
}
