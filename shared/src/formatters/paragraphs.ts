import type { TranscriptionResult } from '../transcription.js';

/** A pause this long between segments starts a new paragraph: a change of thought, usually. */
const PARAGRAPH_PAUSE_SECONDS = 2;
/** Past this length a paragraph ends at its next sentence end, so none runs on for a page. */
const PARAGRAPH_CHARS = 600;

/**
 * `response_format=paragraphs`: readable text. Segments are joined into paragraphs, broken at a
 * speaker change, at a pause of 2 s or more, or at the first sentence end after ~600 characters; with
 * diarization each paragraph starts with its speaker. Paragraphs are separated by a blank line.
 */
export function formatParagraphs(result: TranscriptionResult): string {
  const paragraphs: Array<{ speaker: string | undefined; text: string }> = [];
  let previousEnd = Number.NEGATIVE_INFINITY;
  for (const segment of result.segments) {
    const text = segment.text.trim();
    if (text === '') continue;
    const last = paragraphs.at(-1);
    const longEnough =
      last !== undefined && last.text.length >= PARAGRAPH_CHARS && /[.!?…。！？]["'”)\]]?$/.test(last.text);
    const breaks =
      !last ||
      last.speaker !== segment.speaker ||
      segment.start - previousEnd >= PARAGRAPH_PAUSE_SECONDS ||
      longEnough;
    if (breaks) paragraphs.push({ speaker: segment.speaker, text });
    else last.text = `${last.text} ${text}`;
    previousEnd = segment.end;
  }
  return paragraphs.map((p) => `${p.speaker ? `${p.speaker}: ` : ''}${p.text}\n`).join('\n');
}
