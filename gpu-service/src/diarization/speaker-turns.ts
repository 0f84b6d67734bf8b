import type { SpeakerTurn } from '@whisper-edge/shared';

/** A span of the source labelled with a cluster id, before labels become names. */
export interface LabelledSpan {
  start: number;
  end: number;
  cluster: number;
}

export function speakerLabel(index: number): string {
  return `SPEAKER_${String(index).padStart(2, '0')}`;
}

/**
 * Spans → turns named `SPEAKER_00`, `SPEAKER_01`… in order of first appearance; touching or
 * overlapping spans of one cluster (closer than `joinGap` seconds) become one turn.
 */
export function toSpeakerTurns(
  spans: readonly LabelledSpan[],
  joinGap = 0,
  /** Filled with each cluster's label, for callers that need to map back. */
  names = new Map<number, string>(),
): SpeakerTurn[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const open = new Map<number, SpeakerTurn>();
  const turns: SpeakerTurn[] = [];
  for (const span of sorted) {
    let speaker = names.get(span.cluster);
    if (!speaker) {
      speaker = speakerLabel(names.size);
      names.set(span.cluster, speaker);
    }
    const last = open.get(span.cluster);
    if (last && span.start - last.end <= joinGap) {
      last.end = Math.max(last.end, span.end);
      continue;
    }
    const turn = { start: span.start, end: span.end, speaker };
    turns.push(turn);
    open.set(span.cluster, turn);
  }
  const round = (t: number) => Math.round(t * 1000) / 1000;
  return turns.map((t) => ({ start: round(t.start), end: round(t.end), speaker: t.speaker }));
}
