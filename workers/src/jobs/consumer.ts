import { ApiError } from '@whisper-edge/shared';
import { withLogContext } from '@whisper-edge/shared/logging';
import { edgeConfig } from '../config.js';
import type { Bindings } from '../env.js';
import { GpuCapacityError } from '../gpu/with-gpu.js';
import { log } from '../http/log.js';
import type { JobMessage, JobState } from './job-types.js';
import { AttemptStopped, isPermanent, jobStub, runJob } from './run-job.js';

/** Backoff between attempts of a job whose GPU service failed: 5 s, 10 s, 20 s … */
export function retryDelaySeconds(attempts: number, baseSeconds: number): number {
  return Math.min(600, baseSeconds * 2 ** Math.max(0, attempts - 1));
}

/** How long a job may wait for GPU capacity before its waits count as failed attempts. */
const MAX_CAPACITY_WAIT_MS = 24 * 3600_000;

/** Waits grow from the GPU's Retry-After to a minute, so a backlog does not poll the pool every second. */
export function capacityDelaySeconds(waits: number, retryAfter: number): number {
  return Math.min(60, Math.max(1, retryAfter) * 2 ** Math.min(6, Math.max(0, waits - 1)));
}

/**
 * Nothing ran: put the job back with a fresh message (a queue retry would spend one of max_retries).
 * Returns false when the job should be treated as failed instead (waited too long, or the queue refused).
 */
async function waitForCapacity(
  env: Bindings,
  message: Message<JobMessage>,
  state: JobState,
  leaseId: string,
  error: GpuCapacityError,
): Promise<boolean> {
  if (Date.now() - state.created_at > MAX_CAPACITY_WAIT_MS) return false;
  const job = jobStub(env, message.body.job_id);
  const waits = await job.waitForCapacity(leaseId, error.message);
  // The job was cancelled or taken over meanwhile: nothing to put back.
  if (waits === 0) {
    message.ack();
    return true;
  }
  const delaySeconds = capacityDelaySeconds(waits, error.retryAfter ?? 5);
  try {
    await env.JOBS_QUEUE.send({ job_id: message.body.job_id }, { delaySeconds });
  } catch {
    return false;
  }
  message.ack();
  return true;
}

async function handle(message: Message<JobMessage>, env: Bindings): Promise<void> {
  const job = jobStub(env, message.body.job_id);
  const leaseId = crypto.randomUUID();
  const begun = await job.begin(leaseId);
  if (begun.action === 'skip') return message.ack();
  // Another delivery of the same message is running it: look again once its lease could have lapsed.
  if (begun.action === 'busy' || !begun.state) return message.retry({ delaySeconds: 30 });
  const { state, action } = begun;
  // The attempt runs under the submitting request's id: its GPU calls send it, its log lines carry it.
  const context = { job_id: state.id, ...(state.spec.requestId ? { request_id: state.spec.requestId } : {}) };
  await withLogContext(context, () => attempt(message, env, state, action, leaseId));
}

async function attempt(
  message: Message<JobMessage>,
  env: Bindings,
  state: JobState,
  action: 'run' | 'finish',
  leaseId: string,
): Promise<void> {
  const job = jobStub(env, message.body.job_id);
  try {
    await runJob(env, state, leaseId, action);
    message.ack();
  } catch (error) {
    if (error instanceof AttemptStopped) return message.ack();
    if (error instanceof GpuCapacityError && (await waitForCapacity(env, message, state, leaseId, error)))
      return;
    if (isPermanent(error)) {
      await job.fail(error.toBody().error);
      return message.ack();
    }
    const reason = error instanceof ApiError ? error.message : `internal error: ${(error as Error).message}`;
    const delaySeconds = retryDelaySeconds(message.attempts, edgeConfig(env).jobRetryBaseSeconds);
    // Operators see why work is repeated; the caller sees it as the job's last_error.
    log.warn('job attempt failed; retrying', {
      attempt: message.attempts,
      reason,
      retry_in_seconds: delaySeconds,
    });
    await job.retryLater(leaseId, reason);
    message.retry({ delaySeconds });
  }
}

/** The jobs queue: each message is one job, handled concurrently with the rest of its batch. */
export async function consumeJobs(batch: MessageBatch<JobMessage>, env: Bindings): Promise<void> {
  await Promise.all(batch.messages.map((message) => handle(message, env)));
}

/** The dead-letter queue: jobs whose retries ran out end failed with their last error. */
export async function consumeDeadJobs(batch: MessageBatch<JobMessage>, env: Bindings): Promise<void> {
  for (const message of batch.messages) {
    const job = jobStub(env, message.body.job_id);
    const state = await job.get();
    await job.fail(
      {
        message: `The job failed after ${state?.attempts ?? message.attempts} attempts: ${state?.last_error ?? 'unknown error'}`,
        type: 'server_error',
        code: 'job_retries_exhausted',
        param: null,
      },
      true,
    );
    message.ack();
  }
}
