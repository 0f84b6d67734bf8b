import type { ApiClient } from '../api/api-client.js';
import { sseEvents } from '../api/sse-events.js';
import { Interrupted } from '../errors/cli-error.js';
import { isTerminal, type JobDocument } from './job-document.js';

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new Interrupted());
      },
      { once: true },
    );
  });

/**
 * Follows a job to its end through `GET /v1/jobs/{id}/events` (each event carries the job document);
 * when the stream ends early (a restarted edge, a proxy's timeout) it polls the job instead.
 */
export async function followJob(
  api: ApiClient,
  id: string,
  onUpdate: (job: JobDocument) => void,
  pollMs = 1000,
): Promise<JobDocument> {
  let job = await api.json<JobDocument>(`/v1/jobs/${id}`, { what: 'get the job' });
  onUpdate(job);
  if (isTerminal(job.status)) return job;
  try {
    const events = await api.request(`/v1/jobs/${id}/events`, {
      headers: { accept: 'text/event-stream' },
      what: 'follow the job',
    });
    for await (const event of sseEvents(events.body!)) {
      if (typeof event.job === 'object' && event.job !== null) {
        job = event.job as JobDocument;
        onUpdate(job);
        if (isTerminal(job.status)) return job;
      }
    }
  } catch (error) {
    if (error instanceof Interrupted || api.signal.aborted) throw new Interrupted();
    // The events stream broke: the job goes on, and polling sees it through.
  }
  while (!isTerminal(job.status)) {
    await sleep(pollMs, api.signal);
    job = await api.json<JobDocument>(`/v1/jobs/${id}`, { what: 'get the job' });
    onUpdate(job);
  }
  return job;
}
