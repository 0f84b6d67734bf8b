import {
  type ExportOutcome,
  formatResponse,
  type PutOptions,
  putWithRetry,
  type ResultTarget,
  type TranscriptionResult,
} from '@whisper-edge/shared';
import { logContext, REQUEST_ID_HEADER } from '@whisper-edge/shared/logging';

/**
 * Writes the formatted result to the URL the edge signed. The outcome is reported rather than thrown,
 * because a failed export must never cost the caller the transcript.
 */
export async function putResult(
  target: ResultTarget,
  result: TranscriptionResult,
  options: PutOptions = {},
): Promise<ExportOutcome> {
  const { body, contentType } = formatResponse(result, target.format, {
    timestampGranularities: target.timestamp_granularities,
    captions: target.captions,
  });
  const bytes = new TextEncoder().encode(body);
  // The receiver's logs (the edge's signed object route, or a bucket's access log) name the request.
  const requestId = logContext().request_id;
  const outcome = await putWithRetry(target.url, bytes, contentType, {
    ...options,
    ...(requestId ? { headers: { ...options.headers, [REQUEST_ID_HEADER]: requestId } } : {}),
  });
  return outcome.ok
    ? { ok: true, bytes: bytes.length }
    : { ok: false, error: `could not write the result (${outcome.reason})` };
}
