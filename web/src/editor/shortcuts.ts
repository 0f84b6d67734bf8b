/** What the editor's keys do; the page binds each to the player or the document. */
export type EditorAction =
  | 'play-pause'
  | 'back'
  | 'forward'
  | 'slower'
  | 'faster'
  | 'next-segment'
  | 'previous-segment'
  | 'play-segment'
  | 'split'
  | 'merge-previous'
  | 'merge-next'
  | 'undo'
  | 'redo'
  | 'save'
  | 'next-uncertain'
  | 'previous-uncertain';

/** The parts of a KeyboardEvent the map reads (so it is testable without a DOM). */
export interface KeyPress {
  key: string;
  /** Physical key: Alt+letter on a Mac types a symbol, so letters are matched by position. */
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/** Where the key was pressed: in a segment's text (with the caret at its start or end), or elsewhere. */
export interface KeyContext {
  inText: boolean;
  caretAtStart: boolean;
  caretAtEnd: boolean;
}

interface Binding {
  action: EditorAction;
  keys: string;
  description: string;
  matches: (e: KeyPress, at: KeyContext) => boolean;
}

const plain = (e: KeyPress) => !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey;
const alt =
  (code: string, shift = false) =>
  (e: KeyPress) =>
    e.altKey && !e.ctrlKey && !e.metaKey && e.shiftKey === shift && e.code === code;
const mod = (e: KeyPress) => (e.ctrlKey || e.metaKey) && !e.altKey;

/** Every shortcut, in the order the help lists them. Typing keys only act inside a segment's text. */
export const SHORTCUTS: readonly Binding[] = [
  {
    action: 'play-pause',
    keys: 'Esc or Alt+K',
    description: 'Play or pause',
    matches: (e) => (e.key === 'Escape' && plain(e)) || alt('KeyK')(e),
  },
  { action: 'back', keys: 'Alt+J', description: 'Back 5 seconds', matches: alt('KeyJ') },
  { action: 'forward', keys: 'Alt+L', description: 'Forward 5 seconds', matches: alt('KeyL') },
  { action: 'slower', keys: 'Alt+,', description: 'Slower playback', matches: alt('Comma') },
  { action: 'faster', keys: 'Alt+.', description: 'Faster playback', matches: alt('Period') },
  {
    action: 'previous-segment',
    keys: 'Alt+↑',
    description: 'Previous segment',
    matches: (e) => e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.key === 'ArrowUp',
  },
  {
    action: 'next-segment',
    keys: 'Alt+↓',
    description: 'Next segment',
    matches: (e) => e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.key === 'ArrowDown',
  },
  {
    action: 'play-segment',
    keys: 'Alt+Enter',
    description: 'Play from this segment',
    matches: (e) => e.altKey && !e.ctrlKey && !e.metaKey && e.key === 'Enter',
  },
  {
    action: 'split',
    keys: 'Enter',
    description: 'Split the segment at the cursor',
    matches: (e, at) => at.inText && e.key === 'Enter' && plain(e),
  },
  {
    action: 'merge-previous',
    keys: 'Backspace at the start',
    description: 'Join with the segment before',
    matches: (e, at) => at.inText && at.caretAtStart && e.key === 'Backspace' && plain(e),
  },
  {
    action: 'merge-next',
    keys: 'Delete at the end',
    description: 'Join with the segment after',
    matches: (e, at) => at.inText && at.caretAtEnd && e.key === 'Delete' && plain(e),
  },
  {
    action: 'undo',
    keys: 'Ctrl+Z (⌘Z)',
    description: 'Undo',
    matches: (e) => mod(e) && !e.shiftKey && e.code === 'KeyZ',
  },
  {
    action: 'redo',
    keys: 'Ctrl+Shift+Z or Ctrl+Y',
    description: 'Redo',
    matches: (e) => mod(e) && ((e.shiftKey && e.code === 'KeyZ') || (!e.shiftKey && e.code === 'KeyY')),
  },
  {
    action: 'save',
    keys: 'Ctrl+S (⌘S)',
    description: 'Save as a new revision',
    matches: (e) => mod(e) && !e.shiftKey && e.code === 'KeyS',
  },
  { action: 'next-uncertain', keys: 'Alt+N', description: 'Next uncertain word', matches: alt('KeyN') },
  {
    action: 'previous-uncertain',
    keys: 'Alt+Shift+N',
    description: 'Previous uncertain word',
    matches: alt('KeyN', true),
  },
];

export function actionFor(e: KeyPress, at: KeyContext): EditorAction | undefined {
  return SHORTCUTS.find((binding) => binding.matches(e, at))?.action;
}
