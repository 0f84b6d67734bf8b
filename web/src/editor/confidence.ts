import type { EditDocument, EditSegment } from './edit-document.js';
import type { EditWord } from './retime-words.js';

/** Below this a word is marked: openai/whisper's word probabilities sit near 1 for clear speech. */
export const LOW_WORD_PROBABILITY = 0.5;
/** Whisper's own line for a decode gone wrong (its temperature fallback), for segments without words. */
export const LOW_SEGMENT_LOGPROB = -1;

export const isDoubtfulWord = (word: EditWord) =>
  word.probability !== undefined && word.probability < LOW_WORD_PROBABILITY;

/** A segment is judged by its words where they carry probabilities, else by its average log-probability. */
export function isDoubtfulSegment(segment: EditSegment): boolean {
  if (segment.words.some((w) => w.probability !== undefined)) return segment.words.some(isDoubtfulWord);
  const logprob = segment.figures?.avg_logprob;
  return logprob !== undefined && logprob < LOW_SEGMENT_LOGPROB;
}

/** A place the model doubted: a word of a segment, or a whole segment when it has no word figures. */
export interface Doubt {
  segment: number;
  word?: number;
}

export function doubtsOf(doc: EditDocument): Doubt[] {
  const out: Doubt[] = [];
  for (const [s, segment] of doc.segments.entries()) {
    if (segment.words.some((w) => w.probability !== undefined)) {
      for (const [w, word] of segment.words.entries())
        if (isDoubtfulWord(word)) out.push({ segment: s, word: w });
    } else if (isDoubtfulSegment(segment)) out.push({ segment: s });
  }
  return out;
}

const order = (d: Doubt) => [d.segment, d.word ?? -1] as const;
function compare(a: Doubt, b: Doubt): number {
  const [as, aw] = order(a);
  const [bs, bw] = order(b);
  return as - bs || aw - bw;
}

/** The next (or previous) doubt after `from`, wrapping around; undefined when there is none. */
export function nextDoubt(
  doubts: readonly Doubt[],
  from: Doubt | undefined,
  direction: 1 | -1 = 1,
): Doubt | undefined {
  if (doubts.length === 0) return undefined;
  if (!from) return direction === 1 ? doubts[0] : doubts.at(-1);
  if (direction === 1) return doubts.find((d) => compare(d, from) > 0) ?? doubts[0];
  return [...doubts].reverse().find((d) => compare(d, from) < 0) ?? doubts.at(-1);
}
