import type { SpeakerTurn } from '@whisper-edge/shared';
import type { AcousticTuning } from './acoustic-clustering.js';
import { CHUNK_SECONDS, ChunkStatistics } from './chunk-statistics.js';
import type { VoiceDistances } from './diarizer.js';
import { logDeterminant } from './gaussian-glr.js';
import { MfccStream } from './mfcc-stream.js';
import { type SpeechWindow, speechWindows } from './speech-windows.js';
import { averageLinkage, subsample } from './window-linkage.js';

/** Windows compared per side: average linkage over a subsample is as good and bounded in cost. */
const MAX_COMPARED = 32;

/** A span's Gaussian as one window, when it is too short or too unvoiced for 3 s windows. */
function wholeSpan(stats: ChunkStatistics, first: number, last: number): SpeechWindow[] {
  const gaussian = stats.span(first, last);
  const logDet = logDeterminant(gaussian);
  return Number.isNaN(logDet) ? [] : [{ region: 0, from: first, to: last, gaussian, logDet }];
}

function windowsOf(
  stats: ChunkStatistics,
  spans: Array<{ first: number; last: number }>,
  tuning: AcousticTuning,
): SpeechWindow[] {
  const windows = speechWindows(stats, spans, tuning.windowChunks, tuning.windowHop, tuning.minVoicedShare);
  if (windows.length > 0) return windows;
  return spans.flatMap(({ first, last }) => wholeSpan(stats, first, last));
}

/** A reference clip as the clustering sees speech: 3 s windows of its voiced frames. */
export function voiceWindows(
  samples: Float32Array,
  voicedRms: number,
  tuning: AcousticTuning,
): SpeechWindow[] {
  const stats = new ChunkStatistics(voicedRms);
  new MfccStream((cepstra, rms) => stats.add(cepstra, rms), voicedRms).push(samples);
  return windowsOf(stats, [{ first: 0, last: stats.chunks }], tuning);
}

/** Each speaker's turns as windows of the file's chunk statistics, against each reference's windows. */
export function acousticVoiceDistances(
  stats: ChunkStatistics,
  turns: readonly SpeakerTurn[],
  voices: ReadonlyArray<readonly SpeechWindow[]>,
  tuning: AcousticTuning,
): VoiceDistances {
  const speakers = [...new Set(turns.map((t) => t.speaker))];
  const references = voices.map((windows) => subsample(windows, MAX_COMPARED));
  const distances = speakers.map((speaker) => {
    const spans = turns
      .filter((t) => t.speaker === speaker)
      .map((t) => ({ first: Math.floor(t.start / CHUNK_SECONDS), last: Math.ceil(t.end / CHUNK_SECONDS) }));
    const own = subsample(windowsOf(stats, spans, tuning), MAX_COMPARED);
    return references.map((reference) => averageLinkage(own, reference));
  });
  return { speakers, distances, threshold: tuning.threshold };
}
