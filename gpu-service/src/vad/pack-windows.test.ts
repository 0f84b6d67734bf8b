import { describe, expect, it } from 'vitest';
import {
  buildWindowSamples,
  MAX_WINDOW_SAMPLES,
  packWindows,
  type SpeechWindow,
  toSourceSample,
  toSourceTime,
} from './pack-windows.js';
import type { SpeechSegment } from './vad-options.js';

const SR = 16_000;
const s = (seconds: number) => Math.round(seconds * SR);
const seg = (start: number, end: number): SpeechSegment => ({ start: s(start), end: s(end) });

/** Checks every structural promise of a packing against the segments it came from. */
function expectWellFormed(windows: SpeechWindow[], segments: SpeechSegment[], max = MAX_WINDOW_SAMPLES) {
  let previousEnd = -1;
  let covered = 0;
  for (const window of windows) {
    expect(window.length).toBeLessThanOrEqual(max);
    expect(window.start).toBe(window.pieces[0]?.sourceStart);
    expect(window.end).toBe(window.pieces.at(-1)?.sourceEnd);
    let offset = 0;
    for (const piece of window.pieces) {
      expect(piece.windowOffset).toBe(offset);
      expect(piece.sourceStart).toBeGreaterThan(previousEnd - (offset === 0 ? 1 : 0));
      expect(piece.sourceEnd).toBeGreaterThan(piece.sourceStart);
      offset += piece.sourceEnd - piece.sourceStart;
      previousEnd = piece.sourceEnd;
    }
    expect(window.length).toBe(offset);
    covered += offset;
  }
  expect(covered).toBe(segments.reduce((sum, x) => sum + x.end - x.start, 0));
}

describe('packWindows', () => {
  it('fills windows up to 30 s in order, dropping the silences between segments', () => {
    const segments = [seg(1, 5), seg(7.5, 12), seg(15, 32), seg(40, 44), seg(50, 60)];
    const windows = packWindows(segments);
    expectWellFormed(windows, segments);
    // 4 + 4.5 + 17 = 25.5 s fit; adding 4 s would make 29.5 s, still fits; 10 more would not.
    expect(windows.map((w) => w.pieces.length)).toEqual([4, 1]);
    expect(windows[0]).toMatchObject({ start: s(1), end: s(44), length: s(29.5) });
    expect(windows[1]).toEqual({
      start: s(50),
      end: s(60),
      length: s(10),
      pieces: [{ sourceStart: s(50), sourceEnd: s(60), windowOffset: 0 }],
    });
  });

  it('takes a window of exactly the limit and starts a new one one sample beyond', () => {
    const exact = packWindows([seg(0, 10), seg(11, 31)]);
    expect(exact.map((w) => w.length)).toEqual([MAX_WINDOW_SAMPLES]);
    const over = packWindows([
      { start: 0, end: s(10) },
      { start: s(11), end: s(31) + 1 },
    ]);
    expect(over.map((w) => w.length)).toEqual([s(10), s(20) + 1]);
  });

  it('splits a single segment longer than the limit into equal parts, each its own piece', () => {
    const segments = [seg(2, 3), seg(5, 75), seg(80, 81)];
    const windows = packWindows(segments);
    expectWellFormed(windows, segments);
    // 70 s → three parts of 23.33 s. The first still fits beside the 1 s segment (24.33 s), the next
    // two need a window each, and the 1 s segment after them joins the third.
    expect(windows.map((w) => w.pieces.map((p) => [p.sourceStart, p.sourceEnd]))).toEqual([
      [
        [s(2), s(3)],
        [s(5), s(5) + 373_333],
      ],
      [[s(5) + 373_333, s(5) + 746_667]],
      [
        [s(5) + 746_667, s(75)],
        [s(80), s(81)],
      ],
    ]);
  });

  it('merges touching segments into one piece and skips empty ones', () => {
    const windows = packWindows([seg(1, 2), seg(2, 3), seg(3, 3), seg(4, 5)]);
    expect(windows).toHaveLength(1);
    expect(windows[0]?.pieces).toEqual([
      { sourceStart: s(1), sourceEnd: s(3), windowOffset: 0 },
      { sourceStart: s(4), sourceEnd: s(5), windowOffset: s(2) },
    ]);
  });

  it('honours a smaller limit and never lets a window exceed it', () => {
    const segments: SpeechSegment[] = [];
    for (let t = 0, i = 0; t < 600; i++) {
      const length = 0.3 + ((i * 7919) % 97) / 10; // 0.3 s … 9.9 s, deterministic
      segments.push(seg(t, t + length));
      t += length + 0.2 + ((i * 31) % 13) / 10;
    }
    const windows = packWindows(segments, s(8));
    expectWellFormed(windows, segments, s(8));
    expect(windows.length).toBeGreaterThan(60);
  });

  it('rejects overlapping, unsorted or fractional segments', () => {
    expect(() => packWindows([seg(1, 3), seg(2, 4)])).toThrow(RangeError);
    expect(() => packWindows([seg(5, 6), seg(1, 2)])).toThrow(RangeError);
    expect(() => packWindows([{ start: 0.5, end: 10 }])).toThrow(RangeError);
    expect(() => packWindows([seg(3, 2)])).toThrow(RangeError);
  });
});

describe('toSourceTime', () => {
  // Pieces: [1 s, 5 s) at 0, [7.5 s, 12 s) at 4 s, [15 s, 17.25 s) at 8.5 s.
  const window = packWindows([seg(1, 5), seg(7.5, 12), seg(15, 17.25)])[0]!;

  it('maps piece edges exactly', () => {
    expect(toSourceTime(window, 0)).toBe(1);
    expect(toSourceTime(window, 4)).toBe(5);
    expect(toSourceTime(window, 4, 'start')).toBe(7.5);
    expect(toSourceTime(window, 8.5)).toBe(12);
    expect(toSourceTime(window, 8.5, 'start')).toBe(15);
    expect(toSourceTime(window, 10.75)).toBe(17.25);
    expect(toSourceTime(window, 10.75, 'start')).toBe(17.25);
  });

  it('maps positions inside pieces by their offset', () => {
    expect(toSourceTime(window, 2.5)).toBe(3.5);
    expect(toSourceTime(window, 6.02)).toBeCloseTo(9.52, 12);
    expect(toSourceTime(window, 9.3)).toBeCloseTo(15.8, 12);
    expect(toSourceSample(window, s(4) + 0.5)).toBe(s(7.5) + 0.5);
    // Whisper's 20 ms timestamp grid, including values with no exact binary form, lands on samples.
    for (let k = 0; k <= 537; k++) {
      const t = k * 0.02;
      const sample = Math.round(t * SR);
      const inSource = toSourceSample(window, sample);
      expect(toSourceTime(window, t) * SR).toBeCloseTo(inSource, 6);
    }
  });

  it('clamps times before the window and in its zero padding', () => {
    expect(toSourceTime(window, -0.5)).toBe(1);
    expect(toSourceTime(window, 29.98)).toBe(17.25);
    expect(toSourceTime(window, 30, 'start')).toBe(17.25);
  });

  it('is monotonic across the whole window', () => {
    let previous = Number.NEGATIVE_INFINITY;
    for (let t = 0; t <= 11; t += 0.01) {
      const mapped = toSourceTime(window, t);
      expect(mapped).toBeGreaterThanOrEqual(previous);
      previous = mapped;
    }
  });
});

describe('buildWindowSamples', () => {
  it('concatenates the pieces from the reader', () => {
    const source = Float32Array.from({ length: 100 }, (_, i) => i);
    const [window] = packWindows(
      [
        { start: 10, end: 20 },
        { start: 50, end: 55 },
      ],
      32,
    );
    const reads: Array<[number, number]> = [];
    const samples = buildWindowSamples(window!, (start, end) => {
      reads.push([start, end]);
      return source.subarray(start, end);
    });
    expect(reads).toEqual([
      [10, 20],
      [50, 55],
    ]);
    expect(Array.from(samples)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 50, 51, 52, 53, 54]);
  });

  it('refuses a reader that returns the wrong length', () => {
    const [window] = packWindows([{ start: 0, end: 10 }]);
    expect(() => buildWindowSamples(window!, () => new Float32Array(9))).toThrow(RangeError);
  });

  it('builds full-size windows of at most 480000 samples', () => {
    const source = new Float32Array(s(70));
    for (const window of packWindows([seg(0, 70)])) {
      const samples = buildWindowSamples(window, (a, b) => source.subarray(a, b));
      expect(samples.length).toBeLessThanOrEqual(480_000);
    }
  });
});
