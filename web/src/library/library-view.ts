import type { ApiClient } from '../api/api-client.js';
import { canOpen, isUnfinished, jobSummary, jobTitle, type LibraryJob } from './library-item.js';

interface JobPage {
  data: LibraryJob[];
  has_more: boolean;
  last_id: string | null;
}

export interface LibraryElements {
  list: HTMLUListElement;
  status: HTMLElement;
  newer: HTMLButtonElement;
  older: HTMLButtonElement;
  refresh: HTMLButtonElement;
}

/** How often the page looks again while one of its jobs is still running. */
const POLL_MS = 2000;
const PAGE_SIZE = 10;

/**
 * The caller's past jobs, newest first, a page at a time: open one beside its audio, delete one
 * (recording, transcript, edits), and watch running ones move (the page is fetched again every 2 s
 * while any of them runs).
 */
export class LibraryView {
  /** `after` cursors of the pages before the current one (undefined = the first page). */
  private cursors: Array<string | undefined> = [];
  private cursor: string | undefined;
  private jobs: LibraryJob[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private loading: Promise<void> | undefined;
  private openId: string | undefined;

  constructor(
    private readonly elements: LibraryElements,
    private readonly api: ApiClient,
    private readonly handlers: {
      open: (job: LibraryJob) => void;
      deleted: (id: string) => void;
    },
  ) {
    elements.refresh.addEventListener('click', () => void this.load());
    elements.older.addEventListener('click', () => {
      const last = this.jobs.at(-1)?.id;
      if (!last) return;
      this.cursors.push(this.cursor);
      this.cursor = last;
      void this.load(true);
    });
    elements.newer.addEventListener('click', () => {
      if (this.cursors.length === 0) return;
      this.cursor = this.cursors.pop();
      void this.load(true);
    });
  }

  /** The job shown in the reader, marked in the list. */
  markOpen(id: string | undefined): void {
    this.openId = id;
    for (const item of this.elements.list.querySelectorAll<HTMLElement>('[data-job]')) {
      if (item.dataset.job === id) item.setAttribute('aria-current', 'true');
      else item.removeAttribute('aria-current');
    }
  }

  /** Loads (or reloads) the current page; `focusFirst` moves focus into it (after paging). */
  async load(focusFirst = false): Promise<void> {
    if (this.loading) return this.loading;
    this.loading = this.fetchPage(focusFirst).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** Back to the newest page (after a new transcription, or another key). */
  async reset(): Promise<void> {
    this.cursors = [];
    this.cursor = undefined;
    await this.load();
  }

  private async fetchPage(focusFirst: boolean): Promise<void> {
    clearTimeout(this.timer);
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (this.cursor) query.set('after', this.cursor);
    let page: JobPage;
    try {
      page = await this.api.json<JobPage>(`/v1/jobs?${query}`);
    } catch (error) {
      this.elements.status.textContent = `Cannot load the library: ${(error as Error).message}`;
      this.elements.status.dataset.outcome = 'failed';
      return;
    }
    this.jobs = page.data;
    this.render();
    this.elements.older.disabled = !page.has_more;
    this.elements.newer.disabled = this.cursors.length === 0;
    const unfinished = this.jobs.filter(isUnfinished).length;
    this.elements.status.textContent =
      this.jobs.length === 0
        ? this.cursor
          ? 'No older transcripts.'
          : 'No transcripts yet: upload a file and transcribe it.'
        : `${this.jobs.length} transcript${this.jobs.length === 1 ? '' : 's'} on this page${unfinished ? `, ${unfinished} still running` : ''}.`;
    delete this.elements.status.dataset.outcome;
    if (focusFirst) this.elements.list.querySelector<HTMLButtonElement>('button')?.focus();
    if (unfinished > 0) this.timer = setTimeout(() => void this.load(), POLL_MS);
  }

  private render(): void {
    const focusedId = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-job]')
      ?.dataset.job;
    const focusedRole = (document.activeElement as HTMLElement | null)?.dataset.role;
    this.elements.list.replaceChildren(...this.jobs.map((job) => this.item(job)));
    this.markOpen(this.openId);
    // A refresh while someone tabs through the list keeps their place.
    if (focusedId && focusedRole) {
      this.elements.list
        .querySelector<HTMLElement>(`[data-job="${focusedId}"] [data-role="${focusedRole}"]`)
        ?.focus();
    }
  }

  private item(job: LibraryJob): HTMLLIElement {
    const item = document.createElement('li');
    item.className = 'library-item';
    item.dataset.job = job.id;
    item.dataset.status = job.status;
    const title = document.createElement('span');
    title.className = 'library-title';
    title.id = `title-${job.id}`;
    title.textContent = jobTitle(job);
    const summary = document.createElement('span');
    summary.className = 'library-summary';
    summary.textContent = jobSummary(job);
    const text = document.createElement('div');
    text.className = 'library-text';
    text.append(title, summary);
    if (isUnfinished(job)) {
      const bar = document.createElement('progress');
      bar.max = 1;
      if (job.progress.percent !== null) bar.value = job.progress.percent / 100;
      bar.setAttribute('aria-label', `Progress of ${jobTitle(job)}`);
      text.append(bar);
    }
    const actions = document.createElement('div');
    actions.className = 'library-actions';
    const open = this.button('Open', `Open ${jobTitle(job)}`, 'open');
    open.disabled = !canOpen(job);
    open.addEventListener('click', () => this.handlers.open(job));
    const remove = this.button('Delete', `Delete ${jobTitle(job)}`, 'delete');
    remove.addEventListener('click', () => this.confirmDelete(job, actions));
    actions.append(open, remove);
    item.append(text, actions);
    return item;
  }

  private button(text: string, label: string, role: string): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = text;
    button.setAttribute('aria-label', label);
    button.dataset.role = role;
    return button;
  }

  /** Deleting is for good (recording, transcript, every edit), so it asks once, in place. */
  private confirmDelete(job: LibraryJob, actions: HTMLElement): void {
    clearTimeout(this.timer);
    const question = document.createElement('span');
    question.className = 'library-question';
    question.textContent = 'Delete the recording, transcript and edits?';
    const yes = this.button('Delete for good', `Delete ${jobTitle(job)} for good`, 'confirm');
    yes.classList.add('danger');
    const no = this.button('Keep', `Keep ${jobTitle(job)}`, 'keep');
    no.addEventListener('click', () => void this.load());
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await this.api.request(`/v1/jobs/${job.id}?purge=true`, { method: 'DELETE' });
        this.elements.status.textContent = `Deleted ${jobTitle(job)}.`;
        this.handlers.deleted(job.id);
      } catch (error) {
        this.elements.status.textContent = `Could not delete ${jobTitle(job)}: ${(error as Error).message}`;
        this.elements.status.dataset.outcome = 'failed';
      }
      const status = this.elements.status.textContent;
      await this.load();
      this.elements.status.textContent = status;
      this.elements.list.querySelector<HTMLButtonElement>('button[data-role="open"]')?.focus();
    });
    actions.replaceChildren(question, yes, no);
    no.focus();
  }
}
