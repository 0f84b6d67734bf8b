import {
  ApiError,
  type TranscribeResponse,
  type TranscriptionResult,
  transcribeRequestSchema,
} from '@whisper-edge/shared';
import { type Logger, withLogContext } from '@whisper-edge/shared/logging';
import { Hono } from 'hono';
import { type AudioIntake, openRequestAudio } from '../../audio/request-audio.js';
import { SAMPLE_RATE } from '../../audio/sample-rate.js';
import { loadKnownVoices } from '../../diarization/known-voices.js';
import type { ModelRegistry } from '../../models/model-registry.js';
import { AudioProgress } from '../../transcription/audio-progress.js';
import { putResult } from '../../transcription/put-result.js';
import type { Transcriber } from '../../transcription/transcribe.js';
import type { TranscribeHooks } from '../../transcription/transcribe-options.js';
import type { Admission } from '../admission.js';
import type { Metrics } from '../metrics.js';
import { ndjsonResponse } from '../ndjson-response.js';
import { withDeadline } from '../request-deadline.js';

export interface TranscribeRouteOptions {
  models: ModelRegistry;
  transcriber: Transcriber;
  admission: Admission;
  metrics: Metrics;
  audio: AudioIntake;
  /** Cap on any request's wall-clock time; a request may ask for less (`limits.deadline_seconds`). */
  maxRequestSeconds: number;
  /** Gap between heartbeat lines of a streamed answer. */
  heartbeatMs?: number;
  log: Logger;
}

type Request = ReturnType<typeof transcribeRequestSchema.parse>;

/** Download → ffmpeg → VAD → batched Whisper, as one stream; memory stays flat for hours of audio. */
async function runTranscription(
  options: TranscribeRouteOptions,
  request: Request,
  hooks: TranscribeHooks & { progress?: AudioProgress; signal: AbortSignal },
): Promise<TranscribeResponse> {
  const { audio_url, audio_source, options: transcribeOptions, result_target, limits } = request;
  const { signal, progress } = hooks;
  const started = performance.now();
  // Load the model while the audio downloads and decodes. An unknown model is refused here, before any download.
  const model = options.models.get(transcribeOptions.model);
  model.catch(() => undefined);
  // Reference voices first: a bad one is refused before the request's audio is read.
  const voices = await loadKnownVoices(options.audio, transcribeOptions.diarization?.known_speakers, signal);
  const blocks = await openRequestAudio(options.audio, {
    url: audio_url,
    source: audio_source,
    limits,
    signal,
    ...(progress
      ? { onBytes: progress.onBytes, onDuration: progress.onDuration, onBitrate: progress.onBitrate }
      : {}),
  });
  const loaded = await model;
  options.metrics.modelLoadSeconds.set({ model: loaded.name, device: loaded.device }, loaded.loadMs / 1000);
  const result: TranscriptionResult = await options.transcriber.transcribeStream(
    loaded,
    counted(blocks, progress),
    transcribeOptions,
    {
      signal,
      voices,
      ...(hooks.onWindows ? { onWindows: hooks.onWindows } : {}),
    },
  );
  const seconds = (performance.now() - started) / 1000;
  options.log.info('transcribed', {
    model: loaded.name,
    device: loaded.device,
    audio_seconds: result.duration,
    seconds: Math.round(seconds * 1000) / 1000,
    segments: result.segments.length,
  });
  options.metrics.audioSeconds.inc(result.duration);
  options.metrics.processingSeconds.inc(seconds);
  if (seconds > 0) options.metrics.realTimeFactor.observe(result.duration / seconds);
  return result_target ? { result, export: await putResult(result_target, result) } : { result };
}

async function* counted(blocks: AsyncIterable<Float32Array>, progress: AudioProgress | undefined) {
  let samples = 0;
  for await (const block of blocks) {
    samples += block.length;
    progress?.onDecoded(samples / SAMPLE_RATE);
    yield block;
  }
}

export function transcribeRoutes(options: TranscribeRouteOptions) {
  const { log } = options;
  return new Hono().post('/internal/transcribe', async (c) => {
    const parsed = transcribeRequestSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) {
      throw new ApiError(400, `Invalid transcription request: ${parsed.error.issues[0]?.message}`, {
        code: 'invalid_request',
      });
    }
    const request = parsed.data;
    // A job's attempts share the submitting request's id; the job id tells them apart from sync calls.
    return withLogContext(request.job_id ? { job_id: request.job_id } : {}, () =>
      answer(request, c.req.raw.signal),
    );
  });

  async function answer(request: Request, upstream: AbortSignal): Promise<Response> {
    log.info('transcribe', {
      audio_source: request.audio_source,
      stream: request.stream === true,
      model: request.options.model ?? null,
      diarization: request.options.diarization !== undefined,
    });
    const deadlineSeconds = Math.min(
      options.maxRequestSeconds,
      request.limits?.deadline_seconds ?? Number.POSITIVE_INFINITY,
    );
    if (!request.stream) {
      return Response.json(
        await options.admission.run(() =>
          withDeadline(deadlineSeconds, upstream, (signal) => runTranscription(options, request, { signal })),
        ),
      );
    }
    // Busy and draining answers stay plain HTTP statuses: admission happens before the stream opens.
    const release = await options.admission.enter();
    return ndjsonResponse(
      async (emit, streamSignal) => {
        const progress = new AudioProgress();
        const response = await withDeadline(deadlineSeconds, streamSignal, (signal) =>
          runTranscription(options, request, {
            signal,
            progress,
            onWindows: ({ processedSeconds, segments }) =>
              emit({
                type: 'progress',
                processed_seconds: processedSeconds,
                total_seconds: progress.totalSeconds(),
                segments,
              }),
          }),
        );
        return { type: 'result', ...response };
      },
      { heartbeatMs: options.heartbeatMs ?? 5000, log },
      upstream,
      release,
    );
  }
}
