/** A timed word as the editor keeps it: the canonical result's word, without its speaker. */
export interface EditWord {
  word: string;
  start: number;
  end: number;
  /** The decode's confidence; a word a person typed has none (it is not in doubt). */
  probability?: number;
}

export interface TimeSpan {
  start: number;
  end: number;
}

/** Languages Whisper writes without spaces between words: each character is a word there. */
const WITHOUT_SPACES = new Set(['zh', 'ja', 'th', 'lo', 'my', 'yue', 'chinese', 'japanese', 'thai']);

export function writesWithoutSpaces(language: string): boolean {
  return WITHOUT_SPACES.has(language.toLowerCase());
}

/** The words of a text as the editor times them: at spaces, or per character where there are none. */
export function tokenize(text: string, bySpaces = true): string[] {
  if (bySpaces) return text.split(/\s+/).filter(Boolean);
  return [...text.replace(/\s+/g, '')];
}

const round3 = (t: number) => Math.round(t * 1000) / 1000;

/** Pairs of (old index, new index) of the longest common subsequence of two word lists. */
function commonWords(before: readonly string[], after: readonly string[]): Array<[number, number]> {
  const n = before.length;
  const m = after.length;
  // lengths[i][j]: LCS of before[i..] and after[j..]; segments are short, so O(n·m) is cheap.
  const lengths = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i]![j] =
        before[i] === after[j]
          ? lengths[i + 1]![j + 1]! + 1
          : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const pairs: Array<[number, number]> = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (before[i] === after[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/** Spreads words over [from, to] in proportion to their length (a long word takes longer to say). */
function interpolate(words: readonly string[], from: number, to: number): EditWord[] {
  const weights = words.map((w) => w.length + 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const out: EditWord[] = [];
  let at = 0;
  for (const [i, word] of words.entries()) {
    const start = from + ((to - from) * at) / total;
    at += weights[i]!;
    out.push({ word, start: round3(start), end: round3(from + ((to - from) * at) / total) });
  }
  return out;
}

/**
 * The words of an edited text with times: words the edit left alone keep their own times (and
 * confidence); each run of new or changed words is spread over the time of the words it replaced, or
 * over the gap between its unchanged neighbours, or up to the segment's edge. With no timed words to
 * start from there is nothing to keep, and nothing is invented.
 */
export function retimeWords(
  previous: readonly EditWord[],
  text: string,
  segment: TimeSpan,
  bySpaces = true,
): EditWord[] {
  if (previous.length === 0) return [];
  const before = previous.map((w) => w.word.trim());
  const after = tokenize(text, bySpaces);
  const anchors = commonWords(before, after);
  const out: EditWord[] = [];
  let oldAt = 0;
  let newAt = 0;
  // One pass over the anchors, plus a sentinel at the end for the run after the last one.
  for (const [oldIndex, newIndex] of [...anchors, [before.length, after.length] as [number, number]]) {
    const inserted = after.slice(newAt, newIndex);
    if (inserted.length > 0) {
      const replaced = previous.slice(oldAt, oldIndex);
      const from = replaced[0]?.start ?? previous[oldAt - 1]?.end ?? segment.start;
      const to = replaced.at(-1)?.end ?? previous[oldIndex]?.start ?? segment.end;
      out.push(...interpolate(inserted, Math.min(from, to), Math.max(from, to)));
    }
    const kept = previous[oldIndex];
    if (kept && oldIndex < before.length) out.push({ ...kept, word: after[newIndex]! });
    oldAt = oldIndex + 1;
    newAt = newIndex + 1;
  }
  return out;
}
