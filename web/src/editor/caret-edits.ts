import { type EditDocument, mergeOffset, mergeWithNext, splitSegment } from './edit-document.js';
import type { Caret } from './editor-view.js';

/** An edit at the caret: the new document and where the caret goes in it. */
export interface CaretEdit {
  doc: EditDocument;
  caret: Caret;
}

/** Splits line `index` at the caret; the caret starts the new second line. */
export function splitAtCaret(doc: EditDocument, index: number, caret: Caret): CaretEdit | undefined {
  const split = splitSegment(doc, index, caret.start);
  const second = split.segments[index + 1];
  if (split === doc || !second) return undefined;
  return { doc: split, caret: { key: second.key, start: 0, end: 0 } };
}

/** Merges line `index` with the previous (-1) or next (+1) one; the caret stays where the lines meet. */
export function mergeAtCaret(doc: EditDocument, index: number, direction: 1 | -1): CaretEdit | undefined {
  const first = direction === -1 ? index - 1 : index;
  if (first < 0 || first + 1 >= doc.segments.length) return undefined;
  const offset = direction === -1 ? mergeOffset(doc, first) : doc.segments[first]!.text.trimEnd().length;
  const merged = mergeWithNext(doc, first);
  return { doc: merged, caret: { key: merged.segments[first]!.key, start: offset, end: offset } };
}

/** Where the caret goes after undo or redo: `where` if its line still exists, clamped to the text. */
export function caretIn(doc: EditDocument, where: Caret | undefined): Caret | undefined {
  const segment = where && doc.segments.find((s) => s.key === where.key);
  if (!segment) return undefined;
  const offset = Math.min(where!.start, segment.text.length);
  return { key: segment.key, start: offset, end: offset };
}
