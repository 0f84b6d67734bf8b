import type { TranscriptView } from './transcript-view.js';

/** The reader's search field: matches marked as one types, Enter moving between the matching lines. */
export class SearchBox {
  constructor(
    private readonly input: HTMLInputElement,
    private readonly status: HTMLElement,
    view: TranscriptView,
  ) {
    input.addEventListener('input', () => {
      const count = view.search(input.value);
      status.textContent = input.value.trim() ? `${count} matching line${count === 1 ? '' : 's'}` : '';
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        view.focusNextMatch();
      }
    });
  }

  /** A new transcript: an empty search, ready to type. */
  reset(): void {
    this.input.disabled = false;
    this.input.value = '';
    this.status.textContent = '';
  }

  disable(): void {
    this.input.disabled = true;
  }
}
