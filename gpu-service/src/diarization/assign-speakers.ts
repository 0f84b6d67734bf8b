import type { Segment, SpeakerTurn, TranscriptionResult } from '@whisper-edge/shared';

type Word = NonNullable<TranscriptionResult['words']>[number];

/** The speaker talking most during [start, end]; the nearest turn when none overlaps. */
export function speakerAt(turns: readonly SpeakerTurn[], start: number, end: number): string | undefined {
  let best: string | undefined;
  let bestOverlap = 0;
  let nearest: string | undefined;
  let nearestGap = Number.POSITIVE_INFINITY;
  for (const turn of turns) {
    const overlap = Math.min(end, turn.end) - Math.max(start, turn.start);
    if (overlap > bestOverlap) {
      bestOverlap = overlap;
      best = turn.speaker;
    }
    const gap = Math.max(turn.start - end, start - turn.end, 0);
    if (gap < nearestGap) {
      nearestGap = gap;
      nearest = turn.speaker;
    }
  }
  return best ?? nearest;
}

/**
 * Labels words and segments with speakers, splitting a segment wherever its words change speaker: a
 * Whisper segment often runs across a turn boundary. Words belong to the segment their midpoint falls
 * in. Parts of a split segment drop `tokens` (they would no longer match the text).
 */
export function assignSpeakers(
  segments: readonly Segment[],
  words: readonly Word[],
  turns: readonly SpeakerTurn[],
): { segments: Segment[]; words: Word[] } {
  if (turns.length === 0) return { segments: [...segments], words: [...words] };
  const labelled = words.map((w) => ({ ...w, speaker: speakerAt(turns, w.start, w.end) }));
  const out: Segment[] = [];
  let w = 0;
  for (const segment of segments) {
    const mine: Word[] = [];
    while (w < labelled.length && (labelled[w]!.start + labelled[w]!.end) / 2 <= segment.end) {
      if ((labelled[w]!.start + labelled[w]!.end) / 2 >= segment.start) mine.push(labelled[w]!);
      w++;
    }
    const runs: Word[][] = [];
    for (const word of mine) {
      const last = runs[runs.length - 1];
      if (last && last[0]!.speaker === word.speaker) last.push(word);
      else runs.push([word]);
    }
    if (runs.length <= 1) {
      const speaker = runs[0]?.[0]?.speaker ?? speakerAt(turns, segment.start, segment.end);
      out.push({ ...segment, id: out.length, ...(speaker ? { speaker } : {}) });
      continue;
    }
    const { tokens: _tokens, ...figures } = segment;
    for (const [i, run] of runs.entries()) {
      out.push({
        ...figures,
        id: out.length,
        // The first part keeps the segment's start, the last its end, so no time is lost between parts.
        start: i === 0 ? segment.start : run[0]!.start,
        end: i === runs.length - 1 ? segment.end : run[run.length - 1]!.end,
        text: ` ${run.map((word) => word.word).join(' ')}`,
        ...(run[0]!.speaker ? { speaker: run[0]!.speaker } : {}),
      });
    }
  }
  return { segments: out, words: labelled };
}
