import { createApp } from './app.js';
import type { Bindings } from './env.js';
import { consumeDeadJobs, consumeJobs } from './jobs/consumer.js';
import type { JobMessage } from './jobs/job-types.js';

export { GpuPoolObject } from './gpu/gpu-pool-object.js';
export { JobObject } from './jobs/job-object.js';
export { TenantJobsObject } from './jobs/tenant-jobs-object.js';
export { RealtimeSessionObject } from './realtime/realtime-session-object.js';
export { TenantUsageObject } from './usage/usage-object.js';

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<JobMessage>, env: Bindings): Promise<void> {
    // The dead-letter queue is the jobs queue's name with `-dlq`.
    if (batch.queue.endsWith('-dlq')) await consumeDeadJobs(batch, env);
    else await consumeJobs(batch, env);
  },
} satisfies ExportedHandler<Bindings, JobMessage>;
