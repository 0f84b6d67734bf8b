export interface PutOptions {
  attempts?: number;
  timeoutMs?: number;
  /** Base delay between attempts; doubles each time. */
  backoffMs?: number;
  /** Sent with every attempt besides the content type (e.g. the request id it serves). */
  headers?: Record<string, string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * PUTs `body` to a pre-signed URL, retrying what may pass (network errors, 5xx, 429) and not what
 * cannot (other 4xx). Reports instead of throwing: callers keep their transcript whatever happens.
 * Redirects are not followed, so a signed URL cannot be bounced to another host.
 */
export async function putWithRetry(
  url: string,
  body: Uint8Array | string,
  contentType: string,
  options: PutOptions = {},
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const attempts = options.attempts ?? 3;
  let reason = 'not attempted';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await fetch(url, {
        method: 'PUT',
        body,
        headers: { ...options.headers, 'content-type': contentType },
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      await response.body?.cancel();
      if (response.ok) return { ok: true };
      reason = `upstream HTTP ${response.status}`;
      if (response.status < 500 && response.status !== 429) break;
    } catch (error) {
      reason = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
    }
    if (attempt < attempts) await sleep((options.backoffMs ?? 250) * 2 ** (attempt - 1));
  }
  return { ok: false, reason };
}
