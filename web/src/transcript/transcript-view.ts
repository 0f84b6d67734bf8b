import { findCueIndex, wordsBySegment } from './cue-lookup.js';
import { followPlayer } from './follow-player.js';
import { type RenderedSegment, renderMarks, renderSegment, renderText } from './segment-render.js';
import { type Speaker, speakersOf } from './speakers.js';
import type { Transcript, TranscriptWord } from './transcript.js';
import { searchSegments } from './transcript-search.js';

/**
 * The transcript beside the player: one button per segment (click or Enter seeks), the playing segment
 * and word highlighted, speakers in colour with names the reader can change, and search with marks.
 */
export class TranscriptView {
  private transcript: Transcript | undefined;
  private rendered: RenderedSegment[] = [];
  private renames: Record<string, string> = {};
  private currentSegment = -1;
  private currentWord: HTMLSpanElement | undefined;
  private allWords: Array<{ el: HTMLSpanElement; word: TranscriptWord }> = [];
  private wordTimes: TranscriptWord[] = [];
  private matches: number[] = [];

  private player: HTMLMediaElement | undefined;
  private playerListeners = new AbortController();

  constructor(
    private readonly elements: { list: HTMLOListElement; speakers: HTMLElement },
    private readonly onRename: (renames: Record<string, string>) => void = () => {},
  ) {
    elements.list.addEventListener('click', (event) => {
      const target = (event.target as HTMLElement).closest<HTMLElement>('[data-start]');
      if (target) this.seek(Number(target.dataset.start));
    });
  }

  /** Follows a player (audio or video, whichever suits the file). */
  private attach(player: HTMLMediaElement): void {
    if (player === this.player) return;
    this.playerListeners.abort();
    this.playerListeners = new AbortController();
    this.player = player;
    followPlayer(player, (time) => this.highlightAt(time), this.playerListeners.signal);
  }

  get speakerRenames(): Record<string, string> {
    return { ...this.renames };
  }

  /** Shows a transcript beside its player; `renames` are the speakers' names chosen so far. */
  show(
    transcript: Transcript,
    player: HTMLMediaElement,
    renames: Readonly<Record<string, string>> = {},
  ): void {
    this.attach(player);
    this.transcript = transcript;
    this.renames = { ...renames };
    this.currentSegment = -1;
    this.currentWord = undefined;
    const speakers = speakersOf(transcript.segments);
    const colours = new Map(speakers.map((s) => [s.id, s]));
    const words = wordsBySegment(transcript.segments, transcript.words ?? []);
    this.rendered = transcript.segments.map((segment, index) => {
      const speaker = segment.speaker ? colours.get(segment.speaker) : undefined;
      return renderSegment(segment, speaker, words[index] ?? []);
    });
    this.collectWords();
    this.elements.list.replaceChildren(...this.rendered.map((r) => r.item));
    this.renderSpeakers(speakers);
    this.applySpeakerLabels();
    this.matches = [];
  }

  /** Seeks the player and shows the segment there at once, even before the media reports the new time. */
  seek(time: number): void {
    if (this.player) this.player.currentTime = time;
    this.highlightAt(time);
  }

  highlightAt(time: number): void {
    if (!this.transcript) return;
    const index = findCueIndex(this.transcript.segments, time);
    if (index !== this.currentSegment) {
      const previous = this.rendered[this.currentSegment];
      previous?.button.removeAttribute('aria-current');
      const next = this.rendered[index];
      if (next) {
        next.button.setAttribute('aria-current', 'true');
        this.keepInView(next.item);
      }
      this.currentSegment = index;
    }
    const wordIndex = findCueIndex(this.wordTimes, time);
    const wordEl = this.allWords[wordIndex]?.el;
    if (wordEl !== this.currentWord) {
      this.currentWord?.classList.remove('current-word');
      wordEl?.classList.add('current-word');
      this.currentWord = wordEl;
    }
  }

  /** Marks every match; answers how many lines match. Enter in the search box moves between them. */
  search(query: string): number {
    const found = searchSegments(
      this.rendered.map((r) => r.text),
      query,
    );
    const byIndex = new Map(found.map((m) => [m.segmentIndex, m.ranges]));
    this.rendered.forEach((rendered, index) => {
      const ranges = byIndex.get(index);
      rendered.item.classList.toggle('match', ranges !== undefined);
      if (ranges) renderMarks(rendered, ranges);
      else if (rendered.textEl.querySelector('mark')) {
        rendered.words = renderText(
          rendered,
          rendered.words.map((w) => w.word),
        );
      }
    });
    this.collectWords();
    this.currentWord = undefined;
    this.matches = found.map((m) => m.segmentIndex);
    return this.matches.length;
  }

  /** The line with keyboard focus, else the one playing (-1 when neither). */
  focusedLine(): number {
    const focused = this.rendered.findIndex((r) => r.button === document.activeElement);
    return focused >= 0 ? focused : this.currentSegment;
  }

  focusLine(index: number): void {
    this.rendered[index]?.button.focus();
  }

  /** Focuses the next matching line after the focused one (wrapping), answering its position. */
  focusNextMatch(): number {
    if (this.matches.length === 0) return -1;
    const focused = this.rendered.findIndex((r) => r.button === document.activeElement);
    const next = this.matches.find((i) => i > focused) ?? this.matches[0]!;
    this.rendered[next]!.button.focus();
    return this.matches.indexOf(next);
  }

  /**
   * Scrolls the transcript list (only the list: scrolling the page would pull a reader who moved on to
   * the exports back up) so the playing line stays visible, a third of the way down.
   */
  private keepInView(item: HTMLLIElement): void {
    const list = this.elements.list;
    const top = item.offsetTop;
    const bottom = top + item.offsetHeight;
    if (top < list.scrollTop || bottom > list.scrollTop + list.clientHeight) {
      list.scrollTop = Math.max(0, top - list.clientHeight / 3);
    }
  }

  private collectWords(): void {
    this.allWords = this.rendered.flatMap((r) => r.words);
    this.wordTimes = this.allWords.map((w) => w.word);
  }

  private renderSpeakers(speakers: Speaker[]): void {
    const container = this.elements.speakers;
    container.hidden = speakers.length === 0;
    const heading = document.createElement('h3');
    heading.textContent = 'Speakers';
    const fields = speakers.map((speaker) => {
      const label = document.createElement('label');
      label.className = 'speaker-field';
      label.style.setProperty('--speaker-colour', speaker.colour);
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.setAttribute('aria-hidden', 'true');
      const caption = document.createElement('span');
      caption.className = 'visually-hidden';
      caption.textContent = `Name for ${speaker.label} (${speaker.id})`;
      const input = document.createElement('input');
      input.type = 'text';
      input.value = this.renames[speaker.id] ?? speaker.label;
      input.dataset.speaker = speaker.id;
      input.addEventListener('input', () => {
        this.renames[speaker.id] = input.value;
        this.applySpeakerLabels();
        this.onRename(this.speakerRenames);
      });
      label.append(swatch, caption, input);
      return label;
    });
    container.replaceChildren(heading, ...fields);
  }

  private applySpeakerLabels(): void {
    if (!this.transcript) return;
    const labels = new Map(speakersOf(this.transcript.segments, this.renames).map((s) => [s.id, s.label]));
    for (const { chip } of this.rendered) {
      if (chip) chip.textContent = labels.get(chip.dataset.speaker ?? '') ?? '';
    }
  }
}
