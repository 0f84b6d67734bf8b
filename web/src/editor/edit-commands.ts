import type { TranscriptView } from '../transcript/transcript-view.js';
import { caretIn, mergeAtCaret, splitAtCaret } from './caret-edits.js';
import type { Doubt } from './confidence.js';
import { doubtAtCaret, doubtJump } from './doubt-jump.js';
import type { EditDocument } from './edit-document.js';
import type { EditEntry, EditSession } from './edit-session.js';
import type { Caret, EditorView } from './editor-view.js';
import { playerAction } from './playback.js';
import { showStatus } from './revision-save.js';
import type { EditorAction } from './shortcuts.js';

/** What the commands act on: the open session, its player, and the reader or editor showing it. */
export interface CommandHost {
  readonly player: HTMLMediaElement | undefined;
  readonly session: EditSession | undefined;
  readonly editing: boolean;
  readonly editor: EditorView;
  readonly reader: TranscriptView;
  readonly status: HTMLElement;
  /** Records a change; answers whether anything changed. */
  apply(doc: EditDocument, group?: string, caret?: Caret): boolean;
  afterChange(): void;
  setEditing(on: boolean): void;
  showReader(): void;
  showRate(): void;
  save(): void;
}

/**
 * The editor's actions (shortcuts.ts names them): the player's keys, moving between lines, splitting
 * and merging at the caret, undo and redo, saving, and stepping through what the model doubted.
 */
export class EditCommands {
  private lastDoubt: Doubt | undefined;

  constructor(private readonly host: CommandHost) {}

  /** A new transcript: "next uncertain" starts from its beginning. */
  reset(): void {
    this.lastDoubt = undefined;
  }

  run(action: EditorAction): void {
    const player = this.host.player;
    const session = this.host.session;
    if (!player || !session) return;
    if (playerAction(player, action, (time) => this.seek(time))) {
      this.host.showRate();
      return;
    }
    switch (action) {
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
        this.host.save();
        break;
      case 'next-uncertain':
      case 'previous-uncertain':
        this.jumpToDoubt(action === 'next-uncertain' ? 1 : -1);
        break;
    }
  }

  seek(time: number): void {
    if (!this.host.player) return;
    this.host.player.currentTime = time;
    if (this.host.editing) this.host.editor.highlightAt(time);
    else this.host.reader.highlightAt(time);
  }

  private activeLine(): number {
    return this.host.editing ? this.host.editor.activeIndex() : this.host.reader.focusedLine();
  }

  private moveLine(direction: 1 | -1): void {
    const doc = this.host.session!.doc;
    const from = this.activeLine();
    const to = Math.min(doc.segments.length - 1, Math.max(0, from + direction));
    const segment = doc.segments[to];
    if (!segment) return;
    if (this.host.editing) this.host.editor.placeCaret({ key: segment.key, start: 0, end: 0 });
    else this.host.reader.focusLine(to);
    this.seek(segment.start);
  }

  private split(): void {
    const caret = this.host.editor.caret();
    const edit = caret && splitAtCaret(this.host.session!.doc, this.host.editor.indexOf(caret.key), caret);
    if (edit && this.host.apply(edit.doc, undefined, edit.caret))
      this.host.editor.render(edit.doc, edit.caret);
  }

  private merge(direction: 1 | -1): void {
    const caret = this.host.editor.caret();
    const edit =
      caret && mergeAtCaret(this.host.session!.doc, this.host.editor.indexOf(caret.key), direction);
    if (edit && this.host.apply(edit.doc, undefined, edit.caret))
      this.host.editor.render(edit.doc, edit.caret);
  }

  private travel(direction: 'undo' | 'redo'): void {
    const history = this.host.session!.history;
    const before: EditEntry = history.current;
    const entry = direction === 'undo' ? history.undo() : history.redo();
    if (!entry) return;
    // Undo returns to where the undone change was made; redo to where the redone one left the caret.
    const where = direction === 'undo' ? before.caret : entry.caret;
    this.host.afterChange();
    if (this.host.editing) this.host.editor.render(entry.doc, caretIn(entry.doc, where));
    else this.host.showReader();
  }

  /** Selects the next (or previous) word the model doubted, and plays from just before it. */
  private jumpToDoubt(direction: 1 | -1): void {
    if (!this.host.editing) this.host.setEditing(true);
    const doc = this.host.session!.doc;
    const caret = this.host.editor.caret();
    const from = caret ? doubtAtCaret(doc, this.host.editor.indexOf(caret.key), caret.start) : this.lastDoubt;
    const jump = doubtJump(doc, from, direction);
    if (!jump) {
      this.host.status.textContent = 'Nothing the model was unsure of.';
      return;
    }
    this.lastDoubt = jump.doubt;
    this.host.editor.placeCaret(jump.caret);
    this.seek(jump.seekTo);
    showStatus(this.host.status, jump.message);
  }
}
