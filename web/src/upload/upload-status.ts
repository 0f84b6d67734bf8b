import type { ApiClient } from '../api/api-client.js';
import { trackSpeeds } from './speed-list.js';
import { createUploadPanel, type UploadedFile } from './upload-panel.js';
import { uploadTuning } from './upload-tuning.js';

export interface UploadElements {
  uploader: HTMLElement;
  status: HTMLElement;
  speeds: HTMLElement;
}

/** The upload panel with its speeds and a status line for each file's outcome. */
export function createUploads(
  elements: UploadElements,
  api: ApiClient,
  onUploaded: (file: UploadedFile) => void,
): void {
  const status = elements.status;
  const uppy = createUploadPanel(elements.uploader, {
    api,
    tuning: uploadTuning(location.search),
    onUploaded: (file) => {
      onUploaded(file);
      status.textContent = `${file.name} is in storage, ready to transcribe.`;
    },
  });
  trackSpeeds(uppy, elements.speeds);
  uppy.on('upload-error', (file, error) => {
    status.textContent = `${file?.name ?? 'A file'} did not upload: ${error.message}. Use Retry in the list.`;
  });
  uppy.on('restriction-failed', (file, error) => {
    status.textContent = `${file?.name ?? 'A file'} was not added: ${error.message}`;
  });
}
