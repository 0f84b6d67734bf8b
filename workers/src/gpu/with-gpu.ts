import { ApiError } from '@whisper-edge/shared';
import type { Bindings } from '../env.js';
import { GpuUnreachableError } from './gpu-client.js';

export function gpuPool(env: Bindings) {
  return env.GPU_POOL.get(env.GPU_POOL.idFromName('default'));
}

/**
 * Runs `work` on a GPU service from the pool, holding a lease while it runs. A service that cannot be
 * reached is reported and the work tried once more elsewhere (before any result exists, so never twice).
 */
export async function withGpu<T>(env: Bindings, work: (baseUrl: string) => Promise<T>): Promise<T> {
  const pool = gpuPool(env);
  const tried: string[] = [];
  let lastError: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    const lease = await pool.acquire(tried);
    if (!lease) break;
    try {
      return await work(lease.url);
    } catch (error) {
      if (!(error instanceof GpuUnreachableError)) throw error;
      lastError = error;
      tried.push(lease.url);
      await pool.reportFailure(lease.url);
    } finally {
      await pool.release(lease.id);
    }
  }
  throw (
    lastError ??
    new ApiError(503, 'GPU service unavailable: no GPU service is configured', { code: 'gpu_unavailable' })
  );
}
