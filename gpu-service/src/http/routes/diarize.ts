import { ApiError, type DiarizationResult, diarizeRequestSchema } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { decodeAudioBlocks, SAMPLE_RATE } from '../../audio/decode-audio.js';
import { openAudioStream } from '../../audio/fetch-audio.js';
import { createDiarizer } from '../../diarization/create-diarizer.js';
import type { Admission } from '../admission.js';

export interface DiarizeRouteOptions {
  admission: Admission;
  ffmpegPath: () => string;
  maxAudioBytes: number;
  allowPrivateAudioUrls: boolean;
}

/** Who spoke when, without a transcript: the same streaming decode, the diarizer alone. */
export function diarizeRoutes(options: DiarizeRouteOptions) {
  return new Hono().post('/internal/diarize', async (c) => {
    const parsed = diarizeRequestSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) {
      throw new ApiError(400, `Invalid diarization request: ${parsed.error.issues[0]?.message}`, {
        code: 'invalid_request',
      });
    }
    const { audio_url, audio_source, options: diarization } = parsed.data;
    const signal = c.req.raw.signal;
    const result = await options.admission.run(async (): Promise<DiarizationResult> => {
      // Refused (e.g. neural without models) before any download.
      const diarizer = await createDiarizer(diarization);
      const stream = await openAudioStream(audio_url, {
        maxBytes: options.maxAudioBytes,
        signal,
        source: audio_source,
        allowPrivateExternal: options.allowPrivateAudioUrls,
      });
      let samples = 0;
      for await (const block of decodeAudioBlocks(stream, { ffmpegPath: options.ffmpegPath(), signal })) {
        samples += block.length;
        await diarizer.push(block);
      }
      const turns = await diarizer.finish();
      return {
        duration: Math.round((samples / SAMPLE_RATE) * 1000) / 1000,
        backend: diarizer.backend,
        speakers: [...new Set(turns.map((t) => t.speaker))].sort(),
        turns,
      };
    });
    return c.json(result);
  });
}
