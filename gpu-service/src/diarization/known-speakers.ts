import type { SpeakerTurn } from '@whisper-edge/shared';
import type { Diarizer, VoiceDistances } from './diarizer.js';
import { speakerLabel } from './speaker-turns.js';

/** A reference voice, decoded: who it is and a 2-10 s clip of them. */
export interface KnownVoice {
  name: string;
  samples: Float32Array;
}

/**
 * Names speakers after the reference voices they match: the closest pairs first, each name and each
 * speaker used once, and only pairs nearer than the backend's threshold (a reference of someone who
 * is not in the recording names no one). The speakers left unnamed are numbered again from
 * `SPEAKER_00` in order of first appearance.
 */
export function nameSpeakers(
  turns: readonly SpeakerTurn[],
  match: VoiceDistances,
  names: readonly string[],
): { turns: SpeakerTurn[]; named: Map<string, string> } {
  const pairs: Array<{ speaker: string; name: string; distance: number }> = [];
  for (const [s, speaker] of match.speakers.entries()) {
    for (const [v, name] of names.entries()) {
      const distance = match.distances[s]?.[v];
      if (distance !== undefined && distance < match.threshold) pairs.push({ speaker, name, distance });
    }
  }
  pairs.sort((a, b) => a.distance - b.distance);
  const named = new Map<string, string>();
  const used = new Set<string>();
  for (const { speaker, name } of pairs) {
    if (named.has(speaker) || used.has(name)) continue;
    named.set(speaker, name);
    used.add(name);
  }
  const labels = new Map(named);
  for (const turn of [...turns].sort((a, b) => a.start - b.start)) {
    if (!labels.has(turn.speaker)) labels.set(turn.speaker, speakerLabel(labels.size - named.size));
  }
  return { turns: turns.map((t) => ({ ...t, speaker: labels.get(t.speaker)! })), named };
}

/** The diarizer's turns with known voices' names where they match. */
export async function nameKnownSpeakers(
  diarizer: Diarizer,
  turns: SpeakerTurn[],
  voices: readonly KnownVoice[] | undefined,
): Promise<SpeakerTurn[]> {
  if (!voices?.length || turns.length === 0) return turns;
  const match = await diarizer.voiceDistances(
    turns,
    voices.map((v) => v.samples),
  );
  return nameSpeakers(
    turns,
    match,
    voices.map((v) => v.name),
  ).turns;
}
