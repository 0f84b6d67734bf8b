import type { TranscriptionResult } from '@whisper-edge/shared';
import type { ApiClient } from '../api/api-client.js';
import { type EditDocument, fromResult, toResult } from './edit-document.js';
import type { Caret } from './editor-view.js';
import { History } from './history.js';

/** One undo step: the document, and where the caret was after the change (restored on undo/redo). */
export interface EditEntry {
  doc: EditDocument;
  caret?: Caret | undefined;
}

export interface SavedRevision {
  revision: number;
}

/** The API says the result moved on since this editor loaded it (another tab, another person). */
export class RevisionConflict extends Error {}

/** Loads a job's latest revision, ready to read and edit. */
export async function openSession(api: ApiClient, jobId: string): Promise<EditSession> {
  const response = await api.request(`/v1/jobs/${jobId}/result/revisions/latest`);
  const revision = Number(response.headers.get('x-result-revision') ?? 0);
  return new EditSession(jobId, (await response.json()) as TranscriptionResult, revision);
}

/**
 * An open job's transcript being edited: the document with its history, and the revision it was
 * loaded from, which every save names so that it never silently undoes a newer one.
 */
export class EditSession {
  readonly history: History<EditEntry>;

  constructor(
    readonly jobId: string,
    result: TranscriptionResult,
    /** The revision loaded (0 = the original). */
    public revision: number,
  ) {
    this.history = new History<EditEntry>({ doc: fromResult(result) });
  }

  get doc(): EditDocument {
    return this.history.current.doc;
  }

  get dirty(): boolean {
    return this.history.dirty;
  }

  /** Records a change; typing in one place (same `group`) within a second is one undo step. */
  change(doc: EditDocument, group?: string, caret?: Caret): boolean {
    if (doc === this.doc) return false;
    this.history.push({ doc, caret }, group);
    return true;
  }

  /** Saves the document as a new revision of the job's result. */
  async save(api: ApiClient): Promise<SavedRevision> {
    const saving = this.history.current;
    const response = await api
      .json<{ revision: number }>(`/v1/jobs/${this.jobId}/result/revisions?base_revision=${this.revision}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(toResult(saving.doc)),
      })
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === 'revision_conflict') {
          throw new RevisionConflict((error as Error).message);
        }
        throw error;
      });
    this.revision = response.revision;
    // Edits typed while the save was on its way stay unsaved.
    if (this.history.current === saving) this.history.markSaved();
    return { revision: response.revision };
  }
}
