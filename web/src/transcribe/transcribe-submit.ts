import type { ApiClient } from '../api/api-client.js';
import { jobStorage, type LibraryJob } from '../library/library-item.js';
import { parseTranscript } from '../transcript/transcript.js';
import type { UploadedFile } from '../upload/upload-panel.js';
import { startProgress } from './progress.js';
import { type JobDocument, transcribeAsJob } from './run-job.js';
import type { TranscribeForm } from './transcribe-form.js';
import { buildTranscriptionRequest } from './transcription-request.js';

export interface TranscribeElements {
  form: HTMLFormElement;
  button: HTMLButtonElement;
  bar: HTMLProgressElement;
  status: HTMLElement;
  busy: HTMLElement;
}

export interface TranscribeEvents {
  /** The job exists: the library shows it. */
  listed(): Promise<void>;
  /** The job is done: it opens beside its file. */
  done(
    job: Pick<LibraryJob, 'id' | 'name' | 'created_at' | 'task' | 'storage_url' | 'export_error'>,
    file: UploadedFile,
  ): Promise<unknown>;
}

/**
 * The transcribe form's submit: the chosen file transcribed as a job (its events give live progress,
 * and a long file does not hang on one request), named after the file, opened when it is done.
 */
export function bindTranscribe(
  elements: TranscribeElements,
  form: TranscribeForm,
  api: ApiClient,
  events: TranscribeEvents,
): void {
  elements.form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const choices = form.choices();
    const file = form.selectedFile;
    if (!choices || !file) return;
    const request = buildTranscriptionRequest(choices);
    elements.button.disabled = true;
    const progress = startProgress(
      { bar: elements.bar, status: elements.status, busy: elements.busy },
      `${choices.task === 'translate' ? 'Translating' : 'Transcribing'} ${file.name}`,
    );
    // The library names the job after the file, and shows it running.
    const named = (job: JobDocument) =>
      api
        .request(`/v1/jobs/${job.id}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: file.name }),
        })
        .then(() => events.listed())
        .catch(() => undefined);
    try {
      const { job, result } = await transcribeAsJob(
        api,
        request,
        ({ fraction, detail }) => progress.update(fraction, detail),
        (submitted) => void named(submitted),
      );
      const answer = parseTranscript(result);
      await events.done(
        {
          id: job.id,
          name: file.name,
          created_at: Math.floor(Date.now() / 1000),
          task: choices.task,
          ...jobStorage(job),
        },
        file,
      );
      progress.finish(
        `Done: ${answer.segments.length} segment${answer.segments.length === 1 ? '' : 's'}, ${answer.language || 'language unknown'}`,
        'done',
      );
    } catch (error) {
      progress.finish(`Failed: ${(error as Error).message}`, 'failed');
    } finally {
      elements.button.disabled = false;
    }
  });
}
