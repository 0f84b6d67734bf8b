import { ApiError } from '@whisper-edge/shared';
import { edgeConfig, requireObjectUrlSecret } from '../config.js';
import type { Bindings, Tenant } from '../env.js';
import { tenantForKey } from '../http/middleware/api-key-auth.js';
import { CLIENT_SECRET_PREFIX, verifyClientSecret } from './client-secrets.js';

/** The subprotocol browsers carry a credential in (they cannot set headers on a WebSocket). */
const KEY_PROTOCOL = 'openai-insecure-api-key.';

export interface RealtimeCaller {
  tenant: Tenant;
  /** A client secret's session configuration, applied before the caller's own updates. */
  session?: unknown;
}

/** The credential of an upgrade: `Authorization: Bearer …` (servers, the SDK's ws client) or the subprotocol. */
export function presentedCredential(request: Request): string | undefined {
  const header = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization')?.trim() ?? '');
  if (header) return header[1]!.trim();
  const protocols = (request.headers.get('sec-websocket-protocol') ?? '').split(',').map((p) => p.trim());
  const carried = protocols.find((p) => p.startsWith(KEY_PROTOCOL));
  return carried?.slice(KEY_PROTOCOL.length);
}

/** The subprotocol to answer with: `realtime` when the client offered it (a browser insists). */
export function chosenProtocol(request: Request): string | undefined {
  const protocols = (request.headers.get('sec-websocket-protocol') ?? '').split(',').map((p) => p.trim());
  return protocols.includes('realtime') ? 'realtime' : undefined;
}

/**
 * Who is calling: a client secret (`ek_…`) names its tenant and session; an API key is checked as on
 * every other route; without API_KEYS configured anyone may connect, as anyone may transcribe.
 */
export async function authenticateRealtime(env: Bindings, request: Request): Promise<RealtimeCaller> {
  const credential = presentedCredential(request);
  if (credential?.startsWith(CLIENT_SECRET_PREFIX)) {
    const claims = await verifyClientSecret(requireObjectUrlSecret(edgeConfig(env)), credential);
    return { tenant: claims.tenant, ...(claims.s !== undefined ? { session: claims.s } : {}) };
  }
  const tenant = await tenantForKey(env, credential);
  if (!tenant) {
    throw new ApiError(
      401,
      credential
        ? 'Incorrect API key provided'
        : "Missing API key: send 'Authorization: Bearer <key>' or a client secret as the 'openai-insecure-api-key.<secret>' subprotocol",
      { code: 'invalid_api_key', type: 'authentication_error' },
    );
  }
  return { tenant };
}
