import { ApiError, type TranscribeRequest } from '@whisper-edge/shared';
import type { Bindings } from '../env.js';
import { streamFromGpu } from '../gpu/gpu-client.js';
import { gpuPool } from '../gpu/with-gpu.js';
import type { PlannedExport } from './result-export.js';
import { doneEvent, segmentEvents, speakerSegmentEvents, sseFrame } from './transcript-events.js';

/**
 * `stream=true`: OpenAI's transcription events as server-sent events, a delta per finished segment as
 * the GPU service finishes windows, then `transcript.text.done`. A failure after the stream opened
 * arrives as an `error` event (the status line was already sent).
 */
export function transcriptSse(
  env: Bindings,
  request: TranscribeRequest,
  plannedExport: PlannedExport | undefined,
  waitUntil: (promise: Promise<unknown>) => void,
  callerGone: AbortSignal,
): Response {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  const send = (event: unknown) => writer.write(encoder.encode(sseFrame(event)));
  const abort = new AbortController();
  callerGone.addEventListener('abort', () => abort.abort(), { once: true });
  const pool = gpuPool(env);
  const run = async () => {
    const lease = await pool.acquire();
    try {
      if (!lease)
        throw new ApiError(503, 'GPU service unavailable: no GPU service is configured', {
          code: 'gpu_unavailable',
        });
      const events = streamFromGpu(
        { baseUrl: lease.url, secret: env.GPU_SHARED_SECRET },
        request,
        abort.signal,
      );
      for await (const event of events) {
        if (event.type === 'progress') for (const e of segmentEvents(event.segments)) await send(e);
        if (event.type === 'error')
          throw new ApiError(event.status, event.error.message, {
            type: event.error.type as never,
            ...(event.error.code ? { code: event.error.code } : {}),
          });
        if (event.type === 'result') {
          const exported = plannedExport
            ? event.export?.ok
              ? { storage_url: plannedExport.storageUrl }
              : { export_error: event.export?.error ?? 'the GPU service did not export the result' }
            : {};
          for (const e of speakerSegmentEvents(event.result.segments)) await send(e);
          await send({ ...(doneEvent(event.result.text, event.result.duration) as object), ...exported });
        }
      }
    } catch (error) {
      // The reader left: nothing to tell; the abort already stopped the GPU service's work.
      if (abort.signal.aborted) return;
      const body =
        error instanceof ApiError
          ? error.toBody()
          : new ApiError(500, 'Internal server error', { type: 'server_error' }).toBody();
      await send({ type: 'error', ...body }).catch(() => undefined);
    } finally {
      if (lease) await pool.release(lease.id);
      await writer.close().catch(() => undefined);
    }
  };
  waitUntil(run());
  return new Response(readable, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' },
  });
}
