import {
  ApiError,
  ApiKeysConfigError,
  parseApiKeyEntries,
  sha256Hex,
  timingSafeEqualHex,
} from '@whisper-edge/shared';
import type { MiddlewareHandler } from 'hono';
import { edgeConfig } from '../../config.js';
import type { AppEnv, Bindings, Tenant } from '../../env.js';
import { log } from '../log.js';

interface ConfiguredKey {
  tenant: string;
  keyHash: string;
}

/**
 * Reads `API_KEYS` (grammar in shared's api-keys.ts). A named key's tenant is its name; a bare key's is
 * derived from its hash, so the key itself never appears in storage paths.
 */
export async function parseApiKeys(raw: string | undefined): Promise<ConfiguredKey[]> {
  return Promise.all(
    parseApiKeyEntries(raw).map(async ({ name, key }) => {
      const keyHash = await sha256Hex(key);
      return { tenant: name ?? `k${keyHash.slice(0, 15)}`, keyHash };
    }),
  );
}

let cache: { raw: string; keys: ConfiguredKey[] } | undefined;

async function configuredKeys(raw: string | undefined): Promise<ConfiguredKey[]> {
  if (!raw) return [];
  if (cache?.raw !== raw) {
    try {
      cache = { raw, keys: await parseApiKeys(raw) };
    } catch (error) {
      // Fail closed: a value that does not parse exactly admits nobody, and says why (never the key).
      if (!(error instanceof ApiKeysConfigError)) throw error;
      log.error('API_KEYS is invalid', { reason: error.message });
      throw new ApiError(500, `The server's ${error.message}`, { code: 'server_misconfigured' });
    }
  }
  return cache.keys;
}

function unauthorized(message: string): ApiError {
  return new ApiError(401, message, { code: 'invalid_api_key', type: 'authentication_error' });
}

/**
 * The tenant a presented key belongs to; without API_KEYS everyone is the single tenant. Undefined when
 * keys are configured and this is none of them (or no key was presented).
 */
export async function tenantForKey(
  env: Bindings,
  presentedKey: string | undefined,
): Promise<Tenant | undefined> {
  const keys = await configuredKeys(edgeConfig(env).apiKeys);
  if (keys.length === 0) return { id: null };
  if (!presentedKey) return undefined;
  const presented = await sha256Hex(presentedKey);
  // Compare against every key so the time taken does not reveal which one matched.
  let tenant: string | undefined;
  for (const key of keys) if (timingSafeEqualHex(key.keyHash, presented)) tenant = key.tenant;
  return tenant ? { id: tenant } : undefined;
}

/** When API keys are configured, every route behind this needs `Authorization: Bearer <key>`. */
export function apiKeyAuth(): MiddlewareHandler<AppEnv> {
  return async function apiKeyAuthMiddleware(c, next) {
    const match = /^Bearer\s+(.+)$/i.exec((c.req.header('authorization') ?? '').trim());
    const tenant = await tenantForKey(c.env, match?.[1]?.trim());
    if (!tenant)
      throw unauthorized(
        match ? 'Incorrect API key provided' : "Missing API key: send 'Authorization: Bearer <key>'",
      );
    c.set('tenant', tenant);
    return next();
  };
}
