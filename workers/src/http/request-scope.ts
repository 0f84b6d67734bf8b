import type { Context } from 'hono';
import { type EdgeConfig, edgeConfig } from '../config.js';
import type { AppEnv, Bindings, Tenant } from '../env.js';

/** What every piece of work for one caller needs: bindings, parsed config, tenant, the public origin. */
export interface Scope {
  env: Bindings;
  config: EdgeConfig;
  tenant: Tenant;
  /** Origin the GPU service and browsers reach this Worker at: PUBLIC_URL, else the request's own. */
  origin: string;
  /** The request's id (x-request-id): sent to the GPU service, stored with a job, in its webhook. */
  requestId: string;
}

export function requestScope(c: Context<AppEnv>): Scope {
  const config = edgeConfig(c.env);
  return {
    env: c.env,
    config,
    tenant: c.get('tenant'),
    origin: config.publicUrl ?? new URL(c.req.url).origin,
    requestId: c.get('requestId'),
  };
}

/** A job runs after its request is gone: the origin and request id were fixed when it was submitted. */
export function jobScope(env: Bindings, tenant: string | null, origin: string, requestId: string): Scope {
  return { env, config: edgeConfig(env), tenant: { id: tenant }, origin, requestId };
}
