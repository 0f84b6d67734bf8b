import { actionFor, type EditorAction, SHORTCUTS } from './shortcuts.js';

/** The shortcut list shown beside the editor, as a description list of keys and what they do. */
export function renderShortcutHelp(list: HTMLElement): void {
  list.replaceChildren(
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
}

/**
 * What a key press on the page asks of the editor, if anything: keys act in the reading area (or with
 * nothing focused), except save, which works anywhere.
 */
export function pageAction(event: KeyboardEvent, readSection: HTMLElement): EditorAction | undefined {
  if (event.defaultPrevented || event.isComposing) return undefined;
  const target = event.target as HTMLElement;
  const inText = target instanceof HTMLTextAreaElement && target.classList.contains('edit-text');
  const collapsed = inText && target.selectionStart === target.selectionEnd;
  const action = actionFor(event, {
    inText,
    caretAtStart: collapsed && target.selectionStart === 0,
    caretAtEnd: collapsed && target.selectionEnd === target.value.length,
  });
  if (!action) return undefined;
  const inReader = readSection.contains(target) || target === document.body;
  if (!inReader && action !== 'save') return undefined;
  // A text field of its own (search, a speaker's name) keeps its own undo.
  const field = target instanceof HTMLInputElement;
  if (field && (action === 'undo' || action === 'redo')) return undefined;
  return action;
}
