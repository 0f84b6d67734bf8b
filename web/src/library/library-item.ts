import { formatClock } from '../transcript/clock.js';

/** A job as `GET /v1/jobs` lists it: the fields the library shows. */
export interface LibraryJob {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  created_at: number;
  task: 'transcribe' | 'translate';
  name: string | null;
  duration: number | null;
  speakers: string[];
  revisions: number;
  revision: number;
  progress: { processed_seconds: number; total_seconds: number | null; percent: number | null };
  error?: { message: string };
  result_deleted_at?: number;
  storage_url?: string;
  export_error?: string;
}

/** Where the job's result was copied to (or why that failed), as the export panel shows it. */
export function jobStorage(job: Pick<LibraryJob, 'storage_url' | 'export_error'>) {
  return {
    ...(job.storage_url ? { storage_url: job.storage_url } : {}),
    ...(job.export_error ? { export_error: job.export_error } : {}),
  };
}

export const isUnfinished = (job: Pick<LibraryJob, 'status'>) =>
  job.status === 'queued' || job.status === 'running';

/** Opening needs a transcript: a succeeded job whose result was not deleted. */
export const canOpen = (job: LibraryJob) => job.status === 'succeeded' && !job.result_deleted_at;

export function jobTitle(job: Pick<LibraryJob, 'name' | 'created_at' | 'task'>): string {
  if (job.name) return job.name;
  return `${job.task === 'translate' ? 'Translation' : 'Transcription'} of ${formatDate(job.created_at)}`;
}

/** A date people read: "3 Dec 2026, 14:05" in their own time zone (UTC when none is known). */
export function formatDate(unixSeconds: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(unixSeconds * 1000));
}

function statusText(job: LibraryJob): string {
  switch (job.status) {
    case 'queued':
      return 'waiting for a GPU';
    case 'running': {
      const { processed_seconds: done, total_seconds: total, percent } = job.progress;
      return percent !== null && total
        ? `transcribing: ${Math.round(percent)} % (${formatClock(done)} of ${formatClock(total)})`
        : `transcribing: ${formatClock(done)} so far`;
    }
    case 'succeeded':
      return job.result_deleted_at ? 'transcript deleted' : 'done';
    case 'failed':
      return `failed: ${job.error?.message ?? 'unknown error'}`;
    case 'cancelled':
      return 'cancelled';
  }
}

/** The line under a job's name: when, how long, how it stands, who speaks, how often it was edited. */
export function jobSummary(job: LibraryJob, timeZone?: string): string {
  const parts = [formatDate(job.created_at, timeZone)];
  if (job.duration !== null) parts.push(formatClock(job.duration));
  parts.push(statusText(job));
  if (job.speakers.length > 0)
    parts.push(`${job.speakers.length} speaker${job.speakers.length === 1 ? '' : 's'}`);
  if (job.revisions > 0) parts.push(`edited (revision ${job.revision})`);
  return parts.join(' · ');
}
