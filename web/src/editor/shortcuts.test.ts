import { describe, expect, it } from 'vitest';
import { backBy, PLAYBACK_RATES, stepRate } from './playback.js';
import { actionFor, type KeyContext, type KeyPress, SHORTCUTS } from './shortcuts.js';

const press = (key: string, code: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  code,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});
const inText: KeyContext = { inText: true, caretAtStart: false, caretAtEnd: false };
const elsewhere: KeyContext = { inText: false, caretAtStart: false, caretAtEnd: false };

describe('keyboard shortcuts', () => {
  it('maps the player keys by physical key, so Option+letter on a Mac works', () => {
    expect(actionFor(press('Escape', 'Escape'), inText)).toBe('play-pause');
    expect(actionFor(press('˚', 'KeyK', { altKey: true }), inText)).toBe('play-pause');
    expect(actionFor(press('∆', 'KeyJ', { altKey: true }), elsewhere)).toBe('back');
    expect(actionFor(press('¬', 'KeyL', { altKey: true }), elsewhere)).toBe('forward');
    expect(actionFor(press('≤', 'Comma', { altKey: true }), inText)).toBe('slower');
    expect(actionFor(press('≥', 'Period', { altKey: true }), inText)).toBe('faster');
    expect(actionFor(press('ArrowDown', 'ArrowDown', { altKey: true }), inText)).toBe('next-segment');
    expect(actionFor(press('ArrowUp', 'ArrowUp', { altKey: true }), inText)).toBe('previous-segment');
    expect(actionFor(press('n', 'KeyN', { altKey: true }), inText)).toBe('next-uncertain');
    expect(actionFor(press('N', 'KeyN', { altKey: true, shiftKey: true }), inText)).toBe(
      'previous-uncertain',
    );
  });

  it('splits and merges only inside a segment, and only with the caret where it means that', () => {
    expect(actionFor(press('Enter', 'Enter'), inText)).toBe('split');
    expect(actionFor(press('Enter', 'Enter'), elsewhere)).toBeUndefined();
    expect(actionFor(press('Enter', 'Enter', { shiftKey: true }), inText)).toBeUndefined();
    expect(actionFor(press('Backspace', 'Backspace'), inText)).toBeUndefined();
    expect(actionFor(press('Backspace', 'Backspace'), { ...inText, caretAtStart: true })).toBe(
      'merge-previous',
    );
    expect(actionFor(press('Delete', 'Delete'), { ...inText, caretAtEnd: true })).toBe('merge-next');
    expect(actionFor(press('Enter', 'Enter', { altKey: true }), inText)).toBe('play-segment');
  });

  it('takes undo, redo and save with Ctrl or ⌘, leaving plain typing alone', () => {
    expect(actionFor(press('z', 'KeyZ', { ctrlKey: true }), inText)).toBe('undo');
    expect(actionFor(press('z', 'KeyZ', { metaKey: true }), inText)).toBe('undo');
    expect(actionFor(press('Z', 'KeyZ', { ctrlKey: true, shiftKey: true }), inText)).toBe('redo');
    expect(actionFor(press('y', 'KeyY', { ctrlKey: true }), inText)).toBe('redo');
    expect(actionFor(press('s', 'KeyS', { metaKey: true }), elsewhere)).toBe('save');
    for (const key of ['a', 'k', 'j', ' ', ',']) {
      expect(actionFor(press(key, `Key${key.toUpperCase()}`), inText), key).toBeUndefined();
    }
  });

  it('describes every action once, for the help list', () => {
    const actions = SHORTCUTS.map((s) => s.action);
    expect(new Set(actions).size).toBe(actions.length);
    for (const s of SHORTCUTS) expect(s.keys && s.description).toBeTruthy();
  });
});

describe('playback', () => {
  it('steps the rate through the list, stopping at its ends', () => {
    expect(stepRate(1, -1)).toBe(0.9);
    expect(stepRate(1, 1)).toBe(1.25);
    expect(stepRate(0.5, -1)).toBe(0.5);
    expect(stepRate(2, 1)).toBe(2);
    // A rate set elsewhere snaps to the nearest step in that direction.
    expect(stepRate(1.1, 1)).toBe(1.25);
    expect(stepRate(1.1, -1)).toBe(1);
    expect(PLAYBACK_RATES).toContain(1);
  });

  it('goes back five seconds, not before the start', () => {
    expect(backBy(12.5)).toBe(7.5);
    expect(backBy(3)).toBe(0);
  });
});
