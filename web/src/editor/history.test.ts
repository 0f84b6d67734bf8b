import { describe, expect, it } from 'vitest';
import { History } from './history.js';

describe('History', () => {
  it('undoes and redoes, and a new change drops what could be redone', () => {
    const h = new History('a');
    h.push('b');
    h.push('c');
    expect(h.undo()).toBe('b');
    expect(h.undo()).toBe('a');
    expect(h.undo()).toBeUndefined();
    expect(h.redo()).toBe('b');
    h.push('d');
    expect(h.canRedo).toBe(false);
    expect(h.current).toBe('d');
    expect(h.undo()).toBe('b');
  });

  it('coalesces typing in one place into one step, but not across places or pauses', () => {
    const h = new History('');
    h.push('H', 'seg:1', 0);
    h.push('He', 'seg:1', 300);
    h.push('Hey', 'seg:1', 600);
    h.push('Hey!', 'seg:2', 700);
    h.push('Hey!?', 'seg:2', 5000);
    expect(h.undo()).toBe('Hey!');
    expect(h.undo()).toBe('Hey');
    expect(h.undo()).toBe('');
  });

  it('knows whether the current state is the saved one, undo included', () => {
    const h = new History(1);
    expect(h.dirty).toBe(false);
    h.push(2);
    expect(h.dirty).toBe(true);
    h.markSaved();
    expect(h.dirty).toBe(false);
    h.push(3);
    h.undo();
    expect(h.dirty).toBe(false);
  });

  it('forgets the oldest steps beyond its limit', () => {
    const h = new History(0, 3);
    for (let i = 1; i <= 5; i++) h.push(i);
    expect([h.undo(), h.undo(), h.undo(), h.undo()]).toEqual([4, 3, 2, undefined]);
  });
});
