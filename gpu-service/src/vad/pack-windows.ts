import { SAMPLE_RATE } from '../audio/sample-rate.js';
import type { SpeechSegment } from './vad-options.js';

/** Whisper's input window: 30 s at 16 kHz. */
export const MAX_WINDOW_SAMPLES = 30 * SAMPLE_RATE;

/** A stretch of source audio copied into a window; offsets and positions are in samples. */
export interface WindowPiece {
  sourceStart: number;
  sourceEnd: number;
  /** Where the piece begins inside the concatenated window. */
  windowOffset: number;
}

/** Consecutive speech, silences between pieces removed, that Whisper transcribes as one input. */
export interface SpeechWindow {
  /** Source span from the first piece's start to the last piece's end (removed silences included). */
  start: number;
  end: number;
  /** Samples in the window: the pieces' lengths summed, never above the packing limit. */
  length: number;
  pieces: WindowPiece[];
}

/** At a junction of two pieces one window instant is two source instants; say which one you want. */
export type PieceEdge = 'end' | 'start';

/**
 * Packs sorted, non-overlapping speech segments (samples) greedily into windows of at most
 * `maxWindowSamples`, keeping order and never sharing a segment between windows unless it alone is too
 * long: then it is cut into equal parts, each a piece of its own (the VAD normally prevents that by
 * splitting long speech at pauses). Segments that touch are merged into one piece.
 */
export function packWindows(
  segments: readonly SpeechSegment[],
  maxWindowSamples: number = MAX_WINDOW_SAMPLES,
): SpeechWindow[] {
  if (!(Number.isInteger(maxWindowSamples) && maxWindowSamples > 0)) {
    throw new RangeError('maxWindowSamples must be a positive integer');
  }
  const windows: SpeechWindow[] = [];
  let current: SpeechWindow | null = null;
  let previousEnd = 0;
  for (const segment of segments) {
    const { start, end } = segment;
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= previousEnd && end >= start)) {
      throw new RangeError(
        `segments must be sorted, non-overlapping, whole samples; got [${start}, ${end}) after ${previousEnd}`,
      );
    }
    previousEnd = end;
    for (const part of splitEvenly(start, end, maxWindowSamples)) {
      const size = part.end - part.start;
      if (!current || current.length + size > maxWindowSamples) {
        current = { start: part.start, end: part.start, length: 0, pieces: [] };
        windows.push(current);
      }
      const last = current.pieces.at(-1);
      if (last && last.sourceEnd === part.start) last.sourceEnd = part.end;
      else
        current.pieces.push({ sourceStart: part.start, sourceEnd: part.end, windowOffset: current.length });
      current.length += size;
      current.end = part.end;
    }
  }
  return windows;
}

/** Equal parts rather than 30 s + remainder, so no part is a sliver Whisper can't make sense of. */
function splitEvenly(start: number, end: number, maxSize: number): SpeechSegment[] {
  const length = end - start;
  if (length === 0) return [];
  const count = Math.ceil(length / maxSize);
  const parts: SpeechSegment[] = [];
  for (let i = 0; i < count; i++) {
    parts.push({
      start: start + Math.round((i * length) / count),
      end: start + Math.round(((i + 1) * length) / count),
    });
  }
  return parts;
}

/**
 * Maps a position inside the window (samples, may be fractional) to the source timeline in samples.
 * A junction between pieces maps to the earlier piece's end (`edge = 'end'`, for timestamps that close
 * something) or to the next piece's start (`'start'`, for ones that open something). Positions before
 * the window or past its speech (Whisper sees the window zero-padded to 30 s) clamp to its ends.
 */
export function toSourceSample(window: SpeechWindow, windowSample: number, edge: PieceEdge = 'end'): number {
  const first = window.pieces[0];
  const last = window.pieces.at(-1);
  if (!first || !last) throw new RangeError('window has no pieces');
  if (windowSample <= 0) return first.sourceStart;
  if (windowSample >= window.length) return last.sourceEnd;
  let low = 0;
  let high = window.pieces.length - 1;
  // Binary search for the piece holding the position, honouring `edge` at junctions.
  while (low < high) {
    const mid = (low + high) >> 1;
    const piece = window.pieces[mid]!;
    const pieceEnd = piece.windowOffset + (piece.sourceEnd - piece.sourceStart);
    const beyond = edge === 'end' ? windowSample > pieceEnd : windowSample >= pieceEnd;
    if (beyond) low = mid + 1;
    else high = mid;
  }
  const piece = window.pieces[low]!;
  return piece.sourceStart + (windowSample - piece.windowOffset);
}

/**
 * Seconds inside the window → seconds on the source timeline. Exact at sample positions: a time within
 * a micro-sample of a whole sample is snapped to it, so a piece edge maps to precisely the edge's
 * source time, the same number `sourceEnd / sampleRate` gives.
 */
export function toSourceTime(
  window: SpeechWindow,
  tSecondsInWindow: number,
  edge: PieceEdge = 'end',
  sampleRate: number = SAMPLE_RATE,
): number {
  const position = tSecondsInWindow * sampleRate;
  const whole = Math.round(position);
  const snapped = Math.abs(position - whole) < 1e-6 ? whole : position;
  return toSourceSample(window, snapped, edge) / sampleRate;
}

/**
 * Assembles a window's samples from the source. `read(start, end)` returns source samples
 * [start, end), from a whole array or a ring buffer of a stream, and is called once per piece in order.
 */
export function buildWindowSamples(
  window: SpeechWindow,
  read: (start: number, end: number) => Float32Array,
): Float32Array {
  const samples = new Float32Array(window.length);
  for (const piece of window.pieces) {
    const chunk = read(piece.sourceStart, piece.sourceEnd);
    if (chunk.length !== piece.sourceEnd - piece.sourceStart) {
      throw new RangeError(
        `read(${piece.sourceStart}, ${piece.sourceEnd}) returned ${chunk.length} samples, not ${piece.sourceEnd - piece.sourceStart}`,
      );
    }
    samples.set(chunk, piece.windowOffset);
  }
  return samples;
}
