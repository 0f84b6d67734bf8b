import type { SpeakerTurn } from '@whisper-edge/shared';
import type { SpeechSegment } from '../vad/vad-options.js';
import { bicCluster } from './bic-clustering.js';
import type { ChunkStatistics } from './chunk-statistics.js';
import { voteTurns } from './chunk-votes.js';
import { countBounds, type SpeakerCount } from './diarizer.js';
import { regionChunks, speechUnits, speechWindows } from './speech-windows.js';
import { relinkClusters } from './window-relink.js';

export interface AcousticTuning {
  /** ΔBIC penalty weight (bic-clustering.ts). */
  lambda: number;
  /** Per-frame GLR under which a unit counts as a repeat of an earlier one (bic-clustering.ts). */
  repeatGlr: number;
  /** Chunks (0.25 s) per clustered unit, and the voiced frames a unit needs to be clustered. */
  unitChunks: number;
  minUnitFrames: number;
  /**
   * 3 s windows, compared on average (window-relink.ts, and naming known speakers in
   * acoustic-voices.ts): the average per-frame GLR under which two clusters are one voice and a
   * reference voice names a speaker, chunks per window and between windows, and the share of a
   * window's frames that must be voiced.
   */
  threshold: number;
  windowChunks: number;
  windowHop: number;
  minVoicedShare: number;
}

/**
 * Chosen on the real development set (`npm run bench diarization-real`: LibriSpeech conversations and
 * single-speaker files of the development speakers): every λ from 2.15 to 2.5 gave all 12
 * conversations the right count, kept all 54 single-speaker files one speaker and found the 14
 * speakers of the joined conversations (below, short read clips split); 2.3 is the middle. 3 s units
 * (2 s ones did as well on the development speakers and worse on AMI, 4-5 s ones the same).
 * Held-out speakers were only used to check; the AMI clips had been looked at before (for the VAD).
 */
export const DEFAULT_ACOUSTIC_TUNING: AcousticTuning = {
  lambda: 2.3,
  repeatGlr: 0.35,
  unitChunks: 12,
  minUnitFrames: 50,
  threshold: 0.95,
  windowChunks: 12,
  windowHop: 4,
  minVoicedShare: 0.75,
};

/**
 * Speaker turns from chunk statistics and speech regions: each region cut into 3 s units, each a
 * full-covariance Gaussian of c1..c12; BIC clustering of their pooled statistics (bounded by
 * num/min/max_speakers), then clusters whose 3 s windows are on average one voice merge
 * (window-relink.ts); chunk labels follow their unit, and regions too short or quiet for a unit go to
 * whoever spoke nearest in time.
 */
export function clusterSpeech(
  stats: ChunkStatistics,
  regions: readonly SpeechSegment[],
  count: SpeakerCount,
  tuning: AcousticTuning,
): SpeakerTurn[] {
  const spans = regionChunks(regions, stats.chunks);
  const { min, max } = countBounds(count);
  let size = tuning.unitChunks;
  let minFrames = tuning.minUnitFrames;
  let units = speechUnits(stats, spans, size, minFrames);
  // Too little speech for the count asked: smaller units (noisier, but the count was asked for).
  while (units.length < min && size > 1) {
    size = Math.ceil(size / 2);
    minFrames = Math.ceil(minFrames / 2);
    units = speechUnits(stats, spans, size, minFrames);
  }
  if (units.length === 0) return voteTurns(regions, spans, [], new Int32Array(0));
  const minClusters = Math.min(min, units.length);
  const labels = bicCluster(units, {
    lambda: tuning.lambda,
    repeat: tuning.repeatGlr,
    minClusters,
    maxClusters: max,
  });
  const chunkLabels = new Int32Array(stats.chunks).fill(-1);
  for (const [i, u] of units.entries()) chunkLabels.fill(labels[i]!, u.from, u.to);
  const windows = speechWindows(stats, spans, tuning.windowChunks, tuning.windowHop, tuning.minVoicedShare);
  const relinked = relinkClusters(
    windows,
    chunkLabels,
    Math.max(...labels) + 1,
    tuning.threshold,
    minClusters,
  );
  return voteTurns(
    regions,
    spans,
    units,
    labels.map((l) => relinked[l]!),
  );
}
