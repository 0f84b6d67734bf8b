import { describe, expect, it } from 'vitest';
import { dynamicTimeWarping, medianFilter, normaliseHead, tokenStartTimes } from './cross-attention-dtw.js';

describe('medianFilter', () => {
  it('takes the median of each window, mirroring the edges', () => {
    // Index 0 sees [x2, x1, x0, x1, x2] = [3, 9, 1, 9, 3] → 3; the last sees [x3, x4, x5, x4, x3].
    const out = medianFilter(Float32Array.from([1, 9, 3, 7, 5, 2]), 5);
    expect(Array.from(out)).toEqual([3, 7, 5, 5, 5, 5]);
  });

  it('removes a lone spike and keeps a step', () => {
    const out = medianFilter(Float32Array.from([0, 0, 0, 8, 0, 0, 1, 1, 1, 1]), 3);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('sorts numerically, not as text', () => {
    // As text, the middle window [10, 9, 100] would sort to "10", "100", "9" and give 100.
    expect(Array.from(medianFilter(Float32Array.from([10, 9, 100]), 3))).toEqual([9, 10, 9]);
  });

  it("equals a plain sort's median at Whisper's width 7 (its fast path) on noisy rows of any length", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647 - 0.5;
    };
    for (const length of [4, 5, 7, 8, 61, 1500]) {
      const row = Float32Array.from({ length }, random);
      const mirror = (i: number) => (i < 0 ? -i : i >= length ? 2 * (length - 1) - i : i);
      const expected = Array.from(row, (_, i) => {
        const window = Array.from({ length: 7 }, (_, k) => row[mirror(i + k - 3)]!);
        return window.sort((a, b) => a - b)[3];
      });
      expect(Array.from(medianFilter(row, 7))).toEqual(expected);
    }
  });

  it('refuses an even or empty window', () => {
    expect(() => medianFilter(new Float32Array(4), 4)).toThrow(/odd/);
    expect(() => medianFilter(new Float32Array(4), 0)).toThrow(/odd/);
  });
});

describe('dynamicTimeWarping', () => {
  it('follows the cheap cells from corner to corner', () => {
    // Two tokens over five frames: token 0 is cheap on frames 0–1, token 1 on frames 2–4.
    const cost = [0, 0, 9, 9, 9, 9, 9, 0, 0, 0];
    const path = dynamicTimeWarping(cost, 2, 5);
    expect(path.rows).toEqual([0, 0, 1, 1, 1]);
    expect(path.cols).toEqual([0, 1, 2, 3, 4]);
  });

  it('moves down when there are more tokens than frames', () => {
    const path = dynamicTimeWarping([0, 5, 0, 5, 5, 0], 3, 2);
    expect(path.rows).toEqual([0, 1, 2]);
    expect(path.cols).toEqual([0, 0, 1]);
  });

  it('breaks ties toward the left move, as openai/whisper does', () => {
    // A flat matrix: every path costs the same, so each step prefers staying on the token.
    const path = dynamicTimeWarping(new Array(6).fill(1), 2, 3);
    expect(path.rows).toEqual([0, 1, 1]);
    expect(path.cols).toEqual([0, 1, 2]);
  });
});

describe('normaliseHead', () => {
  it('standardises each frame across tokens (population deviation)', () => {
    const rows = [Float32Array.from([1, 10]), Float32Array.from([3, 10.5])];
    normaliseHead(rows, 1);
    expect(Array.from(rows[0]!)).toEqual([-1, -1]);
    expect(Array.from(rows[1]!)).toEqual([1, 1]);
  });
});

describe('tokenStartTimes', () => {
  /** Attention that moves along the frames: token r looks at frames [starts[r], starts[r + 1]). */
  function diagonal(starts: number[], frames: number, prompt: number): Float32Array[] {
    const rows: Float32Array[] = [];
    for (let p = 0; p < prompt; p++) rows.push(new Float32Array(frames).fill(1 / frames));
    for (const [r, start] of starts.entries()) {
      const end = starts[r + 1] ?? frames;
      rows.push(new Float32Array(frames).map((_, f) => (f >= start && f < end ? 0.9 : 0.01)));
    }
    return rows;
  }

  it('gives each fed-back token the frame its attention moves to, and repeats the last for the end token', () => {
    const starts = [0, 10, 25, 40];
    const heads = [diagonal(starts, 60, 3), diagonal(starts, 60, 3)];
    const times = tokenStartTimes({ heads, promptLength: 3, medianWidth: 7 });
    expect(times.map((t) => Math.round(t * 100) / 100)).toEqual([0, 0.2, 0.5, 0.8, 0.8]);
  });

  it('averages the heads: a head that disagrees is outvoted', () => {
    const starts = [0, 20, 40];
    const noisy = diagonal([0, 5, 50], 60, 1);
    const times = tokenStartTimes({
      heads: [diagonal(starts, 60, 1), diagonal(starts, 60, 1), noisy],
      promptLength: 1,
      medianWidth: 3,
    });
    // Within a frame of the majority's [0, 0.4, 0.8]; the odd head alone would put token 1 at 0.1.
    const expected = [0, 0.4, 0.8, 0.8];
    expect(times).toHaveLength(expected.length);
    for (const [i, t] of times.entries()) expect(Math.abs(t - expected[i]!)).toBeLessThanOrEqual(0.021);
  });

  it('has nothing to align when nothing was fed back', () => {
    expect(tokenStartTimes({ heads: [diagonal([], 10, 3)], promptLength: 3, medianWidth: 7 })).toEqual([]);
  });
});
