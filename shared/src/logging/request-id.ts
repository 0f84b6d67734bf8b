/**
 * Request ids: one per API call, carried from the edge to the GPU service, into jobs and their
 * webhooks, in every log line and every error body. A caller may bring its own (`x-request-id`);
 * anything that could smuggle log syntax or grow without bound is replaced by a fresh one.
 */
export const REQUEST_ID_HEADER = 'x-request-id';

const ACCEPTED = /^[A-Za-z0-9._:=-]{1,128}$/;

export function isAcceptableRequestId(value: string | null | undefined): value is string {
  return typeof value === 'string' && ACCEPTED.test(value);
}

/** `req_` and 32 hex digits, the shape of OpenAI's own request ids. */
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `req_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The caller's id when it is sane (≤ 128 of `A-Z a-z 0-9 . _ : = -`), else a new one. */
export function acceptRequestId(value: string | null | undefined): string {
  return isAcceptableRequestId(value) ? value : newRequestId();
}
