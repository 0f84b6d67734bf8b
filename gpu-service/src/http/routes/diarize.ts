import { ApiError, type DiarizationResult, diarizeRequestSchema } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { type AudioIntake, openRequestAudio } from '../../audio/request-audio.js';
import { SAMPLE_RATE } from '../../audio/sample-rate.js';
import type { DiarizerFactory } from '../../diarization/create-diarizer.js';
import { nameKnownSpeakers } from '../../diarization/known-speakers.js';
import { loadKnownVoices } from '../../diarization/known-voices.js';
import type { Admission } from '../admission.js';
import { withDeadline } from '../request-deadline.js';

export interface DiarizeRouteOptions {
  diarizers: DiarizerFactory;
  admission: Admission;
  audio: AudioIntake;
  maxRequestSeconds: number;
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
    const { audio_url, audio_source, options: diarization, limits } = parsed.data;
    const deadlineSeconds = Math.min(
      options.maxRequestSeconds,
      limits?.deadline_seconds ?? Number.POSITIVE_INFINITY,
    );
    const work = async (signal: AbortSignal): Promise<DiarizationResult> => {
      // Refused (e.g. neural without models) before any download.
      const diarizer = await options.diarizers(diarization);
      const voices = await loadKnownVoices(options.audio, diarization.known_speakers, signal);
      const blocks = await openRequestAudio(options.audio, {
        url: audio_url,
        source: audio_source,
        limits,
        signal,
      });
      let samples = 0;
      for await (const block of blocks) {
        signal.throwIfAborted();
        samples += block.length;
        await diarizer.push(block);
      }
      const turns = await nameKnownSpeakers(diarizer, await diarizer.finish(), voices);
      return {
        duration: Math.round((samples / SAMPLE_RATE) * 1000) / 1000,
        backend: diarizer.backend,
        speakers: [...new Set(turns.map((t) => t.speaker))].sort(),
        turns,
      };
    };
    const result = await options.admission.run(() => withDeadline(deadlineSeconds, c.req.raw.signal, work));
    return c.json(result);
  });
}
