import { ApiRequestError } from './api-client.js';

// The key never leaves the browser except as the Authorization header of this page's own API calls.
const KEY_STORAGE = 'whisper-edge.api-key';

export function storedKey(): string {
  return localStorage.getItem(KEY_STORAGE) ?? '';
}

/** The key form: a submitted key is kept in this browser (an empty one forgets it), then `changed` runs. */
export function bindKeyForm(form: HTMLFormElement, input: HTMLInputElement, changed: () => void): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (input.value.trim()) localStorage.setItem(KEY_STORAGE, input.value.trim());
    else localStorage.removeItem(KEY_STORAGE);
    changed();
  });
}

/** Says whether the API took the key (or its absence); a refused key puts the focus back on its field. */
export function showConnection(status: HTMLElement, input: HTMLInputElement, error?: unknown): void {
  if (error === undefined) {
    status.textContent = input.value.trim()
      ? 'Key accepted. Kept in this browser only.'
      : 'Connected. This deployment needs no key.';
    status.dataset.outcome = 'done';
    return;
  }
  const needsKey = error instanceof ApiRequestError && error.status === 401;
  status.textContent = needsKey
    ? `This deployment needs an API key: ${error.message}`
    : `Cannot reach the API: ${(error as Error).message}`;
  status.dataset.outcome = 'failed';
  if (needsKey) input.focus();
}
