import { formatClock } from '../transcript/clock.js';
import { findCueIndex } from '../transcript/cue-lookup.js';
import { speakersOf } from '../transcript/speakers.js';
import { alignWords } from '../transcript/word-spans.js';
import { isDoubtfulSegment, isDoubtfulWord } from './confidence.js';
import type { EditDocument, EditSegment } from './edit-document.js';

/** Where the caret is: which segment (by key) and which characters. */
export interface Caret {
  key: number;
  start: number;
  end: number;
}

export interface EditorEvents {
  /** The text of one segment was typed into. */
  text(index: number, value: string, caret: Caret): void;
  speaker(index: number, speaker: string): void;
  seek(time: number): void;
}

interface Row {
  item: HTMLLIElement;
  textarea: HTMLTextAreaElement;
  backdrop: HTMLDivElement;
  doubts: HTMLSpanElement;
  words: HTMLSpanElement[];
}

/**
 * The transcript as editable lines: a time button (plays from there), a speaker choice, and the text in
 * a textarea laid over a copy of it that shows what a textarea cannot: doubtful words and the word
 * playing. Rendering is the view's whole job; what edits mean is the document's and the controller's.
 */
export class EditorView {
  private rows: Row[] = [];
  private doc: EditDocument | undefined;
  private current = -1;
  private currentWord: HTMLSpanElement | undefined;

  constructor(
    private readonly list: HTMLOListElement,
    private readonly events: EditorEvents,
  ) {
    list.addEventListener('click', (event) => {
      const time = (event.target as HTMLElement).closest<HTMLElement>('.edit-time');
      if (time) events.seek(Number(time.dataset.start));
    });
  }

  render(doc: EditDocument, caret?: Caret): void {
    this.doc = doc;
    const labels = new Map(speakersOf(doc.segments, doc.names).map((s) => [s.id, s]));
    this.rows = doc.segments.map((segment) => this.row(segment, labels));
    this.list.replaceChildren(...this.rows.map((r) => r.item));
    this.current = -1;
    this.currentWord = undefined;
    if (caret) this.placeCaret(caret);
  }

  /** After typing: only that line's overlay changes (the textarea already shows the text). */
  refreshRow(doc: EditDocument, index: number): void {
    this.doc = doc;
    const row = this.rows[index];
    const segment = doc.segments[index];
    if (!row || !segment) return;
    this.fillBackdrop(row, segment);
  }

  /** The caret's place, when it is in one of the lines. */
  caret(): Caret | undefined {
    const active = document.activeElement;
    const index = this.rows.findIndex((r) => r.textarea === active);
    const segment = this.doc?.segments[index];
    if (!segment) return undefined;
    const textarea = this.rows[index]!.textarea;
    return { key: segment.key, start: textarea.selectionStart, end: textarea.selectionEnd };
  }

  indexOf(key: number): number {
    return this.doc?.segments.findIndex((s) => s.key === key) ?? -1;
  }

  /** The line the caret is in, else the one playing, else -1. */
  activeIndex(): number {
    const caret = this.caret();
    return caret ? this.indexOf(caret.key) : this.current;
  }

  placeCaret(caret: Caret): void {
    const row = this.rows[this.indexOf(caret.key)];
    if (!row) return;
    row.textarea.focus();
    row.textarea.setSelectionRange(caret.start, caret.end);
  }

  highlightAt(time: number): void {
    const doc = this.doc;
    if (!doc) return;
    const index = findCueIndex(doc.segments, time);
    if (index !== this.current) {
      this.rows[this.current]?.item.removeAttribute('aria-current');
      const row = this.rows[index];
      if (row) {
        row.item.setAttribute('aria-current', 'true');
        this.keepInView(row.item);
      }
      this.current = index;
    }
    const words = doc.segments[index]?.words ?? [];
    const wordEl = this.rows[index]?.words[findCueIndex(words, time)];
    if (wordEl !== this.currentWord) {
      this.currentWord?.classList.remove('current-word');
      wordEl?.classList.add('current-word');
      this.currentWord = wordEl;
    }
  }

  private keepInView(item: HTMLLIElement): void {
    // Never while someone types elsewhere in the list: the line under their caret must not move away.
    if (this.list.contains(document.activeElement) && document.activeElement !== document.body) return;
    const top = item.offsetTop;
    if (top < this.list.scrollTop || top + item.offsetHeight > this.list.scrollTop + this.list.clientHeight) {
      this.list.scrollTop = Math.max(0, top - this.list.clientHeight / 3);
    }
  }

  private row(segment: EditSegment, labels: Map<string, { label: string; colour: string }>): Row {
    const item = document.createElement('li');
    item.className = 'edit-row';
    item.dataset.key = String(segment.key);
    const clock = formatClock(segment.start);
    const time = document.createElement('button');
    time.type = 'button';
    time.className = 'edit-time';
    time.dataset.start = String(segment.start);
    time.textContent = clock;
    time.setAttribute('aria-label', `Play from ${clock}`);
    item.append(time);
    const speaker = segment.speaker ? labels.get(segment.speaker) : undefined;
    if (speaker) {
      item.style.setProperty('--speaker-colour', speaker.colour);
      item.classList.add('has-speaker');
      const select = document.createElement('select');
      select.className = 'edit-speaker';
      select.setAttribute('aria-label', `Speaker of the line at ${clock}`);
      for (const [id, { label }] of labels) {
        const option = document.createElement('option');
        option.value = id;
        option.textContent = label;
        option.selected = id === segment.speaker;
        select.append(option);
      }
      select.addEventListener('change', () => this.events.speaker(this.indexOf(segment.key), select.value));
      item.append(select);
    }
    const wrap = document.createElement('div');
    wrap.className = 'edit-text-wrap';
    const backdrop = document.createElement('div');
    backdrop.className = 'edit-backdrop';
    backdrop.setAttribute('aria-hidden', 'true');
    const textarea = document.createElement('textarea');
    textarea.className = 'edit-text';
    textarea.rows = 1;
    textarea.value = segment.text;
    textarea.setAttribute('aria-label', `Text at ${clock}${speaker ? `, ${speaker.label}` : ''}`);
    const doubts = document.createElement('span');
    doubts.className = 'visually-hidden';
    doubts.id = `doubts-${segment.key}`;
    textarea.setAttribute('aria-describedby', doubts.id);
    textarea.addEventListener('input', () => {
      const at = this.indexOf(segment.key);
      this.events.text(at, textarea.value, {
        key: segment.key,
        start: textarea.selectionStart,
        end: textarea.selectionEnd,
      });
    });
    wrap.append(backdrop, textarea);
    item.append(wrap, doubts);
    const row: Row = { item, textarea, backdrop, doubts, words: [] };
    this.fillBackdrop(row, segment);
    return row;
  }

  private fillBackdrop(row: Row, segment: EditSegment): void {
    row.words = [];
    const doubtful: string[] = [];
    const nodes = alignWords(segment.text, segment.words).map((piece) => {
      if (piece.word === undefined) return piece.text;
      const word = segment.words[piece.word]!;
      const el = document.createElement('span');
      el.className = 'word';
      el.textContent = piece.text;
      if (isDoubtfulWord(word)) {
        el.classList.add('doubt');
        doubtful.push(piece.text);
      }
      row.words[piece.word] = el;
      return el;
    });
    // A trailing space typed at the end must take room in the overlay too.
    row.backdrop.replaceChildren(...nodes, '\u200b');
    const wholeLine = doubtful.length === 0 && isDoubtfulSegment(segment);
    row.item.classList.toggle('doubtful-line', wholeLine);
    row.doubts.textContent = wholeLine
      ? 'The model was unsure of this line.'
      : doubtful.length > 0
        ? `Uncertain: ${doubtful.join(', ')}`
        : '';
  }
}
