import type { ErrorBody, Segment, TranscriptionResult } from '@whisper-edge/shared';
import { doneEvent, segmentEvents, speakerSegmentEvents } from '../transcription/transcript-events.js';
import { JobObjectBase } from './job-object-base.js';
import { storedJobKeys } from './job-revisions.js';
import { deleteSegments, listSegments, putSegments } from './job-segments.js';
import {
  awaitCapacity,
  type BeginOutcome,
  claim,
  commitRevision,
  end,
  LEASE_MS,
  requeue,
  reserveRevision,
  storeResult,
  succeed,
  WATCHDOG_GRACE_MS,
} from './job-transitions.js';
import { isTerminal, type JobState, type ResultSummary, type RevisionInfo } from './job-types.js';

/**
 * One per job: its state, its finished segments, the live event streams of people watching it, and
 * webhook delivery (with retries on alarms). Every transition is checked here, so at-least-once queue
 * delivery cannot run a job twice at once or finish it twice.
 */
export class JobObject extends JobObjectBase {
  /** The transcript goes (stored result and its revisions, segments, text); the record stays, saying so. */
  async deleteResult(): Promise<JobState | undefined> {
    const state = await this.load();
    if (!state || !isTerminal(state.status)) return state;
    const keys = await storedJobKeys(this.env, state);
    if (keys.length > 0) await this.env.UPLOADS.delete(keys);
    await deleteSegments(this.ctx.storage);
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
    const reserved = reserveRevision(state, base);
    if ('revision' in reserved) await this.save(state);
    return reserved;
  }

  /** The stored edit becomes the latest (unless `base` moved meanwhile); answers revisions to delete. */
  async commitRevision(
    info: RevisionInfo,
    summary: ResultSummary,
    base?: number,
  ): Promise<{ state: JobState; dropped: number[] } | { conflict: number } | undefined> {
    const state = await this.load();
    if (!state?.result_key) return undefined;
    const committed = commitRevision(state, info, summary, base);
    if ('conflict' in committed) return committed;
    await this.save(state);
    return { state, dropped: committed.dropped };
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
    const outcome = claim(await this.load(), leaseId, Date.now(), gpu);
    if (outcome.action === 'finish') await this.save(outcome.state);
    if (outcome.action === 'run') {
      await this.settle(outcome.state);
      await this.ctx.storage.setAlarm(outcome.state.lease!.until + WATCHDOG_GRACE_MS);
    }
    return outcome;
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
    await putSegments(this.ctx.storage, update.segments);
    await this.settle(state, segmentEvents(update.segments));
    return { stop: false };
  }

  async resultStored(leaseId: string, key: string, result: TranscriptionResult): Promise<void> {
    const state = await this.load();
    if (!state || state.lease?.id !== leaseId) throw new Error('lost the job lease');
    storeResult(state, key, result);
    // Diarized segments (split at speaker changes, labelled) replace the streamed ones for replays.
    if (result.segments.some((s) => s.speaker)) {
      await deleteSegments(this.ctx.storage);
      await putSegments(this.ctx.storage, result.segments);
      this.watchers.broadcast(speakerSegmentEvents(result.segments));
    }
    await this.save(state);
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
    succeed(state);
    await this.settle(state, [doneEvent(state.text ?? '', state.progress.total_seconds ?? undefined)]);
    return state;
  }

  /** A failed attempt that will be retried: the job goes back to waiting. */
  async retryLater(leaseId: string, reason: string): Promise<void> {
    const state = await this.load();
    if (!state || state.lease?.id !== leaseId || isTerminal(state.status)) return;
    requeue(state, reason);
    await this.settle(state);
  }

  /**
   * No GPU capacity for this attempt (every service busy or down, or the key at its cap): the job goes
   * back to waiting and the attempt does not count, since nothing ran.
   */
  async waitForCapacity(leaseId: string, reason: string): Promise<number> {
    const state = await this.load();
    if (!state || state.lease?.id !== leaseId || isTerminal(state.status)) return 0;
    const waits = awaitCapacity(state, reason);
    await this.settle(state);
    return waits;
  }

  /** `unlessRunning`: a dead letter may be a duplicate delivery of a job that is still running fine. */
  async fail(error: ErrorBody['error'], unlessRunning = false): Promise<JobState | undefined> {
    const state = await this.load();
    if (!state || isTerminal(state.status)) return state;
    if (unlessRunning && state.lease && state.lease.until > Date.now()) return state;
    end(state, 'failed', error);
    await this.settle(state);
    return state;
  }

  async cancel(): Promise<JobState | undefined> {
    const state = await this.load();
    if (!state || isTerminal(state.status)) return state;
    end(state, 'cancelled');
    await this.settle(state);
    return state;
  }

  async segments(): Promise<Segment[]> {
    return listSegments(this.ctx.storage);
  }
}
