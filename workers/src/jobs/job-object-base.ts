import { DurableObject } from 'cloudflare:workers';
import { ApiError } from '@whisper-edge/shared';
import { edgeConfig } from '../config.js';
import { requestClipKeys } from '../speakers/known-speaker-fields.js';
import { doneEvent, segmentEvents } from '../transcription/transcript-events.js';
import { jobEvent } from './job-events.js';
import { storedJobKeys } from './job-revisions.js';
import { listSegments } from './job-segments.js';
import { WATCHDOG_GRACE_MS } from './job-transitions.js';
import { isTerminal, type JobState, publicJob } from './job-types.js';
import { JobWatchers } from './job-watchers.js';
import { recoverLapsed } from './lapsed-attempt.js';
import { tenantJobs } from './tenant-jobs-object.js';
import { deliverWebhook } from './webhook.js';

/**
 * What a job object does besides its transitions (job-object.ts): its stored state, telling watchers
 * of every change (GET …/events), and its alarm: the watchdog, webhook delivery and expiry.
 */
export abstract class JobObjectBase extends DurableObject<Cloudflare.Env> {
  protected readonly watchers = new JobWatchers();

  protected async load(): Promise<JobState | undefined> {
    return this.ctx.storage.get<JobState>('state');
  }

  protected async save(state: JobState): Promise<void> {
    await this.ctx.storage.put('state', state);
  }

  protected async settle(state: JobState, extra: unknown[] = []): Promise<void> {
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

  /** GET …/events: everything so far, then live events until the job ends. */
  override async fetch(): Promise<Response> {
    const state = await this.load();
    if (!state) throw new ApiError(404, 'Job not found', { code: 'job_not_found' });
    const replay = [jobEvent(publicJob(state)), ...segmentEvents(await listSegments(this.ctx.storage))];
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
