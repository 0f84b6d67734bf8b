import type { DiarizationBackend, SpeakerTurn } from '@whisper-edge/shared';

/** Speaker-count constraints, already validated (min ≤ max). */
export interface SpeakerCount {
  num_speakers?: number | undefined;
  min_speakers?: number | undefined;
  max_speakers?: number | undefined;
}

/**
 * Both backends take the same 16 kHz mono blocks the transcriber reads and answer with global turns
 * once the stream ends: labels are consistent across the whole file.
 */
export interface Diarizer {
  readonly backend: DiarizationBackend;
  push(block: Float32Array): Promise<void>;
  finish(): Promise<SpeakerTurn[]>;
  /**
   * After `finish`: how far each speaker of `turns` is from each reference voice (16 kHz clips), on
   * the backend's own scale, with the distance under which a reference names a speaker.
   */
  voiceDistances(turns: readonly SpeakerTurn[], voices: readonly Float32Array[]): Promise<VoiceDistances>;
}

export interface VoiceDistances {
  /** Speaker labels, one row of `distances` each. */
  speakers: string[];
  /** distances[speaker][voice]. */
  distances: number[][];
  threshold: number;
}

/** The count bounds as clustering needs them: an exact count pins both ends. */
export function countBounds(count: SpeakerCount): { min: number; max: number } {
  if (count.num_speakers !== undefined) return { min: count.num_speakers, max: count.num_speakers };
  const min = count.min_speakers ?? 1;
  return { min, max: Math.max(min, count.max_speakers ?? 16) };
}
