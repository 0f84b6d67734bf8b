import { DurableObject } from 'cloudflare:workers';
import { ApiError, type ErrorBody, type Segment, type TranscriptionResult } from '@whisper-edge/shared';
import { edgeConfig } from '../config.js';
import { requestClipKeys } from '../speakers/known-speaker-fields.js';
import { doneEvent, segmentEvents, speakerSegmentEvents } from '../transcription/transcript-events.js';
import { jobEvent } from './job-events.js';
import { storedJobKeys, summarize, withRevision } from './job-revisions.js';
import { isTerminal, type JobState, publicJob, type ResultSummary, type RevisionInfo } from './job-types.js';
import { JobWatchers } from './job-watchers.js';
import { recoverLapsed } from './lapsed-attempt.js';
import { tenantJobs } from './tenant-jobs-object.js';
import { deliverWebhook } from './webhook.js';

/** A running attempt must show signs of life this often, or a redelivery may take the job over. */
const LEASE_MS = 90_000;
/** The watchdog looks this long after a lease would lapse, so a slow heartbeat is not a death. */
const WATCHDOG_GRACE_MS = 30_000;

export type BeginOutcome =
  | { action: 'run' | 'finish'; state: JobState }
  | { action: 'skip' | 'busy'; state: JobState | undefined };

/**
 * One per job: its state, its finished segments, the live event streams of people watching it, and
 * webhook delivery (with retries on alarms). Every transition is checked here, so at-least-once queue
 * delivery cannot run a job twice at once or finish it twice.
 */
export class JobObject extends DurableObject<Cloudflare.Env> {
  private readonly watchers = new JobWatchers();

  private async load(): Promise<JobState | undefined> {
    return this.ctx.storage.get<JobState>('state');
  }

  private async save(state: JobState): Promise<void> {
    await this.ctx.storage.put('state', state);
  }

  private async settle(state: JobState, extra: unknown[] = []): Promise<void> {
    await this.save(state);
    this.watchers.broadcast([...extra, jobEvent(publicJob(state))]);
    if (isTerminal(state.status)) {
      this.watchers.closeAll();
      if (state.webhook?.status === 'pending') await this.ctx.storage.setAlarm(Date.now());
      else await this.expireLater(state);
    }
  }

  /** After JOB_RETENTION_SECONDS a finished job goes: its record, keys, stored result, owned audio. */
  private async expireLater(state: JobState): Promise<void> {
    const retention = edgeConfig(this.env).jobRetentionSeconds;
    if (!retention) return;
    const at = (state.completed_at ?? Date.now()) + retention * 1000;
    if (Date.now() < at) return this.ctx.storage.setAlarm(at);
    const keys = [
      ...(await storedJobKeys(this.env, state)),
      state.spec.ownsAudio ? state.spec.fields.storage_key : undefined,
      ...requestClipKeys(state.spec.fields),
    ];
    await this.env.UPLOADS.delete(keys.filter((k): k is string => k !== undefined));
    await tenantJobs(this.env, { id: state.tenant }).release(state.id);
    await this.ctx.storage.deleteAll();
  }

  /** The transcript goes (stored result and its revisions, segments, text); the record stays, saying so. */
  async deleteResult(): Promise<JobState | undefined> {
    const state = await this.load();
    if (!state || !isTerminal(state.status)) return state;
    const keys = await storedJobKeys(this.env, state);
    if (keys.length > 0) await this.env.UPLOADS.delete(keys);
    await this.ctx.storage.delete([...(await this.ctx.storage.list({ prefix: 'seg:' })).keys()]);
    delete state.result_key;
    delete state.text;
    delete state.revisions;
    state.result_deleted_at ??= Date.now();
    await this.save(state);
    return state;
  }

  /** Forgets the job entirely (its stored objects are the caller's to delete first). */
  async purge(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.watchers.closeAll();
  }

  async rename(name: string | null): Promise<JobState | undefined> {
    const state = await this.load();
    if (!state) return undefined;
    if (name === null) delete state.name;
    else state.name = name;
    await this.save(state);
    return state;
  }

  /**
   * A number for an edit about to be stored. Storage calls close the object's input gate, so two saves
   * racing never get the same number; `base` (the revision the editor started from) must still be the
   * latest, or the save would silently undo someone else's.
   */
  async reserveRevision(base?: number): Promise<{ revision: number } | { conflict: number } | undefined> {
    const state = await this.load();
    if (!state?.result_key) return undefined;
    const latest = state.revisions?.at(-1)?.revision ?? 0;
    if (base !== undefined && base !== latest) return { conflict: latest };
    const revision = state.next_revision ?? 1;
    state.next_revision = revision + 1;
    await this.save(state);
    return { revision };
  }

  /** The stored edit becomes the latest (unless `base` moved meanwhile); answers revisions to delete. */
  async commitRevision(
    info: RevisionInfo,
    summary: ResultSummary,
    base?: number,
  ): Promise<{ state: JobState; dropped: number[] } | { conflict: number } | undefined> {
    const state = await this.load();
    if (!state?.result_key) return undefined;
    const latest = state.revisions?.at(-1)?.revision ?? 0;
    if (base !== undefined && base !== latest) return { conflict: latest };
    const { kept, dropped } = withRevision(state.revisions ?? [], info);
    state.revisions = kept;
    if (kept.at(-1)?.revision === info.revision) state.summary = summary;
    await this.save(state);
    return { state, dropped };
  }

  async init(state: JobState): Promise<JobState> {
    const existing = await this.load();
    if (existing) return existing;
    await this.save(state);
    return state;
  }

  async get(): Promise<JobState | undefined> {
    return this.load();
  }

  /** Claims the job for one delivery of its queue message. */
  async begin(leaseId: string, gpu?: string): Promise<BeginOutcome> {
    const state = await this.load();
    if (!state || isTerminal(state.status)) return { action: 'skip', state };
    const now = Date.now();
    if (state.lease && state.lease.id !== leaseId && state.lease.until > now)
      return { action: 'busy', state };
    state.lease = { id: leaseId, until: now + LEASE_MS };
    if (state.result_key) {
      await this.save(state);
      return { action: 'finish', state };
    }
    state.status = 'running';
    state.attempts += 1;
    state.started_at ??= now;
    if (gpu) state.gpu = gpu;
    await this.settle(state);
    await this.ctx.storage.setAlarm(state.lease.until + WATCHDOG_GRACE_MS);
    return { action: 'run', state };
  }

  /** Progress from the running attempt; tells it to stop when the job was cancelled or taken over. */
  async progress(
    leaseId: string,
    update?: { processed_seconds: number; total_seconds: number | null; segments: Segment[] },
  ): Promise<{ stop: boolean }> {
    const state = await this.load();
    if (!state || state.lease?.id !== leaseId || isTerminal(state.status)) return { stop: true };
    state.lease.until = Date.now() + LEASE_MS;
    if (!update) {
      await this.save(state);
      return { stop: false };
    }
    state.progress = { processed_seconds: update.processed_seconds, total_seconds: update.total_seconds };
    // Segments of an attempt replace those of an earlier, failed one: keyed by segment id.
    await this.putSegments(update.segments);
    await this.settle(state, segmentEvents(update.segments));
    return { stop: false };
  }

  async resultStored(leaseId: string, key: string, result: TranscriptionResult): Promise<void> {
    const state = await this.load();
    if (!state || state.lease?.id !== leaseId) throw new Error('lost the job lease');
    state.result_key = key;
    state.text = result.text;
    state.summary = summarize(result);
    state.progress = { processed_seconds: result.duration, total_seconds: result.duration };
    // Diarized segments (split at speaker changes, labelled) replace the streamed ones for replays.
    if (result.segments.some((s) => s.speaker)) {
      await this.ctx.storage.delete([...(await this.ctx.storage.list({ prefix: 'seg:' })).keys()]);
      await this.putSegments(result.segments);
      this.watchers.broadcast(speakerSegmentEvents(result.segments));
    }
    await this.save(state);
  }

  /** Segments under ordered keys, in the storage API's batches of at most 128 keys. */
  private async putSegments(segments: readonly Segment[]): Promise<void> {
    for (let i = 0; i < segments.length; i += 128) {
      const entries: Record<string, Segment> = {};
      for (const segment of segments.slice(i, i + 128))
        entries[`seg:${String(segment.id).padStart(8, '0')}`] = segment;
      await this.ctx.storage.put(entries);
    }
  }

  async exported(leaseId: string, outcome: { ok: true } | { ok: false; error: string }): Promise<void> {
    const state = await this.load();
    if (!state || state.lease?.id !== leaseId) throw new Error('lost the job lease');
    if (outcome.ok) state.export_done = true;
    else state.export_error = outcome.error;
    await this.save(state);
  }

  async complete(leaseId: string): Promise<JobState | undefined> {
    const state = await this.load();
    if (!state || state.lease?.id !== leaseId || isTerminal(state.status)) return state;
    state.status = 'succeeded';
    state.completed_at = Date.now();
    delete state.lease;
    delete state.last_error;
    await this.settle(state, [doneEvent(state.text ?? '', state.progress.total_seconds ?? undefined)]);
    return state;
  }

  /** A failed attempt that will be retried: the job goes back to waiting. */
  async retryLater(leaseId: string, reason: string): Promise<void> {
    const state = await this.load();
    if (!state || state.lease?.id !== leaseId || isTerminal(state.status)) return;
    state.status = 'queued';
    state.last_error = reason;
    delete state.lease;
    await this.settle(state);
  }

  /**
   * No GPU capacity for this attempt (every service busy or down, or the key at its cap): the job goes
   * back to waiting and the attempt does not count, since nothing ran.
   */
  async waitForCapacity(leaseId: string, reason: string): Promise<number> {
    const state = await this.load();
    if (!state || state.lease?.id !== leaseId || isTerminal(state.status)) return 0;
    state.status = 'queued';
    state.attempts = Math.max(0, state.attempts - 1);
    state.waits = (state.waits ?? 0) + 1;
    state.last_error = reason;
    delete state.lease;
    await this.settle(state);
    return state.waits;
  }

  /** `unlessRunning`: a dead letter may be a duplicate delivery of a job that is still running fine. */
  async fail(error: ErrorBody['error'], unlessRunning = false): Promise<JobState | undefined> {
    const state = await this.load();
    if (!state || isTerminal(state.status)) return state;
    if (unlessRunning && state.lease && state.lease.until > Date.now()) return state;
    state.status = 'failed';
    state.error = error;
    state.completed_at = Date.now();
    delete state.lease;
    await this.settle(state);
    return state;
  }

  async cancel(): Promise<JobState | undefined> {
    const state = await this.load();
    if (!state || isTerminal(state.status)) return state;
    state.status = 'cancelled';
    state.completed_at = Date.now();
    delete state.lease;
    await this.settle(state);
    return state;
  }

  async segments(): Promise<Segment[]> {
    return [...(await this.ctx.storage.list<Segment>({ prefix: 'seg:' })).values()];
  }

  /** GET …/events: everything so far, then live events until the job ends. */
  override async fetch(): Promise<Response> {
    const state = await this.load();
    if (!state) throw new ApiError(404, 'Job not found', { code: 'job_not_found' });
    const replay = [jobEvent(publicJob(state)), ...segmentEvents(await this.segments())];
    if (state.status === 'succeeded')
      replay.push(doneEvent(state.text ?? '', state.progress.total_seconds ?? undefined));
    return this.watchers.open(replay, isTerminal(state.status));
  }

  /**
   * Three duties on one alarm. While the job runs, a watchdog: an attempt whose lease lapsed (its
   * consumer died without a word) is put back on the queue, or failed once attempts are used up, so no
   * job stays `running` forever. Once it is finished, webhook delivery with backoff, then expiry.
   */
  override async alarm(): Promise<void> {
    const state = await this.load();
    if (!state) return;
    if (!isTerminal(state.status)) return this.watch(state);
    if (state.webhook?.status === 'pending') {
      const retryInMs = await deliverWebhook(state, edgeConfig(this.env).webhook);
      await this.save(state);
      if (retryInMs !== undefined) return this.ctx.storage.setAlarm(Date.now() + retryInMs);
    }
    await this.expireLater(state);
  }

  private async watch(state: JobState): Promise<void> {
    if (state.status !== 'running' || !state.lease) return;
    if (state.lease.until > Date.now()) {
      await this.ctx.storage.setAlarm(state.lease.until + WATCHDOG_GRACE_MS);
      return;
    }
    const outcome = recoverLapsed(state, Date.now());
    await this.settle(state);
    if (outcome === 'requeue') await this.env.JOBS_QUEUE.send({ job_id: state.id });
  }
}
