import type { Bindings, Tenant } from '../env.js';
import { log } from '../http/log.js';
import type { UsageRecord } from './usage-object.js';

export function tenantUsage(env: Bindings, tenant: Tenant) {
  return env.TENANT_USAGE.get(env.TENANT_USAGE.idFromName(tenant.id ?? '-'));
}

export const usageDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Counts finished work against the key that asked for it. Accounting must never cost a caller their
 * transcript, so a failure here is logged, not thrown.
 */
export async function recordUsage(env: Bindings, tenant: Tenant, usage: UsageRecord): Promise<void> {
  try {
    await tenantUsage(env, tenant).record(usageDay(Date.now()), usage);
  } catch (error) {
    log.error('usage not recorded', { tenant: tenant.id, error });
  }
}

/** Times the work given to the GPU: the wall-clock seconds a request held a GPU slot. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = Date.now();
  const value = await work();
  return { value, seconds: (Date.now() - started) / 1000 };
}
