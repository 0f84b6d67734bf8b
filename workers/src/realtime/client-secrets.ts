import { ApiError, hmacHex, timingSafeEqualHex } from '@whisper-edge/shared';
import type { Tenant } from '../env.js';

/**
 * Short-lived client secrets for browsers (`POST /v1/realtime/client_secrets`): `ek_` + the claims +
 * an HMAC over them, so checking one needs no storage. The key is derived from OBJECT_URL_SECRET (the
 * edge's own secret, which GPU hosts never hold) under a label of its own, so a secret can never pass
 * for an object URL signature or the other way round. They cannot be revoked: they expire (10 s to 2 h).
 */
export const CLIENT_SECRET_PREFIX = 'ek_';
export const CLIENT_SECRET_TTL = { min: 10, max: 7200, default: 600 } as const;

export interface ClientSecretClaims {
  /** Tenant id (null: a deployment without API keys). */
  t: string | null;
  /** Expiry, seconds since the epoch. */
  e: number;
  /** The session configuration minted with it (a session.update `session`), applied first. */
  s?: unknown;
}

const encoder = new TextEncoder();

function base64url(text: string): string {
  let binary = '';
  for (const byte of encoder.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64url(text: string): string {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

const signingKey = (edgeSecret: string) => hmacHex(edgeSecret, 'whisper-edge realtime client secret v1');

export async function mintClientSecret(edgeSecret: string, claims: ClientSecretClaims): Promise<string> {
  const body = base64url(JSON.stringify(claims));
  return `${CLIENT_SECRET_PREFIX}${body}.${await hmacHex(await signingKey(edgeSecret), body)}`;
}

function refused(message: string): ApiError {
  return new ApiError(401, message, { code: 'invalid_client_secret', type: 'authentication_error' });
}

/** The claims of a valid, unexpired secret; anything else is a 401. */
export async function verifyClientSecret(
  edgeSecret: string,
  secret: string,
  now = Date.now(),
): Promise<ClientSecretClaims & { tenant: Tenant }> {
  const match = /^ek_([A-Za-z0-9_-]{1,16384})\.([0-9a-f]{64})$/.exec(secret);
  if (!match) throw refused('Invalid client secret');
  const [, body, signature] = match as unknown as [string, string, string];
  const expected = await hmacHex(await signingKey(edgeSecret), body);
  if (!timingSafeEqualHex(expected, signature)) throw refused('Invalid client secret');
  let claims: ClientSecretClaims;
  try {
    claims = JSON.parse(fromBase64url(body)) as ClientSecretClaims;
  } catch {
    throw refused('Invalid client secret');
  }
  if (!(typeof claims.e === 'number' && claims.e * 1000 > now))
    throw refused('This client secret has expired');
  return { ...claims, tenant: { id: claims.t ?? null } };
}
