import { SAMPLE_RATE } from '../audio/sample-rate.js';
import type { SpeechSegment } from '../vad/vad-options.js';
import { CHUNK_FRAMES, CHUNK_SECONDS, type ChunkStatistics } from './chunk-statistics.js';
import { type Gaussian, logDeterminant } from './gaussian-glr.js';

/** Chunks [from, to) inside speech region `region`, and the Gaussian of their voiced frames. */
export interface SpeechWindow {
  region: number;
  from: number;
  to: number;
  gaussian: Gaussian;
  logDet: number;
}

/** The chunks [first, last) each speech region covers, by their centres. */
export function regionChunks(
  regions: readonly SpeechSegment[],
  chunks: number,
): Array<{ first: number; last: number }> {
  return regions.map((region) => ({
    first: Math.max(0, Math.round(region.start / SAMPLE_RATE / CHUNK_SECONDS)),
    last: Math.min(chunks, Math.round(region.end / SAMPLE_RATE / CHUNK_SECONDS)),
  }));
}

function window(stats: ChunkStatistics, region: number, from: number, to: number): SpeechWindow | undefined {
  const gaussian = stats.span(from, to);
  const logDet = logDeterminant(gaussian);
  return Number.isNaN(logDet) ? undefined : { region, from, to, gaussian, logDet };
}

/**
 * Windows of `size` chunks every `hop` inside each region (the last one flush with the region's end),
 * kept only when at least `minVoicedShare` of a full window's frames are voiced: a covariance from fewer frames
 * is mostly estimation noise, and noisy windows are what split one voice into several clusters.
 */
export function speechWindows(
  stats: ChunkStatistics,
  spans: ReadonlyArray<{ first: number; last: number }>,
  size: number,
  hop: number,
  minVoicedShare: number,
): SpeechWindow[] {
  const out: SpeechWindow[] = [];
  const minFrames = minVoicedShare * size * CHUNK_FRAMES;
  for (const [r, { first, last }] of spans.entries()) {
    const starts: number[] = [];
    for (let at = first; at + size <= last; at += hop) starts.push(at);
    // A region a little shorter than a window is one window, if it is voiced enough.
    if (starts.length === 0) starts.push(first);
    else if (starts.at(-1)! + size < last) starts.push(last - size);
    for (const from of starts) {
      const to = Math.min(last, from + size);
      if (stats.framesIn(from, to) < minFrames) continue;
      const w = window(stats, r, from, to);
      if (w) out.push(w);
    }
  }
  return out;
}

/**
 * Each region cut evenly into units of about `size` chunks (a region shorter than that is one unit),
 * kept when at least `minFrames` of their frames are voiced: what BIC clustering starts from. Unlike
 * windows they do not overlap, so each frame counts once in the pooled statistics.
 */
export function speechUnits(
  stats: ChunkStatistics,
  spans: ReadonlyArray<{ first: number; last: number }>,
  size: number,
  minFrames: number,
): SpeechWindow[] {
  const out: SpeechWindow[] = [];
  for (const [r, { first, last }] of spans.entries()) {
    const length = Math.max(1, last - first);
    const pieces = Math.max(1, Math.round(length / size));
    for (let p = 0; p < pieces; p++) {
      const from = first + Math.round((p * length) / pieces);
      const to = first + Math.round(((p + 1) * length) / pieces);
      if (stats.framesIn(from, to) < minFrames) continue;
      const w = window(stats, r, from, to);
      if (w) out.push(w);
    }
  }
  return out;
}
