import { ApiError } from '@whisper-edge/shared';
import { edgeConfig, gpuSecret } from '../config.js';
import type { Bindings, Tenant } from '../env.js';
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

/**
 * No work started anywhere: every service was busy, unreachable or absent, or the key is at its cap.
 * Waiting is the remedy (Retry-After), so a job waits for capacity instead of spending an attempt.
 */
export class GpuCapacityError extends ApiError {}

function capacity(error: ApiError): GpuCapacityError {
  const wrapped = new GpuCapacityError(error.status, error.message, {
    type: error.type,
    ...(error.code ? { code: error.code } : {}),
  });
  return wrapped.withRetryAfter(error.retryAfter ?? 5);
}

function tenantBusy(limit: number): ApiError {
  return new ApiError(
    429,
    `This API key already has ${limit} transcriptions running (MAX_CONCURRENT_PER_TENANT); retry when one finishes`,
    { code: 'tenant_concurrency_limit' },
  );
}

function noGpuConfigured(): ApiError {
  return new ApiError(503, 'GPU service unavailable: no GPU service is configured', {
    code: 'gpu_unavailable',
  });
}

/** The service refused for now (at capacity, draining, model not loaded): another one may take it. */
function isBusy(error: unknown): error is ApiError {
  return error instanceof ApiError && (error.status === 429 || error.status === 503);
}

const MAX_TRIES = 3;

/**
 * The one way to the GPU: runs `work` on the least-loaded service of the pool, holding a lease while it
 * runs. A service that cannot be reached is reported (out of rotation until a probe finds it again); one
 * that is busy is left alone; either way, unless the work already committed output, it moves on to
 * another service. A key's work beyond MAX_CONCURRENT_PER_TENANT is refused with 429 before any lease.
 */
export async function withGpu<T>(
  env: Bindings,
  work: (gpu: GpuAttempt) => Promise<T>,
  tenant?: Tenant,
): Promise<T> {
  const config = edgeConfig(env);
  const secret = gpuSecret(config);
  const pool = gpuPool(env);
  const tried: string[] = [];
  const owner = tenant?.id ? { id: tenant.id, limit: config.gpu.maxConcurrentPerTenant } : undefined;
  let lastError: ApiError | undefined;
  while (tried.length < MAX_TRIES) {
    const acquired = await pool.acquire({ exclude: tried, ...(owner ? { tenant: owner } : {}) });
    if (!acquired.ok) {
      if (acquired.reason === 'tenant_limit') throw capacity(tenantBusy(owner!.limit));
      break;
    }
    const { lease } = acquired;
    let committed = false;
    // Long work (a live session lasts hours) renews its lease well inside the pool's 20 min TTL.
    const renewal = setInterval(() => void pool.renew(lease.id).catch(() => undefined), 5 * 60_000);
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
      if (error instanceof GpuUnreachableError) await pool.reportFailure(lease.url);
      if (committed || !isBusy(error)) throw error;
      // A service that answered "busy, retry in N s" says more than one that did not answer at all.
      if (!lastError || lastError instanceof GpuUnreachableError) lastError = error;
      tried.push(lease.url);
    } finally {
      clearInterval(renewal);
      await pool.release(lease.id);
    }
  }
  throw capacity(lastError ?? noGpuConfigured());
}
