import type { TranscriptionResult } from '@whisper-edge/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { fromResult, renameSpeaker, setText } from './edit-document.js';
import { type Caret, EditorView } from './editor-view.js';

// The editor's lines on happy-dom: what they show, what they tell a screen reader, what they report.
const result: TranscriptionResult = {
  task: 'transcribe',
  language: 'en',
  duration: 5,
  model: 'm',
  text: 'Hello there. General Kenobi.',
  segments: [
    { id: 0, start: 0, end: 2, text: ' Hello there.', speaker: 'SPEAKER_00' },
    { id: 1, start: 2, end: 5, text: ' General Kenobi.', speaker: 'SPEAKER_01' },
  ],
  words: [
    { word: 'Hello', start: 0, end: 0.8, probability: 0.95 },
    { word: 'there.', start: 0.9, end: 2, probability: 0.2 },
    { word: 'General', start: 2, end: 3, probability: 0.9 },
    { word: 'Kenobi.', start: 3, end: 5, probability: 0.9 },
  ],
};

let list: HTMLOListElement;
let typed: Array<[number, string, Caret]>;
let seeks: number[];
let view: EditorView;

beforeEach(() => {
  document.body.innerHTML = '<ol id="editor"></ol>';
  list = document.querySelector('#editor')!;
  typed = [];
  seeks = [];
  view = new EditorView(list, {
    text: (index, value, caret) => typed.push([index, value, caret]),
    speaker: () => {},
    seek: (time) => seeks.push(time),
  });
  view.render(fromResult(result));
});

describe('EditorView', () => {
  it('shows each line as its time, its speaker and its text, labelled for screen readers', () => {
    const rows = list.querySelectorAll('li.edit-row');
    expect(rows).toHaveLength(2);
    const area = rows[1]!.querySelector('textarea')!;
    expect(area.value).toBe('General Kenobi.');
    expect(area.getAttribute('aria-label')).toBe('Text at 00:02, Speaker 2');
    const select = rows[1]!.querySelector('select')!;
    expect(select.getAttribute('aria-label')).toBe('Speaker of the line at 00:02');
    expect([...select.options].map((o) => [o.value, o.text, o.selected])).toEqual([
      ['SPEAKER_00', 'Speaker 1', false],
      ['SPEAKER_01', 'Speaker 2', true],
    ]);
    (rows[1]!.querySelector('.edit-time') as HTMLButtonElement).click();
    expect(seeks).toEqual([2]);
  });

  it('marks doubtful words under the text and names them to assistive technology', () => {
    const first = list.querySelector('li')!;
    expect([...first.querySelectorAll('.edit-backdrop .doubt')].map((el) => el.textContent)).toEqual([
      'there.',
    ]);
    const described = document.getElementById(
      first.querySelector('textarea')!.getAttribute('aria-describedby')!,
    );
    expect(described?.textContent).toBe('Uncertain: there.');
    expect(list.querySelectorAll('li')[1]!.querySelector('.visually-hidden')?.textContent).toBe('');
  });

  it('reports typing with the caret, and redraws only that line’s marks', () => {
    const area = list.querySelector('textarea')!;
    area.value = 'Hello their.';
    area.setSelectionRange(12, 12);
    area.dispatchEvent(new Event('input'));
    expect(typed).toEqual([[0, 'Hello their.', { key: 0, start: 12, end: 12 }]]);
    const doc = setText(fromResult(result), 0, 'Hello their.');
    view.refreshRow(doc, 0);
    expect(list.querySelector('li')!.querySelectorAll('.doubt')).toHaveLength(0);
    expect(list.querySelector('textarea')).toBe(area);
  });

  it('highlights the line and word playing, and shows renamed speakers', () => {
    view.highlightAt(3.5);
    const second = list.querySelectorAll('li')[1]!;
    expect(second.getAttribute('aria-current')).toBe('true');
    expect(second.querySelector('.current-word')?.textContent).toBe('Kenobi.');
    view.render(renameSpeaker(fromResult(result), 'SPEAKER_01', 'Grievous'));
    const select = list.querySelectorAll('li')[1]!.querySelector('select')!;
    expect([...select.options].find((o) => o.selected)?.textContent).toBe('Grievous');
  });

  it('puts the caret back where it was asked to', () => {
    view.placeCaret({ key: 1, start: 3, end: 7 });
    expect(view.caret()).toEqual({ key: 1, start: 3, end: 7 });
    expect(view.activeIndex()).toBe(1);
  });
});
