import { ApiError, transcribeRequestSchema } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { decodeAudioBlocks } from '../audio/decode-audio.js';
import { openAudioStream } from '../audio/fetch-audio.js';
import { putResult } from '../export/put-result.js';
import type { ModelRegistry } from '../inference/model-registry.js';
import { transcribeStream } from '../inference/transcribe.js';
import type { Admission } from '../runtime/admission.js';
import type { Metrics } from '../runtime/metrics.js';

export interface TranscribeRouteOptions {
  models: ModelRegistry;
  admission: Admission;
  metrics: Metrics;
  ffmpegPath: () => string;
  maxAudioBytes: number;
  allowPrivateAudioUrls: boolean;
}

export function transcribeRoutes(options: TranscribeRouteOptions) {
  return new Hono().post('/internal/transcribe', async (c) => {
    const parsed = transcribeRequestSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) {
      throw new ApiError(400, `Invalid transcription request: ${parsed.error.issues[0]?.message}`, {
        code: 'invalid_request',
      });
    }
    const { audio_url, audio_source, options: transcribeOptions, result_target } = parsed.data;
    const signal = c.req.raw.signal;
    const response = await options.admission.run(async () => {
      const started = performance.now();
      // Load the model while the audio downloads and decodes.
      // An unknown model is refused here, before any download.
      const model = options.models.get(transcribeOptions.model);
      model.catch(() => undefined);
      const stream = await openAudioStream(audio_url, {
        maxBytes: options.maxAudioBytes,
        signal,
        source: audio_source,
        allowPrivateExternal: options.allowPrivateAudioUrls,
      });
      const loaded = await model;
      options.metrics.modelLoadSeconds.set(
        { model: loaded.name, device: loaded.device },
        loaded.loadMs / 1000,
      );
      // Decoding, VAD and inference run as one stream: memory stays flat for hours of audio.
      const blocks = decodeAudioBlocks(stream, { ffmpegPath: options.ffmpegPath(), signal });
      const result = await transcribeStream(loaded, blocks, transcribeOptions);
      const seconds = (performance.now() - started) / 1000;
      options.metrics.audioSeconds.inc(result.duration);
      options.metrics.processingSeconds.inc(seconds);
      if (seconds > 0) options.metrics.realTimeFactor.observe(result.duration / seconds);
      return result_target ? { result, export: await putResult(result_target, result) } : { result };
    });
    return c.json(response);
  });
}
