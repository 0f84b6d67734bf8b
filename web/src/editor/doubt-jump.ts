import { alignWords } from '../transcript/word-spans.js';
import { type Doubt, doubtsOf, nextDoubt } from './confidence.js';
import type { EditDocument } from './edit-document.js';
import type { Caret } from './editor-view.js';

/** Where "next uncertain" goes: the doubt, the text to select, where to play from, what to say. */
export interface DoubtJump {
  doubt: Doubt;
  caret: Caret;
  seekTo: number;
  message: string;
}

/**
 * The next (or previous) word the model doubted after `from`: selected, and played from just before
 * it. Undefined when the model doubted nothing.
 */
export function doubtJump(
  doc: EditDocument,
  from: Doubt | undefined,
  direction: 1 | -1,
): DoubtJump | undefined {
  const doubts = doubtsOf(doc);
  const target = nextDoubt(doubts, from, direction);
  if (!target) return undefined;
  const segment = doc.segments[target.segment]!;
  const range = target.word === undefined ? undefined : wordRange(segment.text, segment.words, target.word);
  const caret = range
    ? { key: segment.key, start: range[0], end: range[1] }
    : { key: segment.key, start: 0, end: segment.text.length };
  const word = target.word === undefined ? undefined : segment.words[target.word];
  const position = doubts.findIndex((d) => d.segment === target.segment && d.word === target.word) + 1;
  return {
    doubt: target,
    caret,
    seekTo: Math.max(0, (word?.start ?? segment.start) - 0.5),
    message: `Uncertain ${word ? `word “${word.word}”` : 'line'}: ${position} of ${doubts.length}.`,
  };
}

function wordRange(
  text: string,
  words: EditDocument['segments'][number]['words'],
  word: number,
): [number, number] | undefined {
  let at = 0;
  for (const piece of alignWords(text, words)) {
    if (piece.word === word) return [at, at + piece.text.length];
    at += piece.text.length;
  }
  return undefined;
}

/** The doubt the caret (at `offset` in line `index`) sits on or after, so "next" moves on from there. */
export function doubtAtCaret(doc: EditDocument, index: number, offset: number): Doubt {
  const segment = doc.segments[index]!;
  let word = -1;
  let at = 0;
  for (const piece of alignWords(segment.text, segment.words)) {
    if (piece.word !== undefined && at <= offset) word = piece.word;
    at += piece.text.length;
  }
  return { segment: index, word };
}
