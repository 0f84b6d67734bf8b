import type { ApiClient } from '../api/api-client.js';
import { sseEvents } from '../api/sse.js';
import type { TranscriptionRequest } from './transcription-request.js';

export interface JobDocument {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress?: { processed_seconds: number; total_seconds: number | null; percent: number | null };
  storage_url?: string;
  export_error?: string;
  error?: { message: string };
  name?: string | null;
}

export interface JobProgress {
  /** 0–1 when the input's length is known, else undefined. */
  fraction: number | undefined;
  detail: string;
}

const terminal = (status: JobDocument['status']) =>
  status === 'succeeded' || status === 'failed' || status === 'cancelled';

function progressOf(job: JobDocument, text: string): JobProgress {
  const p = job.progress;
  const fraction = p?.percent !== null && p?.percent !== undefined ? p.percent / 100 : undefined;
  const seconds = p
    ? `${Math.round(p.processed_seconds)}${p.total_seconds ? ` of ${Math.round(p.total_seconds)}` : ''} s`
    : '';
  const status = job.status === 'queued' ? 'waiting for a GPU' : seconds;
  const words = text.trim().split(/\s+/).filter(Boolean).length;
  return { fraction, detail: [status, words ? `${words} words so far` : ''].filter(Boolean).join(' · ') };
}

/**
 * Runs a transcription as a job (`async=true`) and follows its live events: progress from
 * `job.progress`, text from `transcript.text.delta`. The events stream may end early (a restarted
 * edge); then the job is polled until it finishes. Resolves with the finished job and its result
 * (with the job's export info).
 */
export async function transcribeAsJob(
  api: ApiClient,
  request: TranscriptionRequest,
  onProgress: (progress: JobProgress) => void,
  onSubmitted: (job: JobDocument) => void = () => {},
): Promise<{ job: JobDocument; result: Record<string, unknown> }> {
  const submitted = await api.json<JobDocument>(request.path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...request.body, async: true }),
  });
  onSubmitted(submitted);
  let job = submitted;
  let text = '';
  const events = await api.request(`/v1/jobs/${job.id}/events`);
  for await (const event of sseEvents(events.body!)) {
    if (event.type === 'transcript.text.delta') text += String(event.delta ?? '');
    if (typeof event.job === 'object' && event.job !== null) job = event.job as JobDocument;
    onProgress(progressOf(job, text));
    if (terminal(job.status)) break;
  }
  while (!terminal(job.status)) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    job = await api.json<JobDocument>(`/v1/jobs/${job.id}`);
    onProgress(progressOf(job, text));
  }
  if (job.status !== 'succeeded') throw new Error(job.error?.message ?? `the job was ${job.status}`);
  const result = await api.json<Record<string, unknown>>(`/v1/jobs/${job.id}/result`);
  return {
    job,
    result: {
      ...result,
      ...(job.storage_url ? { storage_url: job.storage_url } : {}),
      ...(job.export_error ? { export_error: job.export_error } : {}),
    },
  };
}
