import type { ApiClient } from '../api/api-client.js';
import { type EditSession, RevisionConflict } from './edit-session.js';

/** The status line under the editor; an outcome styles it as done or failed. */
export function showStatus(status: HTMLElement, text: string, outcome?: 'done' | 'failed'): void {
  status.textContent = text;
  if (outcome) status.dataset.outcome = outcome;
  else delete status.dataset.outcome;
}

/** Saves the session as a new revision, saying how it went; a conflict says how to see the newer one. */
export async function saveRevision(
  session: EditSession,
  api: ApiClient,
  status: HTMLElement,
  saved: (revision: number) => void,
): Promise<void> {
  showStatus(status, 'Saving…');
  try {
    const { revision } = await session.save(api);
    showStatus(status, `Saved as revision ${revision}.`, 'done');
    saved(revision);
  } catch (error) {
    const message =
      error instanceof RevisionConflict
        ? `Not saved: ${error.message}. Open it again from the library to see the newer one.`
        : `Not saved: ${(error as Error).message}`;
    showStatus(status, message, 'failed');
  }
}
