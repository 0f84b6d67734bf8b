import { ApiError } from '@whisper-edge/shared';
import { edgeConfig, gpuSecret } from '../config.js';
import type { Bindings } from '../env.js';
import { GpuUnreachableError } from './gpu-client.js';

export function gpuPool(env: Bindings) {
  return env.GPU_POOL.get(env.GPU_POOL.idFromName('default'));
}

/** One GPU service, leased from the pool for one attempt. */
export interface GpuAttempt {
  baseUrl: string;
  secret: string;
  /** A stream silent this long (no heartbeat) counts as a dead service. */
  idleMs: number;
  /**
   * The caller has been shown output of this attempt (a streamed delta, a job's progress): a failure
   * after this is the caller's to handle, never re-run elsewhere, so nothing is told twice.
   */
  commit(): void;
}

export function noGpuConfigured(): ApiError {
  return new ApiError(503, 'GPU service unavailable: no GPU service is configured', {
    code: 'gpu_unavailable',
  });
}

/**
 * The one way to the GPU: runs `work` on the least-loaded service of the pool, holding a lease while it
 * runs. A service that cannot be reached is reported (out of rotation until a probe finds it again) and,
 * unless the work already committed output, the work is tried once more on another service.
 */
export async function withGpu<T>(env: Bindings, work: (gpu: GpuAttempt) => Promise<T>): Promise<T> {
  const config = edgeConfig(env);
  const secret = gpuSecret(config);
  const pool = gpuPool(env);
  const tried: string[] = [];
  let lastError: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    const lease = await pool.acquire(tried);
    if (!lease) break;
    let committed = false;
    try {
      return await work({
        baseUrl: lease.url,
        secret,
        idleMs: config.gpu.idleTimeoutMs,
        commit: () => {
          committed = true;
        },
      });
    } catch (error) {
      if (!(error instanceof GpuUnreachableError)) throw error;
      await pool.reportFailure(lease.url);
      if (committed) throw error;
      lastError = error;
      tried.push(lease.url);
    } finally {
      await pool.release(lease.id);
    }
  }
  throw lastError ?? noGpuConfigured();
}
