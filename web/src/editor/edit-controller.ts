import type { ApiClient } from '../api/api-client.js';
import { parseTranscript, type Transcript } from '../transcript/transcript.js';
import type { TranscriptView } from '../transcript/transcript-view.js';
import { alignWords } from '../transcript/word-spans.js';
import { type Doubt, doubtsOf, nextDoubt } from './confidence.js';
import {
  type EditDocument,
  mergeOffset,
  mergeWithNext,
  renameSpeaker,
  setSpeaker,
  setText,
  splitSegment,
  toResult,
} from './edit-document.js';
import { type EditEntry, type EditSession, RevisionConflict } from './edit-session.js';
import { type Caret, EditorView } from './editor-view.js';
import { backBy, stepRate } from './playback.js';
import { actionFor, type EditorAction, SHORTCUTS } from './shortcuts.js';

export interface EditControllerElements {
  readSection: HTMLElement;
  tools: HTMLElement;
  editorList: HTMLOListElement;
  readerList: HTMLOListElement;
  search: HTMLElement;
  toggle: HTMLButtonElement;
  undo: HTMLButtonElement;
  redo: HTMLButtonElement;
  save: HTMLButtonElement;
  uncertain: HTMLButtonElement;
  status: HTMLElement;
  rate: HTMLElement;
  shortcuts: HTMLElement;
}

export interface EditControllerEvents {
  /** The transcript changed (typed, renamed, undone): exports and captions follow. */
  changed(transcript: Transcript, names: Readonly<Record<string, string>>): void;
  saved(jobId: string, revision: number): void;
}

/** What the reader and the page's exports show: the document's text, speakers under their ids. */
export function transcriptOf(doc: EditDocument): Transcript {
  return parseTranscript(toResult({ ...doc, names: {} }));
}

/**
 * Runs the open transcript: reading or editing it beside the player, every edit an undoable step,
 * the keys (shortcuts.ts) acting on the player and the document, and saving as a new revision.
 */
export class EditController {
  private session: EditSession | undefined;
  private player: HTMLMediaElement | undefined;
  private editing = false;
  private readonly editor: EditorView;
  private playerListeners = new AbortController();
  private frame = 0;
  private lastDoubt: Doubt | undefined;
  private saving = false;

  constructor(
    private readonly elements: EditControllerElements,
    private readonly api: ApiClient,
    private readonly reader: TranscriptView,
    private readonly events: EditControllerEvents,
  ) {
    this.editor = new EditorView(elements.editorList, {
      text: (index, value, caret) => {
        const key = this.doc?.segments[index]?.key;
        if (this.apply(setText(this.doc!, index, value), `text:${key}`, caret)) {
          this.editor.refreshRow(this.doc!, index);
        }
      },
      speaker: (index, speaker) => {
        const caret = this.editor.caret();
        if (this.apply(setSpeaker(this.doc!, index, speaker), undefined, caret))
          this.editor.render(this.doc!);
      },
      seek: (time) => this.seek(time),
    });
    elements.toggle.addEventListener('click', () => this.setEditing(!this.editing));
    elements.undo.addEventListener('click', () => this.run('undo'));
    elements.redo.addEventListener('click', () => this.run('redo'));
    elements.save.addEventListener('click', () => this.run('save'));
    elements.uncertain.addEventListener('click', () => this.run('next-uncertain'));
    elements.shortcuts.replaceChildren(
      ...SHORTCUTS.flatMap((s) => {
        const keys = document.createElement('dt');
        const kbd = document.createElement('kbd');
        kbd.textContent = s.keys;
        keys.append(kbd);
        const what = document.createElement('dd');
        what.textContent = s.description;
        return [keys, what];
      }),
    );
    document.addEventListener('keydown', (event) => this.onKey(event));
    window.addEventListener('beforeunload', (event) => {
      if (this.session?.dirty) event.preventDefault();
    });
  }

  get doc(): EditDocument | undefined {
    return this.session?.doc;
  }

  get jobId(): string | undefined {
    return this.session?.jobId;
  }

  get dirty(): boolean {
    return this.session?.dirty ?? false;
  }

  open(session: EditSession, player: HTMLMediaElement): void {
    this.session = session;
    this.lastDoubt = undefined;
    this.attach(player);
    this.elements.tools.hidden = false;
    this.setEditing(false);
    this.elements.status.textContent =
      session.revision > 0 ? `Revision ${session.revision} (edited).` : 'The transcript as transcribed.';
    delete this.elements.status.dataset.outcome;
    this.updateButtons();
    this.events.changed(transcriptOf(session.doc), session.doc.names);
  }

  close(): void {
    this.session = undefined;
    this.editing = false;
    this.elements.tools.hidden = true;
    this.elements.editorList.hidden = true;
    this.elements.editorList.replaceChildren();
    this.elements.readerList.hidden = false;
    this.elements.readerList.replaceChildren();
  }

  /** Names typed into the speakers panel: part of the document (saved, undoable) in both modes. */
  renameFromPanel(renames: Readonly<Record<string, string>>): void {
    let doc = this.doc;
    if (!doc) return;
    const ids = new Set([...Object.keys(renames), ...Object.keys(doc.names)]);
    for (const id of ids) doc = renameSpeaker(doc, id, renames[id] ?? '');
    if (this.apply(doc, `names:${[...ids].join(',')}`) && this.editing) this.editor.render(doc);
  }

  setEditing(on: boolean): void {
    const doc = this.doc;
    if (!doc || !this.player) return;
    this.editing = on;
    this.elements.toggle.setAttribute('aria-pressed', String(on));
    this.elements.toggle.textContent = on ? 'Done editing' : 'Edit transcript';
    this.elements.editorList.hidden = !on;
    this.elements.readerList.hidden = on;
    this.elements.search.hidden = on;
    if (on) {
      this.editor.render(doc);
      this.editor.highlightAt(this.player.currentTime);
    } else {
      this.showReader();
    }
  }

  private showReader(): void {
    if (!this.doc || !this.player) return;
    this.reader.show(transcriptOf(this.doc), this.player, this.doc.names);
    this.reader.highlightAt(this.player.currentTime);
  }

  private attach(player: HTMLMediaElement): void {
    if (player === this.player) return;
    this.playerListeners.abort();
    this.playerListeners = new AbortController();
    this.player = player;
    const options = { signal: this.playerListeners.signal };
    const highlight = () => {
      if (this.editing) this.editor.highlightAt(player.currentTime);
    };
    player.addEventListener('timeupdate', highlight, options);
    player.addEventListener('seeked', highlight, options);
    player.addEventListener('ratechange', () => this.showRate(), options);
    const follow = () => {
      highlight();
      if (!player.paused && this.player === player) this.frame = requestAnimationFrame(follow);
    };
    player.addEventListener(
      'play',
      () => {
        cancelAnimationFrame(this.frame);
        this.frame = requestAnimationFrame(follow);
      },
      options,
    );
    this.showRate();
  }

  private showRate(): void {
    const rate = this.player?.playbackRate ?? 1;
    this.elements.rate.textContent = `Speed ${rate}×`;
  }

  /** Records a change; answers whether anything changed. */
  private apply(doc: EditDocument, group?: string, caret?: Caret): boolean {
    const session = this.session;
    if (!session?.change(doc, group, caret)) return false;
    this.afterChange();
    return true;
  }

  private afterChange(): void {
    const doc = this.doc!;
    this.updateButtons();
    this.elements.status.textContent = this.dirty ? 'Unsaved changes.' : 'All changes saved.';
    delete this.elements.status.dataset.outcome;
    this.events.changed(transcriptOf(doc), doc.names);
  }

  private updateButtons(): void {
    const history = this.session?.history;
    this.elements.undo.disabled = !history?.canUndo;
    this.elements.redo.disabled = !history?.canRedo;
    this.elements.save.disabled = !this.dirty || this.saving;
    const doubts = this.doc ? doubtsOf(this.doc).length : 0;
    this.elements.uncertain.disabled = doubts === 0;
    this.elements.uncertain.textContent = doubts ? `Next uncertain (${doubts})` : 'Nothing uncertain';
  }

  private onKey(event: KeyboardEvent): void {
    if (!this.session || event.defaultPrevented || event.isComposing) return;
    const target = event.target as HTMLElement;
    const inText = target instanceof HTMLTextAreaElement && target.classList.contains('edit-text');
    const collapsed = inText && target.selectionStart === target.selectionEnd;
    const action = actionFor(event, {
      inText,
      caretAtStart: collapsed && target.selectionStart === 0,
      caretAtEnd: collapsed && target.selectionEnd === target.value.length,
    });
    if (!action) return;
    const inReader = this.elements.readSection.contains(target) || target === document.body;
    if (!inReader && action !== 'save') return;
    // A text field of its own (search, a speaker's name) keeps its own undo.
    const field = target instanceof HTMLInputElement;
    if (field && (action === 'undo' || action === 'redo')) return;
    event.preventDefault();
    this.run(action);
  }

  run(action: EditorAction): void {
    const player = this.player;
    const session = this.session;
    if (!player || !session) return;
    switch (action) {
      case 'play-pause':
        if (player.paused) void player.play().catch(() => undefined);
        else player.pause();
        break;
      case 'back':
        this.seek(backBy(player.currentTime, 5));
        break;
      case 'forward':
        this.seek(Math.min(player.duration || Number.POSITIVE_INFINITY, player.currentTime + 5));
        break;
      case 'slower':
      case 'faster':
        player.playbackRate = stepRate(player.playbackRate, action === 'faster' ? 1 : -1);
        this.showRate();
        break;
      case 'next-segment':
      case 'previous-segment':
        this.moveLine(action === 'next-segment' ? 1 : -1);
        break;
      case 'play-segment': {
        const segment = session.doc.segments[this.activeLine()];
        if (segment) this.seek(segment.start);
        void player.play().catch(() => undefined);
        break;
      }
      case 'split':
        this.split();
        break;
      case 'merge-previous':
      case 'merge-next':
        this.merge(action === 'merge-previous' ? -1 : 1);
        break;
      case 'undo':
      case 'redo':
        this.travel(action);
        break;
      case 'save':
        void this.save();
        break;
      case 'next-uncertain':
      case 'previous-uncertain':
        this.jumpToDoubt(action === 'next-uncertain' ? 1 : -1);
        break;
    }
  }

  private seek(time: number): void {
    if (!this.player) return;
    this.player.currentTime = time;
    if (this.editing) this.editor.highlightAt(time);
    else this.reader.highlightAt(time);
  }

  private activeLine(): number {
    return this.editing ? this.editor.activeIndex() : this.reader.focusedLine();
  }

  private moveLine(direction: 1 | -1): void {
    const doc = this.doc!;
    const from = this.activeLine();
    const to = Math.min(doc.segments.length - 1, Math.max(0, from + direction));
    const segment = doc.segments[to];
    if (!segment) return;
    if (this.editing) this.editor.placeCaret({ key: segment.key, start: 0, end: 0 });
    else this.reader.focusLine(to);
    this.seek(segment.start);
  }

  private split(): void {
    const caret = this.editor.caret();
    if (!caret) return;
    const index = this.editor.indexOf(caret.key);
    const doc = splitSegment(this.doc!, index, caret.start);
    const second = doc.segments[index + 1];
    if (doc === this.doc || !second) return;
    const at = { key: second.key, start: 0, end: 0 };
    if (this.apply(doc, undefined, at)) this.editor.render(doc, at);
  }

  private merge(direction: 1 | -1): void {
    const caret = this.editor.caret();
    if (!caret) return;
    const index = this.editor.indexOf(caret.key);
    const first = direction === -1 ? index - 1 : index;
    const doc = this.doc!;
    if (first < 0 || first + 1 >= doc.segments.length) return;
    const offset = direction === -1 ? mergeOffset(doc, first) : doc.segments[first]!.text.trimEnd().length;
    const merged = mergeWithNext(doc, first);
    const at = { key: merged.segments[first]!.key, start: offset, end: offset };
    if (this.apply(merged, undefined, at)) this.editor.render(merged, at);
  }

  private travel(direction: 'undo' | 'redo'): void {
    const history = this.session!.history;
    const before: EditEntry = history.current;
    const entry = direction === 'undo' ? history.undo() : history.redo();
    if (!entry) return;
    // Undo returns to where the undone change was made; redo to where the redone one left the caret.
    const where = direction === 'undo' ? before.caret : entry.caret;
    this.afterChange();
    if (this.editing) {
      const segment = where && entry.doc.segments.find((s) => s.key === where.key);
      const offset = segment ? Math.min(where!.start, segment.text.length) : 0;
      this.editor.render(entry.doc, segment ? { key: segment.key, start: offset, end: offset } : undefined);
    } else {
      this.showReader();
    }
  }

  private async save(): Promise<void> {
    const session = this.session;
    if (!session || this.saving || !session.dirty) return;
    this.saving = true;
    this.updateButtons();
    this.elements.status.textContent = 'Saving…';
    delete this.elements.status.dataset.outcome;
    try {
      const { revision } = await session.save(this.api);
      this.elements.status.textContent = `Saved as revision ${revision}.`;
      this.elements.status.dataset.outcome = 'done';
      this.events.saved(session.jobId, revision);
    } catch (error) {
      this.elements.status.textContent =
        error instanceof RevisionConflict
          ? `Not saved: ${error.message}. Open it again from the library to see the newer one.`
          : `Not saved: ${(error as Error).message}`;
      this.elements.status.dataset.outcome = 'failed';
    } finally {
      this.saving = false;
      this.updateButtons();
    }
  }

  /** Selects the next (or previous) word the model doubted, and plays from just before it. */
  private jumpToDoubt(direction: 1 | -1): void {
    if (!this.editing) this.setEditing(true);
    const doc = this.doc!;
    const doubts = doubtsOf(doc);
    const target = nextDoubt(doubts, this.doubtAtCaret(doc) ?? this.lastDoubt, direction);
    if (!target) {
      this.elements.status.textContent = 'Nothing the model was unsure of.';
      return;
    }
    this.lastDoubt = target;
    const segment = doc.segments[target.segment]!;
    const range =
      target.word === undefined ? undefined : this.wordRange(segment.text, segment.words, target.word);
    const caret = range
      ? { key: segment.key, start: range[0], end: range[1] }
      : { key: segment.key, start: 0, end: segment.text.length };
    this.editor.placeCaret(caret);
    const word = target.word === undefined ? undefined : segment.words[target.word];
    this.seek(Math.max(0, (word?.start ?? segment.start) - 0.5));
    const position = doubts.findIndex((d) => d.segment === target.segment && d.word === target.word) + 1;
    this.elements.status.textContent = `Uncertain ${word ? `word “${word.word}”` : 'line'}: ${position} of ${doubts.length}.`;
    delete this.elements.status.dataset.outcome;
  }

  private wordRange(
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

  /** The doubt the caret sits on or after, so "next" moves on from where the reader is. */
  private doubtAtCaret(doc: EditDocument): Doubt | undefined {
    const caret = this.editor.caret();
    if (!caret) return undefined;
    const index = this.editor.indexOf(caret.key);
    const segment = doc.segments[index]!;
    let word = -1;
    let at = 0;
    for (const piece of alignWords(segment.text, segment.words)) {
      if (piece.word !== undefined && at <= caret.start) word = piece.word;
      at += piece.text.length;
    }
    return { segment: index, word };
  }
}
