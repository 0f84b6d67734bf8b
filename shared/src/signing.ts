import { REQUEST_ID_HEADER } from './logging/request-id.js';

/**
 * HMAC-SHA256 request signing for edge → GPU calls. The signature covers method, path (with query),
 * timestamp, a SHA-256 of the body and, when the call carries one, its `x-request-id`, so a captured
 * request cannot be replayed later, retargeted to another route, have its body swapped, or be passed
 * off under another request's id.
 */
export const SIGNATURE_HEADER = 'x-whisper-signature';
export const TIMESTAMP_HEADER = 'x-whisper-timestamp';
export const DEFAULT_MAX_SKEW_SECONDS = 300;

const encoder = new TextEncoder();

function toHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function hmacKey(secret: string) {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

export async function sha256Hex(body: string | Uint8Array): Promise<string> {
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  return toHex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

export interface SignableRequest {
  method: string;
  /** Path plus query string, e.g. `/internal/transcribe`. */
  path: string;
  body: string | Uint8Array;
  /** The request id sent as `x-request-id` (signed with the rest when present). */
  requestId?: string | undefined;
}

async function canonicalString(request: SignableRequest, timestamp: number): Promise<string> {
  const lines = [
    request.method.toUpperCase(),
    request.path,
    String(timestamp),
    await sha256Hex(request.body),
  ];
  // Appended only when present, so a call without an id signs exactly as before.
  if (request.requestId) lines.push(`${REQUEST_ID_HEADER}:${request.requestId}`);
  return lines.join('\n');
}

export async function hmacHex(secret: string, message: string): Promise<string> {
  return toHex(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(message)));
}

/** Constant-time comparison so the check does not leak how many leading characters matched. */
export function timingSafeEqualHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export async function signRequest(
  secret: string,
  request: SignableRequest,
  now: number = Date.now(),
): Promise<Record<string, string>> {
  const timestamp = Math.floor(now / 1000);
  const signature = await hmacHex(secret, await canonicalString(request, timestamp));
  return {
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signature,
    ...(request.requestId ? { [REQUEST_ID_HEADER]: request.requestId } : {}),
  };
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** `request.requestId` is the `x-request-id` header as received: a stripped or swapped id fails the check. */
export async function verifyRequest(
  secret: string,
  request: SignableRequest,
  headers: { timestamp: string | undefined | null; signature: string | undefined | null },
  options: { now?: number; maxSkewSeconds?: number } = {},
): Promise<VerifyResult> {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) return { ok: false, reason: 'missing request signature' };
  const ts = Number(timestamp);
  if (!Number.isInteger(ts)) return { ok: false, reason: 'malformed signature timestamp' };
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - ts) > (options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS)) {
    return { ok: false, reason: 'stale request signature' };
  }
  const expected = await hmacHex(secret, await canonicalString(request, ts));
  return timingSafeEqualHex(expected, signature.toLowerCase())
    ? { ok: true }
    : { ok: false, reason: 'invalid request signature' };
}
