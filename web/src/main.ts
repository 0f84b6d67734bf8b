import './styles.css';
import type { TranscriptionResult } from '@whisper-edge/shared';
import { ApiRequestError, createApiClient, type ModelList } from './api/api-client.js';
import { EditController } from './editor/edit-controller.js';
import { EditSession } from './editor/edit-session.js';
import { setCaptions } from './export/captions-track.js';
import { createExportPanel } from './export/export-panel.js';
import { jobTitle, type LibraryJob } from './library/library-item.js';
import { LibraryView } from './library/library-view.js';
import { createLivePanel, type SavedSession } from './live/live-panel.js';
import { startProgress } from './transcribe/progress.js';
import { type JobDocument, transcribeAsJob } from './transcribe/run-job.js';
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
const readerTitle = $('#reader-title');
const searchInput = $<HTMLInputElement>('#search');
const searchStatus = $('#search-status');
const exportPanel = createExportPanel({
  downloads: $('#downloads'),
  copyFormat: $<HTMLSelectElement>('#copy-format'),
  copyButton: $<HTMLButtonElement>('#copy-button'),
  status: $('#export-status'),
  storage: $('#storage-url'),
});

/** The open job: where its audio plays from, and what its exports are named after. */
interface OpenJob {
  id: string;
  title: string;
  player: HTMLMediaElement;
  /** A signed URL from the API (not the local file): asked for again when it lapses. */
  remoteAudio: boolean;
  storage: Pick<Transcript, 'storage_url' | 'export_error'>;
}
let open: OpenJob | undefined;
let captionsTimer: ReturnType<typeof setTimeout> | undefined;
let captionsFor: OpenJob | undefined;
/** Opens can overlap (a click while the address's job loads): only the latest one shows. */
let opening = 0;

const view = new TranscriptView(
  { list: $<HTMLOListElement>('#transcript'), speakers: $('#speakers') },
  (renames) => controller.renameFromPanel(renames),
);
const controller = new EditController(
  {
    readSection: $('#read-section'),
    tools: $('#edit-tools'),
    editorList: $<HTMLOListElement>('#editor'),
    readerList: $<HTMLOListElement>('#transcript'),
    search: $('.search'),
    toggle: $<HTMLButtonElement>('#edit-toggle'),
    undo: $<HTMLButtonElement>('#undo-button'),
    redo: $<HTMLButtonElement>('#redo-button'),
    save: $<HTMLButtonElement>('#save-button'),
    uncertain: $<HTMLButtonElement>('#uncertain-button'),
    status: $('#edit-status'),
    rate: $('#playback-rate'),
    shortcuts: $('#shortcut-list'),
  },
  api,
  view,
  {
    changed: (transcript, names) => {
      if (!open) return;
      const shown = { ...transcript, ...open.storage };
      exportPanel.show({ transcript: shown, sourceName: open.title, renames: () => ({ ...names }) });
      // Captions come at once for a newly opened job, then again once typing pauses (not every key).
      clearTimeout(captionsTimer);
      const player = open.player;
      if (captionsFor !== open) {
        captionsFor = open;
        setCaptions(player, shown, names);
      } else {
        captionsTimer = setTimeout(() => setCaptions(player, shown, names), 400);
      }
    },
    saved: (id, revision) => {
      if (open?.id === id) readerTitle.textContent = `${open.title} · revision ${revision}`;
      void library.load();
    },
  },
);

const library = new LibraryView(
  {
    list: $<HTMLUListElement>('#library-list'),
    status: $('#library-status'),
    newer: $<HTMLButtonElement>('#library-newer'),
    older: $<HTMLButtonElement>('#library-older'),
    refresh: $<HTMLButtonElement>('#library-refresh'),
  },
  api,
  {
    open: (job) => void openJob(job).catch((error: Error) => showOpenError(error)),
    deleted: (id) => {
      if (controller.jobId === id) closeJob();
    },
  },
);

/** An open that a later one overtook: nothing to report. */
class Superseded extends Error {}

function showOpenError(error: Error): void {
  if (error instanceof Superseded) return;
  readerTitle.textContent = `Could not open it: ${error.message}`;
  readerTitle.dataset.outcome = 'failed';
}

function choosePlayer(isVideo: boolean): HTMLMediaElement {
  const [shown, other] = isVideo ? [video, audio] : [audio, video];
  other.pause();
  other.hidden = true;
  shown.hidden = false;
  $('#player-empty').hidden = true;
  return shown;
}

function showLocalFile(file: UploadedFile): HTMLMediaElement {
  const player = choosePlayer(file.type.startsWith('video/'));
  if (player.src !== file.objectUrl) player.src = file.objectUrl;
  return player;
}

interface JobAudio {
  url: string;
  content_type: string | null;
}

/** The job's audio's short-lived URL from R2; undefined when it is not stored (any more). */
async function remoteAudio(jobId: string): Promise<JobAudio | undefined> {
  return api.json<JobAudio>(`/v1/jobs/${jobId}/audio`).catch((error: unknown) => {
    if (error instanceof ApiRequestError && error.status === 404) return undefined;
    throw error;
  });
}

function showRemote(found: JobAudio): HTMLMediaElement {
  const player = choosePlayer(found.content_type?.startsWith('video/') ?? false);
  player.src = found.url;
  return player;
}

// An expired audio URL: a new one, picking up where playback was.
for (const player of [audio, video]) {
  player.addEventListener('error', async () => {
    const job = open;
    if (!job?.remoteAudio || job.player !== player || player.error?.code !== MediaError.MEDIA_ERR_NETWORK)
      return;
    const at = player.currentTime;
    const wasPlaying = !player.paused;
    const found = await remoteAudio(job.id);
    if (!found || open !== job) return;
    player.src = found.url;
    player.currentTime = at;
    if (wasPlaying) void player.play().catch(() => undefined);
  });
}

/**
 * Opens a job beside its audio: its latest revision loaded for reading and editing, its audio from the
 * local file when it was just uploaded here, else streamed from R2.
 */
async function openJob(
  job: Pick<LibraryJob, 'id' | 'name' | 'created_at' | 'task' | 'storage_url' | 'export_error'>,
  localFile?: UploadedFile,
): Promise<Transcript> {
  if (controller.dirty) {
    if (!window.confirm('The open transcript has unsaved changes. Open this one and lose them?')) {
      throw new Superseded('kept the unsaved changes');
    }
  }
  const ticket = ++opening;
  readerTitle.textContent = `Opening ${jobTitle(job)}…`;
  delete readerTitle.dataset.outcome;
  const response = await api.request(`/v1/jobs/${job.id}/result/revisions/latest`);
  const revision = Number(response.headers.get('x-result-revision') ?? 0);
  const result = (await response.json()) as TranscriptionResult;
  const audioUrl = localFile ? undefined : await remoteAudio(job.id);
  if (ticket !== opening) throw new Superseded('another transcript was opened meanwhile');
  const player = localFile ? showLocalFile(localFile) : audioUrl && showRemote(audioUrl);
  const title = localFile?.name ?? jobTitle(job);
  if (!player) {
    // The transcript can still be read and edited; there is just nothing to play.
    choosePlayer(false).removeAttribute('src');
  }
  open = {
    id: job.id,
    title,
    player: player ?? audio,
    remoteAudio: !localFile && player !== undefined,
    storage: {
      ...(job.storage_url ? { storage_url: job.storage_url } : {}),
      ...(job.export_error ? { export_error: job.export_error } : {}),
    },
  };
  controller.open(new EditSession(job.id, result, revision), open.player);
  readerTitle.textContent = `${title}${revision ? ` · revision ${revision}` : ''}${player ? '' : ' · its audio is no longer stored'}`;
  searchInput.disabled = false;
  searchInput.value = '';
  searchStatus.textContent = '';
  library.markOpen(job.id);
  history.replaceState(null, '', `${location.pathname}${location.search}#job=${job.id}`);
  return parseTranscript(result);
}

function closeJob(): void {
  open = undefined;
  controller.close();
  exportPanel.show(undefined);
  for (const player of [audio, video]) {
    player.pause();
    player.removeAttribute('src');
    player.hidden = true;
  }
  $('#player-empty').hidden = false;
  readerTitle.textContent = '';
  searchInput.disabled = true;
  library.markOpen(undefined);
  history.replaceState(null, '', `${location.pathname}${location.search}`);
}

/** After a reload, the job the address names opens again. */
async function reopenFromAddress(): Promise<void> {
  const id = /^#job=(job_[0-9a-f]{32})$/.exec(location.hash)?.[1];
  if (!id || open || opening > 0) return;
  const job = await api.json<LibraryJob>(`/v1/jobs/${id}`).catch(() => undefined);
  if (job) await openJob(job).catch((error: Error) => showOpenError(error));
}

/** Checks the key (or its absence) against the API, and fills the model list while at it. */
async function connect(): Promise<void> {
  try {
    const models = await api.json<ModelList>('/v1/models');
    form.setModels(models.data.map((m) => m.id));
    keyStatus.textContent = keyInput.value.trim()
      ? 'Key accepted. Kept in this browser only.'
      : 'Connected. This deployment needs no key.';
    keyStatus.dataset.outcome = 'done';
    await library.reset();
    await reopenFromAddress();
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

const transcribeButton = $<HTMLButtonElement>('#transcribe-button');

/**
 * A live session's transcript beside its recording, to read and export like any other (it is not a
 * job, so there is no revision to save back to).
 */
function presentLive({ transcript, file }: SavedSession): void {
  closeJob();
  const player = choosePlayer(file.type.startsWith('video/'));
  player.src = file.objectUrl;
  view.show(transcript, player);
  setCaptions(player, transcript, {});
  readerTitle.textContent = file.name;
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
  presentLive,
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
  // The library names the job after the file, and shows it running.
  const named = (job: JobDocument) =>
    api
      .request(`/v1/jobs/${job.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: file.name }),
      })
      .then(() => library.reset())
      .catch(() => undefined);
  try {
    // A job: its events give live progress, and a long file does not hang on one request.
    const { job, result } = await transcribeAsJob(
      api,
      request,
      ({ fraction, detail }) => progress.update(fraction, detail),
      (submitted) => void named(submitted),
    );
    const answer = parseTranscript(result);
    await openJob(
      {
        id: job.id,
        name: file.name,
        created_at: Math.floor(Date.now() / 1000),
        task: choices.task,
        ...(job.storage_url ? { storage_url: job.storage_url } : {}),
        ...(job.export_error ? { export_error: job.export_error } : {}),
      },
      file,
    );
    void library.load();
    progress.finish(
      `Done: ${answer.segments.length} segment${answer.segments.length === 1 ? '' : 's'}, ${answer.language || 'language unknown'}`,
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
