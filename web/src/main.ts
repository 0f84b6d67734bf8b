import './styles.css';
import { createApiClient, type ModelList } from './api/api-client.js';
import { bindKeyForm, showConnection, storedKey } from './api/api-key.js';
import { EditController } from './editor/edit-controller.js';
import { openSession } from './editor/edit-session.js';
import { FollowingCaptions, setCaptions } from './export/captions-track.js';
import { createExportPanel } from './export/export-panel.js';
import { jobStorage, jobTitle, type LibraryJob } from './library/library-item.js';
import { LibraryView } from './library/library-view.js';
import { createLivePanel, type SavedSession } from './live/live-panel.js';
import { TranscribeForm } from './transcribe/transcribe-form.js';
import { bindTranscribe } from './transcribe/transcribe-submit.js';
import { MediaPlayers, type PlayingJob } from './transcript/media-players.js';
import { SearchBox } from './transcript/search-box.js';
import type { Transcript } from './transcript/transcript.js';
import { TranscriptView } from './transcript/transcript-view.js';
import type { UploadedFile } from './upload/upload-panel.js';
import { createUploads } from './upload/upload-status.js';

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

const keyInput = $<HTMLInputElement>('#api-key');
keyInput.value = storedKey();
const api = createApiClient(() => keyInput.value);

const form = new TranscribeForm($<HTMLFormElement>('#transcribe-form'));
const players = new MediaPlayers(
  $<HTMLAudioElement>('#audio-player'),
  $<HTMLVideoElement>('#video-player'),
  $('#player-empty'),
  api,
);
const readerTitle = $('#reader-title');
const exportPanel = createExportPanel({
  downloads: $('#downloads'),
  copyFormat: $<HTMLSelectElement>('#copy-format'),
  copyButton: $<HTMLButtonElement>('#copy-button'),
  status: $('#export-status'),
  storage: $('#storage-url'),
});

/** The open job: where its audio plays from, and what its exports are named after. */
interface OpenJob extends PlayingJob {
  title: string;
  storage: Pick<Transcript, 'storage_url' | 'export_error'>;
}
let open: OpenJob | undefined;
const captions = new FollowingCaptions();
/** Opens can overlap (a click while the address's job loads): only the latest one shows. */
let opening = 0;

const view = new TranscriptView(
  { list: $<HTMLOListElement>('#transcript'), speakers: $('#speakers') },
  (renames) => controller.renameFromPanel(renames),
);
const search = new SearchBox($<HTMLInputElement>('#search'), $('#search-status'), view);
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
      captions.show(open, open.player, shown, names);
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

players.renewExpired(() => open);

/**
 * Opens a job beside its audio: its latest revision loaded for reading and editing, its audio from the
 * local file when it was just uploaded here, else streamed from R2.
 */
async function openJob(
  job: Pick<LibraryJob, 'id' | 'name' | 'created_at' | 'task' | 'storage_url' | 'export_error'>,
  localFile?: UploadedFile,
): Promise<void> {
  if (controller.dirty) {
    if (!window.confirm('The open transcript has unsaved changes. Open this one and lose them?')) {
      throw new Superseded('kept the unsaved changes');
    }
  }
  const ticket = ++opening;
  readerTitle.textContent = `Opening ${jobTitle(job)}…`;
  delete readerTitle.dataset.outcome;
  const session = await openSession(api, job.id);
  const audioUrl = localFile ? undefined : await players.remote(job.id);
  if (ticket !== opening) throw new Superseded('another transcript was opened meanwhile');
  const player = localFile ? players.showLocal(localFile) : audioUrl && players.showRemote(audioUrl);
  const title = localFile?.name ?? jobTitle(job);
  if (!player) {
    // The transcript can still be read and edited; there is just nothing to play.
    players.choose(false).removeAttribute('src');
  }
  open = {
    id: job.id,
    title,
    player: player ?? players.audio,
    remoteAudio: !localFile && player !== undefined,
    storage: jobStorage(job),
  };
  controller.open(session, open.player);
  const revision = session.revision;
  readerTitle.textContent = `${title}${revision ? ` · revision ${revision}` : ''}${player ? '' : ' · its audio is no longer stored'}`;
  search.reset();
  library.markOpen(job.id);
  history.replaceState(null, '', `${location.pathname}${location.search}#job=${job.id}`);
}

function closeJob(): void {
  open = undefined;
  controller.close();
  exportPanel.show(undefined);
  players.clear();
  readerTitle.textContent = '';
  search.disable();
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
    showConnection($('#api-key-status'), keyInput);
    await library.reset();
    await reopenFromAddress();
  } catch (error) {
    showConnection($('#api-key-status'), keyInput, error);
  }
}

bindKeyForm($<HTMLFormElement>('#api-key-form'), keyInput, () => void connect());

createUploads(
  { uploader: $('#uploader'), status: $('#upload-status'), speeds: $('#upload-speeds') },
  api,
  (file) => form.addFile(file),
);

/**
 * A live session's transcript beside its recording, to read and export like any other (it is not a
 * job, so there is no revision to save back to).
 */
function presentLive({ transcript, file }: SavedSession): void {
  closeJob();
  const player = players.choose(file.type.startsWith('video/'));
  player.src = file.objectUrl;
  view.show(transcript, player);
  setCaptions(player, transcript, {});
  readerTitle.textContent = file.name;
  search.reset();
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

bindTranscribe(
  {
    form: $<HTMLFormElement>('#transcribe-form'),
    button: $<HTMLButtonElement>('#transcribe-button'),
    bar: $<HTMLProgressElement>('#transcribe-progress'),
    status: $('#transcribe-status'),
    busy: $('#read-section'),
  },
  form,
  api,
  {
    listed: () => library.reset(),
    done: async (job, file) => {
      await openJob(job, file);
      void library.load();
    },
  },
);

void connect();
