import { ApiError } from '@whisper-edge/shared';
import type { Tenant } from '../env.js';

/** Root of a tenant's objects: everything a key uploads or exports lives below it. */
export function tenantRoot(tenant: Tenant): string {
  return tenant.id === null ? '' : `tenants/${tenant.id}/`;
}

/**
 * Checks a client-named object key: no traversal or control characters, and inside the caller's root,
 * so one key can never read or overwrite another's objects by naming them.
 */
export function assertTenantKey(tenant: Tenant, key: string, param: string): string {
  const clean = key.trim();
  if (
    clean === '' ||
    clean.length > 1024 ||
    clean.startsWith('/') ||
    /(^|\/)\.\.?(\/|$)/.test(clean) ||
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    /[\u0000-\u001f\u007f\\]/.test(clean)
  ) {
    throw new ApiError(400, `Invalid '${param}': not a valid object key`, { param, code: 'invalid_key' });
  }
  const root = tenantRoot(tenant);
  if (root && !clean.startsWith(root)) {
    throw new ApiError(403, 'Access denied to R2 bucket', { param, code: 'access_denied' });
  }
  return clean;
}
