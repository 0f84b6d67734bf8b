import type { Segment, TranscriptionResult } from '@whisper-edge/shared';
import { wordsBySegment } from '../transcript/cue-lookup.js';
import { alignWords } from '../transcript/word-spans.js';
import { type EditWord, retimeWords, writesWithoutSpaces } from './retime-words.js';

/** The decoding figures of a segment, kept while its text is the model's and dropped once edited. */
type Figures = Omit<Segment, 'id' | 'start' | 'end' | 'text' | 'speaker'>;

export interface EditSegment {
  /** Stable across edits (not the position): what the view keys its rows by. */
  key: number;
  start: number;
  end: number;
  /** As shown and typed (no leading space); trimmed when saved. */
  text: string;
  /** Whitespace the saved text starts with: Whisper's segments start with a space where words do. */
  lead: string;
  /** The speaker's id in the result (`SPEAKER_00`, or a name given earlier). */
  speaker?: string;
  words: EditWord[];
  /** Whisper's figures for the text as decoded; gone once a person changed the text. */
  figures?: Figures;
}

export interface EditDocument {
  /** The result's facts an edit never changes (task, language, duration, model, diarization). */
  base: Omit<TranscriptionResult, 'segments' | 'words' | 'text'>;
  segments: readonly EditSegment[];
  /** New names for speakers, by id; applied to segments and words when saved. */
  names: Readonly<Record<string, string>>;
  /** The result had word timestamps: a saved edit keeps them. */
  hasWords: boolean;
  /** Words in the result carried speakers. */
  wordSpeakers: boolean;
  nextKey: number;
}

const bySpaces = (doc: EditDocument) => !writesWithoutSpaces(doc.base.language);

/** The editor's document for a canonical result (a job's latest revision). */
export function fromResult(result: TranscriptionResult): EditDocument {
  const { segments, words, text: _text, ...base } = result;
  const grouped = wordsBySegment(segments, words ?? []);
  return {
    base,
    segments: segments.map((segment, index) => {
      const { id: _id, start, end, text, speaker, ...figures } = segment;
      return {
        key: index,
        start,
        end,
        text: text.trim(),
        lead: /^\s*/.exec(text)![0],
        ...(speaker ? { speaker } : {}),
        words: (grouped[index] ?? []).map(({ speaker: _s, ...word }) => word),
        figures,
      };
    }),
    names: {},
    hasWords: words !== undefined,
    wordSpeakers: words?.some((w) => w.speaker !== undefined) ?? false,
    nextKey: segments.length,
  };
}

/** The canonical result to save as a revision: speaker names applied, text from the segments. */
export function toResult(doc: EditDocument): TranscriptionResult {
  const named = (speaker: string | undefined) =>
    speaker === undefined ? undefined : doc.names[speaker]?.trim() || speaker;
  // A line a person emptied goes; one the model left empty stays as it came.
  const segments = doc.segments
    .filter((s) => s.text.trim() !== '' || s.figures !== undefined)
    .map((s, id) => {
      const speaker = named(s.speaker);
      return {
        id,
        ...(s.figures ?? {}),
        start: s.start,
        end: s.end,
        text: `${s.lead}${s.text.trim()}`,
        ...(speaker !== undefined ? { speaker } : {}),
      };
    });
  const words = doc.segments.flatMap((s) => {
    const speaker = doc.wordSpeakers ? named(s.speaker) : undefined;
    return s.words.map((w) => ({ ...w, ...(speaker !== undefined ? { speaker } : {}) }));
  });
  return {
    ...doc.base,
    text: segments
      .map((s) => s.text)
      .join('')
      .trim(),
    segments,
    ...(doc.hasWords ? { words } : {}),
  };
}

function replaceAt(doc: EditDocument, index: number, ...segments: EditSegment[]): EditDocument {
  const next = [...doc.segments];
  next.splice(index, 1, ...segments);
  return { ...doc, segments: next };
}

/** New text for a segment, typed or pasted (line breaks become spaces): its words re-timed. */
export function setText(doc: EditDocument, index: number, typed: string): EditDocument {
  const segment = doc.segments[index];
  const text = typed.replace(/\s*[\r\n]+\s*/g, ' ');
  if (!segment || segment.text === text) return doc;
  const { figures: _dropped, ...rest } = segment;
  return replaceAt(doc, index, {
    ...rest,
    text,
    words: retimeWords(segment.words, text, segment, bySpaces(doc)),
  });
}

/** Renames a speaker everywhere (an empty name goes back to the id's own label). */
export function renameSpeaker(doc: EditDocument, speaker: string, name: string): EditDocument {
  if ((doc.names[speaker] ?? '') === name) return doc;
  const names = { ...doc.names, [speaker]: name };
  if (name === '') delete names[speaker];
  return { ...doc, names };
}

/** Gives one segment to another speaker (one already in the transcript). */
export function setSpeaker(doc: EditDocument, index: number, speaker: string): EditDocument {
  const segment = doc.segments[index];
  if (!segment || segment.speaker === speaker) return doc;
  return replaceAt(doc, index, { ...segment, speaker });
}

/**
 * Splits a segment at a character offset of its text. Words before the cursor stay in the first part;
 * the boundary is the pause between the last of them and the first after it, or, without word times,
 * a point in proportion to the text. A cursor at either end splits nothing.
 */
export function splitSegment(doc: EditDocument, index: number, offset: number): EditDocument {
  const segment = doc.segments[index];
  if (!segment) return doc;
  const before = segment.text.slice(0, offset).trimEnd();
  const after = segment.text.slice(offset).trimStart();
  if (before === '' || after === '') return doc;
  const left: EditWord[] = [];
  const right: EditWord[] = [];
  let cursor = 0;
  const placed = new Set<number>();
  for (const piece of alignWords(segment.text, segment.words)) {
    if (piece.word !== undefined) {
      (cursor < offset ? left : right).push(segment.words[piece.word]!);
      placed.add(piece.word);
    }
    cursor += piece.text.length;
  }
  // Words the text no longer shows follow their time.
  const share = (segment.end - segment.start) * (offset / Math.max(1, segment.text.length));
  const proportional = segment.start + share;
  for (const [i, word] of segment.words.entries()) {
    if (!placed.has(i)) (word.start < proportional ? left : right).push(word);
  }
  left.sort((a, b) => a.start - b.start);
  right.sort((a, b) => a.start - b.start);
  const lastLeft = left.at(-1);
  const firstRight = right[0];
  const boundary =
    lastLeft && firstRight
      ? Math.round(((Math.min(lastLeft.end, firstRight.start) + firstRight.start) / 2) * 1000) / 1000
      : Math.round(proportional * 1000) / 1000;
  const at = Math.min(segment.end, Math.max(segment.start, boundary));
  const { figures: _dropped, ...rest } = segment;
  const spaced = bySpaces(doc);
  const first = { ...rest, end: at, text: before };
  const second = { ...rest, key: doc.nextKey, start: at, text: after };
  return {
    ...replaceAt(
      doc,
      index,
      { ...first, words: retimeWords(left, before, first, spaced) },
      { ...second, words: retimeWords(right, after, second, spaced) },
    ),
    nextKey: doc.nextKey + 1,
  };
}

/** Joins a segment with the one after it (the first one's speaker stays). */
export function mergeWithNext(doc: EditDocument, index: number): EditDocument {
  const first = doc.segments[index];
  const second = doc.segments[index + 1];
  if (!first || !second) return doc;
  const joiner = first.text && second.text ? second.lead || (bySpaces(doc) ? ' ' : '') : '';
  const { figures: _dropped, ...rest } = first;
  const merged: EditSegment = {
    ...rest,
    end: Math.max(first.end, second.end),
    text: `${first.text.trimEnd()}${joiner}${second.text.trimStart()}`,
    words: [...first.words, ...second.words],
    ...((first.speaker ?? second.speaker) ? { speaker: (first.speaker ?? second.speaker)! } : {}),
  };
  const next = [...doc.segments];
  next.splice(index, 2, merged);
  return { ...doc, segments: next };
}

/** Where the text of a merged segment's second part begins (for the caret after a merge). */
export function mergeOffset(doc: EditDocument, index: number): number {
  const first = doc.segments[index];
  const second = doc.segments[index + 1];
  if (!first || !second) return first?.text.length ?? 0;
  const joiner = first.text && second.text ? second.lead || (bySpaces(doc) ? ' ' : '') : '';
  return first.text.trimEnd().length + joiner.length;
}

/** Speakers in order of first appearance, with the name each is shown by. */
export function speakerIds(doc: EditDocument): string[] {
  const ids: string[] = [];
  for (const { speaker } of doc.segments) if (speaker && !ids.includes(speaker)) ids.push(speaker);
  return ids;
}
