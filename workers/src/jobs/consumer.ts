import { ApiError } from '@whisper-edge/shared';
import { edgeConfig } from '../config.js';
import type { Bindings } from '../env.js';
import type { JobMessage } from './job-types.js';
import { AttemptStopped, isPermanent, jobStub, runJob } from './run-job.js';

/** Backoff between attempts of a job whose GPU service failed: 5 s, 10 s, 20 s … */
export function retryDelaySeconds(attempts: number, baseSeconds: number): number {
  return Math.min(600, baseSeconds * 2 ** Math.max(0, attempts - 1));
}

async function handle(message: Message<JobMessage>, env: Bindings): Promise<void> {
  const job = jobStub(env, message.body.job_id);
  const leaseId = crypto.randomUUID();
  const begun = await job.begin(leaseId);
  if (begun.action === 'skip') return message.ack();
  // Another delivery of the same message is running it: look again once its lease could have lapsed.
  if (begun.action === 'busy' || !begun.state) return message.retry({ delaySeconds: 30 });
  try {
    await runJob(env, begun.state, leaseId, begun.action);
    message.ack();
  } catch (error) {
    if (error instanceof AttemptStopped) return message.ack();
    if (isPermanent(error)) {
      await job.fail(error.toBody().error);
      return message.ack();
    }
    const reason = error instanceof ApiError ? error.message : `internal error: ${(error as Error).message}`;
    const delaySeconds = retryDelaySeconds(message.attempts, edgeConfig(env).jobRetryBaseSeconds);
    // Operators see why work is repeated; the caller sees it as the job's last_error.
    console.warn(
      `job ${message.body.job_id}: attempt ${message.attempts} failed (${reason}); retry in ${delaySeconds} s`,
    );
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
