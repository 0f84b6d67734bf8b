export interface TextPiece {
  text: string;
  /** Index into the words given, when this piece is that word. */
  word?: number;
}

/**
 * Splits a segment's text into pieces, marking where each timed word sits, so the text shown is always
 * the segment's own (word tokens can differ in spacing or be absent) and a word missing from the text is
 * skipped rather than shown out of place.
 */
export function alignWords(text: string, words: ReadonlyArray<{ word: string }>): TextPiece[] {
  const pieces: TextPiece[] = [];
  let cursor = 0;
  words.forEach(({ word }, index) => {
    const needle = word.trim();
    if (needle === '') return;
    const at = text.indexOf(needle, cursor);
    if (at === -1) return;
    if (at > cursor) pieces.push({ text: text.slice(cursor, at) });
    pieces.push({ text: needle, word: index });
    cursor = at + needle.length;
  });
  if (cursor < text.length) pieces.push({ text: text.slice(cursor) });
  return pieces;
}
