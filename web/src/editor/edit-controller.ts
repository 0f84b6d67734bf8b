import type { ApiClient } from '../api/api-client.js';
import { followPlayer } from '../transcript/follow-player.js';
import { parseTranscript, type Transcript } from '../transcript/transcript.js';
import type { TranscriptView } from '../transcript/transcript-view.js';
import { doubtsOf } from './confidence.js';
import { EditCommands } from './edit-commands.js';
import { type EditDocument, renameSpeaker, setSpeaker, setText, toResult } from './edit-document.js';
import type { EditSession } from './edit-session.js';
import { type Caret, EditorView } from './editor-view.js';
import { saveRevision, showStatus } from './revision-save.js';
import { pageAction, renderShortcutHelp } from './shortcut-keys.js';
import type { EditorAction } from './shortcuts.js';

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
  private readonly commands: EditCommands;
  private playerListeners = new AbortController();
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
      seek: (time) => this.commands.seek(time),
    });
    const controller = this;
    this.commands = new EditCommands({
      get player() {
        return controller.player;
      },
      get session() {
        return controller.session;
      },
      get editing() {
        return controller.editing;
      },
      editor: this.editor,
      reader,
      status: elements.status,
      apply: (doc, group, caret) => this.apply(doc, group, caret),
      afterChange: () => this.afterChange(),
      setEditing: (on) => this.setEditing(on),
      showReader: () => this.showReader(),
      showRate: () => this.showRate(),
      save: () => void this.save(),
    });
    elements.toggle.addEventListener('click', () => this.setEditing(!this.editing));
    elements.undo.addEventListener('click', () => this.run('undo'));
    elements.redo.addEventListener('click', () => this.run('redo'));
    elements.save.addEventListener('click', () => this.run('save'));
    elements.uncertain.addEventListener('click', () => this.run('next-uncertain'));
    renderShortcutHelp(elements.shortcuts);
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
    this.commands.reset();
    this.attach(player);
    this.elements.tools.hidden = false;
    this.setEditing(false);
    const text =
      session.revision > 0 ? `Revision ${session.revision} (edited).` : 'The transcript as transcribed.';
    showStatus(this.elements.status, text);
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
    const signal = this.playerListeners.signal;
    followPlayer(
      player,
      (time) => {
        if (this.editing) this.editor.highlightAt(time);
      },
      signal,
    );
    player.addEventListener('ratechange', () => this.showRate(), { signal });
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
    showStatus(this.elements.status, this.dirty ? 'Unsaved changes.' : 'All changes saved.');
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
    if (!this.session) return;
    const action = pageAction(event, this.elements.readSection);
    if (!action) return;
    event.preventDefault();
    this.run(action);
  }

  run(action: EditorAction): void {
    this.commands.run(action);
  }

  private async save(): Promise<void> {
    const session = this.session;
    if (!session || this.saving || !session.dirty) return;
    this.saving = true;
    this.updateButtons();
    try {
      await saveRevision(session, this.api, this.elements.status, (revision) =>
        this.events.saved(session.jobId, revision),
      );
    } finally {
      this.saving = false;
      this.updateButtons();
    }
  }
}
