import { isDoubtfulWord } from '../editor/confidence.js';
import { formatClock } from './clock.js';
import type { Speaker } from './speakers.js';
import type { TranscriptSegment, TranscriptWord } from './transcript.js';
import { alignWords } from './word-spans.js';

export interface RenderedSegment {
  item: HTMLLIElement;
  button: HTMLButtonElement;
  textEl: HTMLSpanElement;
  chip: HTMLSpanElement | undefined;
  words: Array<{ el: HTMLSpanElement; word: TranscriptWord }>;
  text: string;
}

/** One segment's line: its time, its speaker's chip (named later) and its words, each its own span. */
export function renderSegment(
  segment: TranscriptSegment,
  speaker: Speaker | undefined,
  words: TranscriptWord[],
): RenderedSegment {
  const item = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'segment';
  button.dataset.start = String(segment.start);
  const time = document.createElement('span');
  time.className = 'segment-time';
  time.textContent = formatClock(segment.start);
  button.append(time);
  let chip: HTMLSpanElement | undefined;
  if (speaker) {
    chip = document.createElement('span');
    chip.className = 'speaker-chip';
    chip.dataset.speaker = speaker.id;
    chip.style.setProperty('--speaker-colour', speaker.colour);
    button.style.setProperty('--speaker-colour', speaker.colour);
    button.classList.add('has-speaker');
    button.append(chip);
  }
  const textEl = document.createElement('span');
  textEl.className = 'segment-text';
  button.append(textEl);
  item.append(button);
  const rendered: RenderedSegment = { item, button, textEl, chip, words: [], text: segment.text.trim() };
  rendered.words = renderText(rendered, words);
  return rendered;
}

export function renderText(rendered: RenderedSegment, words: TranscriptWord[]): RenderedSegment['words'] {
  const spans: RenderedSegment['words'] = [];
  const nodes = alignWords(rendered.text, words).map((piece) => {
    if (piece.word === undefined) return piece.text;
    const el = document.createElement('span');
    el.className = 'word';
    el.textContent = piece.text;
    // The model's own doubt, marked subtly so proofreading can start there.
    if (isDoubtfulWord(words[piece.word]!)) el.classList.add('doubt');
    spans.push({ el, word: words[piece.word]! });
    return el;
  });
  rendered.textEl.replaceChildren(...nodes);
  return spans;
}

/** A line with its search matches marked; its word spans go (the marks cut across them). */
export function renderMarks(rendered: RenderedSegment, ranges: Array<[number, number]>): void {
  const parts: Array<string | HTMLElement> = [];
  let at = 0;
  for (const [start, end] of ranges) {
    parts.push(rendered.text.slice(at, start));
    const mark = document.createElement('mark');
    mark.textContent = rendered.text.slice(start, end);
    parts.push(mark);
    at = end;
  }
  parts.push(rendered.text.slice(at));
  rendered.textEl.replaceChildren(...parts);
  rendered.words = rendered.words.map(({ word }) => ({ el: document.createElement('span'), word }));
}
