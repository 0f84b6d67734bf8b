import type { TranscriptionResult } from '../transcription.js';

/** Caption shaping for srt/vtt (validated by captionOptionsSchema in transcription.ts). */
export interface CaptionOptions {
  max_line_chars?: number | undefined;
  max_lines_per_cue?: number | undefined;
  max_cue_seconds?: number | undefined;
}

type Segment = TranscriptionResult['segments'][number];

export interface Cue {
  start: number;
  end: number;
  /** Lines of the cue, without a speaker label. */
  lines: string[];
  speaker?: string | undefined;
}

interface TimedWord {
  text: string;
  start: number;
  end: number;
}

/**
 * The segment's words with times: the decode's own word times where they cover the segment, else its
 * words spread over its span in proportion to their length (a fair guess for evenly paced speech).
 */
function timedWords(segment: Segment, words: TranscriptionResult['words']): TimedWord[] {
  const inside = (words ?? []).filter((w) => w.start >= segment.start - 0.01 && w.end <= segment.end + 0.01);
  const tokens = segment.text.trim().split(/\s+/).filter(Boolean);
  if (inside.length > 0 && inside.length === tokens.length)
    return inside.map((w, i) => ({ text: tokens[i]!, start: w.start, end: w.end }));
  const chars = tokens.reduce((n, t) => n + t.length + 1, 0) || 1;
  const span = segment.end - segment.start;
  let at = segment.start;
  return tokens.map((text) => {
    const length = ((text.length + 1) / chars) * span;
    const word = { text, start: at, end: at + length };
    at += length;
    return word;
  });
}

/** Greedy line filling: a word goes on the current line if it fits, else starts the next. */
function wrap(words: TimedWord[], maxChars: number): TimedWord[][] {
  const lines: TimedWord[][] = [];
  let line: TimedWord[] = [];
  let length = 0;
  for (const word of words) {
    const added = (line.length > 0 ? 1 : 0) + word.text.length;
    if (line.length > 0 && length + added > maxChars) {
      lines.push(line);
      line = [];
      length = 0;
    }
    line.push(word);
    length += line.length > 1 ? word.text.length + 1 : word.text.length;
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

/**
 * The result's segments as cues within the shaping limits: each segment is split at word boundaries
 * into cues of at most `max_lines_per_cue` lines of `max_line_chars`, and of at most `max_cue_seconds`.
 * A single word longer than a line stays whole. Without options, one cue per segment, as before.
 */
export function shapeCues(result: TranscriptionResult, options: CaptionOptions = {}): Cue[] {
  const maxChars = options.max_line_chars ?? Number.POSITIVE_INFINITY;
  const maxLines = options.max_lines_per_cue ?? (options.max_line_chars ? 2 : Number.POSITIVE_INFINITY);
  const maxSeconds = options.max_cue_seconds ?? Number.POSITIVE_INFINITY;
  const shaped = options.max_line_chars !== undefined || options.max_cue_seconds !== undefined;
  const cues: Cue[] = [];
  for (const segment of result.segments) {
    const text = segment.text.trim().replace(/\n\s*\n/g, '\n');
    if (text === '') continue;
    if (!shaped) {
      cues.push({ start: segment.start, end: segment.end, lines: [text], speaker: segment.speaker });
      continue;
    }
    let cue: TimedWord[][] = [];
    const flush = () => {
      if (cue.length === 0) return;
      const first = cue[0]![0]!;
      const last = cue.at(-1)!.at(-1)!;
      cues.push({
        start: first.start,
        end: Math.max(last.end, first.start),
        lines: cue.map((line) => line.map((w) => w.text).join(' ')),
        speaker: segment.speaker,
      });
      cue = [];
    };
    for (const line of wrap(timedWords(segment, result.words), maxChars)) {
      // A line too long in time is cut at words too, so no cue outlasts max_cue_seconds.
      let part: TimedWord[] = [];
      for (const word of line) {
        const cueStart = cue[0]?.[0]?.start ?? part[0]?.start ?? word.start;
        if (word.end - cueStart > maxSeconds && (part.length > 0 || cue.length > 0)) {
          if (part.length > 0) cue.push(part);
          flush();
          part = [];
        }
        part.push(word);
      }
      if (part.length > 0) {
        if (cue.length >= maxLines) flush();
        cue.push(part);
      }
    }
    flush();
  }
  return cues;
}
