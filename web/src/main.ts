import './styles.css';
import { ApiRequestError, createApiClient, type ModelList } from './api/api-client.js';
import { setCaptions } from './export/captions-track.js';
import { createExportPanel } from './export/export-panel.js';
import { createLivePanel, type SavedSession } from './live/live-panel.js';
import { startProgress } from './transcribe/progress.js';
import { transcribeAsJob } from './transcribe/run-job.js';
import { TranscribeForm } from './transcribe/transcribe-form.js';
import { buildTranscriptionRequest } from './transcribe/transcription-request.js';
import { parseTranscript, type Transcript } from './transcript/transcript.js';
import { TranscriptView } from './transcript/transcript-view.js';
import { trackSpeeds } from './upload/speed-list.js';
import { createUploadPanel, type UploadedFile } from './upload/upload-panel.js';
import { uploadTuning } from './upload/upload-tuning.js';

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

// The key never leaves the browser except as the Authorization header of this page's own API calls.
const KEY_STORAGE = 'whisper-edge.api-key';
const keyInput = $<HTMLInputElement>('#api-key');
const keyStatus = $('#api-key-status');
keyInput.value = localStorage.getItem(KEY_STORAGE) ?? '';
const api = createApiClient(() => keyInput.value);

const form = new TranscribeForm($<HTMLFormElement>('#transcribe-form'));
const audio = $<HTMLAudioElement>('#audio-player');
const video = $<HTMLVideoElement>('#video-player');
const exportPanel = createExportPanel({
  downloads: $('#downloads'),
  copyFormat: $<HTMLSelectElement>('#copy-format'),
  copyButton: $<HTMLButtonElement>('#copy-button'),
  status: $('#export-status'),
  storage: $('#storage-url'),
});
let shown: { transcript: Transcript; player: HTMLMediaElement } | undefined;
const view = new TranscriptView(
  { list: $<HTMLOListElement>('#transcript'), speakers: $('#speakers') },
  (renames) => {
    if (shown) setCaptions(shown.player, shown.transcript, renames);
  },
);

/** Checks the key (or its absence) against the API, and fills the model list while at it. */
async function connect(): Promise<void> {
  try {
    const models = await api.json<ModelList>('/v1/models');
    form.setModels(models.data.map((m) => m.id));
    keyStatus.textContent = keyInput.value.trim()
      ? 'Key accepted. Kept in this browser only.'
      : 'Connected. This deployment needs no key.';
    keyStatus.dataset.outcome = 'done';
  } catch (error) {
    const needsKey = error instanceof ApiRequestError && error.status === 401;
    keyStatus.textContent = needsKey
      ? `This deployment needs an API key: ${error.message}`
      : `Cannot reach the API: ${(error as Error).message}`;
    keyStatus.dataset.outcome = 'failed';
    if (needsKey) keyInput.focus();
  }
}

$<HTMLFormElement>('#api-key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  if (keyInput.value.trim()) localStorage.setItem(KEY_STORAGE, keyInput.value.trim());
  else localStorage.removeItem(KEY_STORAGE);
  void connect();
});

const uploadStatus = $('#upload-status');
const uppy = createUploadPanel($('#uploader'), {
  api,
  tuning: uploadTuning(location.search),
  onUploaded: (file) => {
    form.addFile(file);
    uploadStatus.textContent = `${file.name} is in storage, ready to transcribe.`;
  },
});
trackSpeeds(uppy, $('#upload-speeds'));
uppy.on('upload-error', (file, error) => {
  uploadStatus.textContent = `${file?.name ?? 'A file'} did not upload: ${error.message}. Use Retry in the list.`;
});
uppy.on('restriction-failed', (file, error) => {
  uploadStatus.textContent = `${file?.name ?? 'A file'} was not added: ${error.message}`;
});

function showPlayer(file: Pick<UploadedFile, 'type' | 'objectUrl'>): HTMLMediaElement {
  const isVideo = file.type.startsWith('video/');
  const [shown, other] = isVideo ? [video, audio] : [audio, video];
  other.pause();
  other.hidden = true;
  shown.hidden = false;
  if (shown.src !== file.objectUrl) shown.src = file.objectUrl;
  $('#player-empty').hidden = true;
  return shown;
}

const transcribeButton = $<HTMLButtonElement>('#transcribe-button');
const searchInput = $<HTMLInputElement>('#search');
const searchStatus = $('#search-status');

/** A transcript beside its file's player, searchable and exportable: for files and live sessions alike. */
function present(transcript: Transcript, file: Pick<UploadedFile, 'name' | 'type' | 'objectUrl'>): void {
  const player = showPlayer(file);
  view.show(transcript, player);
  shown = { transcript, player };
  setCaptions(player, transcript, {});
  searchInput.disabled = false;
  searchInput.value = '';
  searchStatus.textContent = '';
  exportPanel.show({ transcript, sourceName: file.name, renames: () => view.speakerRenames });
}

// The live panel offers the transcribe form's languages (auto-detect first).
const liveLanguage = $<HTMLSelectElement>('#live-language');
liveLanguage.innerHTML = $<HTMLSelectElement>('#language-select').innerHTML;
createLivePanel(
  {
    start: $<HTMLButtonElement>('#live-start'),
    stop: $<HTMLButtonElement>('#live-stop'),
    language: liveLanguage,
    save: $<HTMLInputElement>('#live-save'),
    level: $<HTMLMeterElement>('#live-level'),
    list: $<HTMLOListElement>('#live-transcript'),
    status: $('#live-status'),
  },
  api,
  ({ transcript, file }: SavedSession) => present(transcript, file),
);

$<HTMLFormElement>('#transcribe-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const choices = form.choices();
  const file = form.selectedFile;
  if (!choices || !file) return;
  const request = buildTranscriptionRequest(choices);
  transcribeButton.disabled = true;
  const progress = startProgress(
    {
      bar: $<HTMLProgressElement>('#transcribe-progress'),
      status: $('#transcribe-status'),
      busy: $('#read-section'),
    },
    `${choices.task === 'translate' ? 'Translating' : 'Transcribing'} ${file.name}`,
  );
  try {
    // A job: its events give live progress, and a long file does not hang on one request.
    const answer = await transcribeAsJob(api, request, ({ fraction, detail }) =>
      progress.update(fraction, detail),
    );
    const transcript = parseTranscript(answer);
    present(transcript, file);
    progress.finish(
      `Done: ${transcript.segments.length} segment${transcript.segments.length === 1 ? '' : 's'}, ${transcript.language || 'language unknown'}`,
      'done',
    );
  } catch (error) {
    progress.finish(`Failed: ${(error as Error).message}`, 'failed');
  } finally {
    transcribeButton.disabled = false;
  }
});

searchInput.addEventListener('input', () => {
  const count = view.search(searchInput.value);
  searchStatus.textContent = searchInput.value.trim()
    ? `${count} matching line${count === 1 ? '' : 's'}`
    : '';
});
searchInput.addEventListener('keydown', (event) => {
  if (event.key === 'Enter') {
    event.preventDefault();
    view.focusNextMatch();
  }
});

void connect();
