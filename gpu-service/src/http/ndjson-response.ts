import { ApiError, asApiError, type GpuStreamEvent, NDJSON_TYPE, ndjsonLine } from '@whisper-edge/shared';
import type { Logger } from '@whisper-edge/shared/logging';

export interface NdjsonOptions {
  heartbeatMs: number;
  log: Logger;
}

/**
 * Streams `work`'s events as NDJSON with heartbeats between them. The returned signal aborts when
 * the reader goes away (a cancelled job, a dead edge), so the work stops instead of running on.
 */
export function ndjsonResponse(
  work: (emit: (event: GpuStreamEvent) => void, signal: AbortSignal) => Promise<GpuStreamEvent>,
  options: NdjsonOptions,
  upstream: AbortSignal,
  onDone: () => void,
): Response {
  const abort = new AbortController();
  upstream.addEventListener('abort', () => abort.abort(upstream.reason), { once: true });
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const emit = (event: GpuStreamEvent) => {
        if (abort.signal.aborted) return;
        try {
          controller.enqueue(ndjsonLine(event));
        } catch {
          // The reader is gone; the abort below stops the work.
        }
      };
      heartbeat = setInterval(() => emit({ type: 'heartbeat' }), options.heartbeatMs);
      work(emit, abort.signal)
        .catch((error: unknown): GpuStreamEvent => {
          if (abort.signal.aborted) return { type: 'heartbeat' };
          if (!(error instanceof ApiError)) options.log.error('stream failed', { error });
          const apiError = asApiError(error);
          return { type: 'error', status: apiError.status, error: apiError.toBody().error };
        })
        .then((last) => {
          emit(last);
          clearInterval(heartbeat);
          onDone();
          if (!abort.signal.aborted) controller.close();
        });
    },
    cancel(reason) {
      clearInterval(heartbeat);
      abort.abort(reason ?? new Error('the caller went away'));
    },
  });
  return new Response(body, { headers: { 'content-type': NDJSON_TYPE, 'cache-control': 'no-store' } });
}
