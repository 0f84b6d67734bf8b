import {
  type ExportOutcome,
  formatResponse,
  type ResultTarget,
  type TranscriptionResult,
} from '@whisper-edge/shared';

export interface PutResultOptions {
  attempts?: number;
  timeoutMs?: number;
  /** Base delay between attempts; doubles each time. */
  backoffMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes the formatted result to the URL the edge signed. Transient failures (network, 5xx, 429) are
 * retried; whatever happens, the outcome is reported rather than thrown, because a failed export must
 * never cost the caller the transcript.
 */
export async function putResult(
  target: ResultTarget,
  result: TranscriptionResult,
  options: PutResultOptions = {},
): Promise<ExportOutcome> {
  const { body, contentType } = formatResponse(result, target.format, {
    timestampGranularities: target.timestamp_granularities,
  });
  const bytes = new TextEncoder().encode(body);
  const attempts = options.attempts ?? 3;
  let lastError = 'not attempted';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await fetch(target.url, {
        method: 'PUT',
        body: bytes,
        headers: { 'content-type': contentType },
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      await response.body?.cancel();
      if (response.ok) return { ok: true, bytes: bytes.length };
      lastError = `upstream HTTP ${response.status}`;
      if (response.status < 500 && response.status !== 429) break;
    } catch (error) {
      lastError = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
    }
    if (attempt < attempts) await sleep((options.backoffMs ?? 250) * 2 ** (attempt - 1));
  }
  return { ok: false, error: `could not write the result (${lastError})` };
}
