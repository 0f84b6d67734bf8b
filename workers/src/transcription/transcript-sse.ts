import { apiErrorFromBody, asApiError, type TranscribeRequest } from '@whisper-edge/shared';
import { streamFromGpu } from '../gpu/gpu-client.js';
import { withGpu } from '../gpu/with-gpu.js';
import type { Scope } from '../http/request-scope.js';
import { recordUsage } from '../usage/record-usage.js';
import type { PlannedExport } from './result-export.js';
import { doneEvent, segmentEvents, speakerSegmentEvents, sseFrame } from './transcript-events.js';

/**
 * `stream=true`: OpenAI's transcription events as server-sent events, a delta per finished segment as
 * the GPU service finishes windows, then `transcript.text.done`. A failure after the stream opened
 * arrives as an `error` event (the status line was already sent).
 */
export async function transcriptSse(
  { env, tenant, requestId }: Scope,
  request: TranscribeRequest,
  plannedExport: PlannedExport | undefined,
  waitUntil: (promise: Promise<unknown>) => void,
  callerGone: AbortSignal,
): Promise<Response> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  const send = (event: unknown) => writer.write(encoder.encode(sseFrame(event)));
  const abort = new AbortController();
  callerGone.addEventListener('abort', () => abort.abort(), { once: true });
  let onStart: () => void = () => undefined;
  const started = new Promise<'started'>((resolve) => {
    onStart = () => resolve('started');
  });
  const startedAt = Date.now();
  const work = withGpu(
    env,
    async (gpu) => {
      onStart();
      for await (const event of streamFromGpu(gpu, request, abort.signal)) {
        if (event.type === 'progress' && event.segments.length > 0) {
          // The caller has text from this service now: a failure later is reported, not re-run.
          gpu.commit();
          for (const e of segmentEvents(event.segments)) await send(e);
        }
        if (event.type === 'error') throw apiErrorFromBody(event.status, { error: event.error });
        if (event.type === 'result') {
          const exported = plannedExport
            ? event.export?.ok
              ? { storage_url: plannedExport.storageUrl }
              : { export_error: event.export?.error ?? 'the GPU service did not export the result' }
            : {};
          await recordUsage(env, tenant, {
            requests: 1,
            audioSeconds: event.result.duration,
            gpuSeconds: (Date.now() - startedAt) / 1000,
          });
          for (const e of speakerSegmentEvents(event.result.segments)) await send(e);
          await send({ ...(doneEvent(event.result.text, event.result.duration) as object), ...exported });
        }
      }
    },
    tenant,
  );
  // Refused before any GPU took the work (the key at its cap, no capacity): a plain HTTP error, as for
  // a sync request, since no stream has been promised yet.
  if (
    (await Promise.race([
      started,
      work.then(
        () => 'ended' as const,
        () => 'failed' as const,
      ),
    ])) === 'failed'
  )
    await work;
  const finish = async () => {
    try {
      await work;
    } catch (error) {
      // The reader left: nothing to tell; the abort already stopped the GPU service's work.
      if (abort.signal.aborted) return;
      await send({ type: 'error', ...asApiError(error).toBody(requestId) }).catch(() => undefined);
    } finally {
      await writer.close().catch(() => undefined);
    }
  };
  waitUntil(finish());
  return new Response(readable, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' },
  });
}
