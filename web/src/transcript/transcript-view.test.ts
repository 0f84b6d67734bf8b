import { beforeEach, describe, expect, it } from 'vitest';
import { SPEAKER_COLOURS } from './speakers.js';
import { parseTranscript } from './transcript.js';
import { TranscriptView } from './transcript-view.js';

// A hand-written verbose_json as diarization will send it: segments carry `speaker`.
const sample = parseTranscript({
  task: 'transcribe',
  language: 'english',
  duration: 8,
  text: 'Hello there. General Kenobi. You are a bold one.',
  segments: [
    { id: 0, start: 0, end: 1.5, text: ' Hello there.', speaker: 'SPEAKER_00' },
    { id: 1, start: 2, end: 4, text: ' General Kenobi.', speaker: 'SPEAKER_01' },
    { id: 2, start: 4, end: 8, text: ' You are a bold one.', speaker: 'SPEAKER_01' },
  ],
  words: [
    { word: ' Hello', start: 0, end: 0.6 },
    { word: ' there.', start: 0.6, end: 1.5 },
    { word: ' General', start: 2, end: 2.8 },
    { word: ' Kenobi.', start: 2.8, end: 4 },
  ],
});

let list: HTMLOListElement;
let speakers: HTMLElement;
let player: HTMLAudioElement;
let view: TranscriptView;
let renamed: Record<string, string>[];

beforeEach(() => {
  document.body.innerHTML = '<audio></audio><div id="speakers"></div><ol id="list"></ol>';
  list = document.querySelector('#list')!;
  speakers = document.querySelector('#speakers')!;
  player = document.querySelector('audio')!;
  renamed = [];
  view = new TranscriptView({ list, speakers }, (r) => renamed.push(r));
  view.show(sample, player);
});

const buttons = () => [...list.querySelectorAll<HTMLButtonElement>('button.segment')];

describe('TranscriptView', () => {
  it('marks the words the model doubted, and starts with the speaker names already chosen', () => {
    const doubted = parseTranscript({
      ...sample,
      words: [
        { word: ' Hello', start: 0, end: 0.6, probability: 0.92 },
        { word: ' there.', start: 0.6, end: 1.5, probability: 0.31 },
      ],
    });
    view.show(doubted, player, { SPEAKER_01: 'Grievous' });
    expect([...list.querySelectorAll('.word.doubt')].map((el) => el.textContent)).toEqual(['there.']);
    expect(view.speakerRenames).toEqual({ SPEAKER_01: 'Grievous' });
    expect(speakers.querySelector<HTMLInputElement>('input[data-speaker="SPEAKER_01"]')!.value).toBe(
      'Grievous',
    );
    expect([...list.querySelectorAll('.speaker-chip')].map((c) => c.textContent)).toContain('Grievous');
  });

  it('renders one button per segment with its time, and word spans where words are known', () => {
    expect(buttons().map((b) => b.querySelector('.segment-time')!.textContent)).toEqual([
      '00:00',
      '00:02',
      '00:04',
    ]);
    expect(buttons()[0]!.querySelectorAll('.word')).toHaveLength(2);
    expect(buttons()[2]!.querySelector('.segment-text')!.textContent).toBe('You are a bold one.');
  });

  it('gives each speaker a distinct colour and a default label', () => {
    const chips = buttons().map((b) => b.querySelector<HTMLElement>('.speaker-chip')!);
    expect(chips.map((c) => c.textContent)).toEqual(['Speaker 1', 'Speaker 2', 'Speaker 2']);
    expect(chips[0]!.style.getPropertyValue('--speaker-colour')).toBe(SPEAKER_COLOURS[0]);
    expect(chips[1]!.style.getPropertyValue('--speaker-colour')).toBe(SPEAKER_COLOURS[1]);
    expect(speakers.hidden).toBe(false);
  });

  it('renames a speaker everywhere from its labelled field', () => {
    const input = speakers.querySelector<HTMLInputElement>('input[data-speaker="SPEAKER_01"]')!;
    expect(input.closest('label')!.textContent).toContain('Name for Speaker 2');
    input.value = 'Grievous';
    input.dispatchEvent(new Event('input'));
    expect(buttons().map((b) => b.querySelector('.speaker-chip')!.textContent)).toEqual([
      'Speaker 1',
      'Grievous',
      'Grievous',
    ]);
    expect(renamed.at(-1)).toEqual({ SPEAKER_01: 'Grievous' });
  });

  it('seeks the player when a line is clicked, and marks that line and word as current', () => {
    buttons()[1]!.click();
    expect(player.currentTime).toBe(2);
    expect(buttons()[1]!.getAttribute('aria-current')).toBe('true');
    expect(list.querySelector('.current-word')!.textContent).toBe('General');
    view.highlightAt(3.5);
    expect(list.querySelector('.current-word')!.textContent).toBe('Kenobi.');
    view.highlightAt(1.8);
    expect(list.querySelector('[aria-current]')).toBeNull();
  });

  it('marks search matches, moves between them, and restores words when cleared', () => {
    expect(view.search('one')).toBe(1);
    expect(list.querySelector('mark')!.textContent).toBe('one');
    expect(view.search('e')).toBe(3);
    view.focusNextMatch();
    expect(document.activeElement).toBe(buttons()[0]);
    view.focusNextMatch();
    expect(document.activeElement).toBe(buttons()[1]);
    expect(view.search('')).toBe(0);
    expect(list.querySelector('mark')).toBeNull();
    expect(buttons()[0]!.querySelectorAll('.word')).toHaveLength(2);
  });

  it('shows no speaker panel for a transcript without speakers', () => {
    view.show(parseTranscript({ text: 'x', segments: [{ start: 0, end: 1, text: 'x' }] }), player);
    expect(speakers.hidden).toBe(true);
    expect(list.querySelector('.speaker-chip')).toBeNull();
  });
});
