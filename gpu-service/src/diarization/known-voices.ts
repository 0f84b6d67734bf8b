import { ApiError, KNOWN_VOICE_SECONDS, type KnownSpeaker } from '@whisper-edge/shared';
import { collectBlocks } from '../audio/decode-audio.js';
import { type AudioIntake, openRequestAudio } from '../audio/request-audio.js';
import { SAMPLE_RATE } from '../audio/sample-rate.js';
import type { KnownVoice } from './known-speakers.js';

/** Clip lengths are measured after decoding, which pads or trims a few milliseconds. */
const TOLERANCE_SECONDS = 0.25;

function refused(name: string, why: string): ApiError {
  return new ApiError(400, `Invalid known speaker reference for '${name}': ${why}`, {
    code: 'invalid_known_speaker_reference',
    param: 'known_speaker_references',
  });
}

/** Each known speaker's clip decoded like request audio, and held to 2-10 s before any work starts. */
export async function loadKnownVoices(
  intake: AudioIntake,
  speakers: readonly KnownSpeaker[] | undefined,
  signal: AbortSignal,
): Promise<KnownVoice[]> {
  const voices: KnownVoice[] = [];
  for (const speaker of speakers ?? []) {
    let samples: Float32Array;
    try {
      const decoded = await openRequestAudio(intake, {
        url: speaker.audio_url,
        source: 'edge',
        limits: { max_audio_seconds: KNOWN_VOICE_SECONDS.max + TOLERANCE_SECONDS },
        signal,
      });
      samples = await collectBlocks(decoded);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500 || error.status === 429) throw error;
      throw error.code === 'audio_too_long'
        ? refused(speaker.name, `longer than ${KNOWN_VOICE_SECONDS.max} s`)
        : refused(speaker.name, error.message);
    }
    const seconds = samples.length / SAMPLE_RATE;
    if (seconds < KNOWN_VOICE_SECONDS.min - TOLERANCE_SECONDS) {
      throw refused(
        speaker.name,
        `${seconds.toFixed(1)} s long; it must be ${KNOWN_VOICE_SECONDS.min}-${KNOWN_VOICE_SECONDS.max} s`,
      );
    }
    voices.push({ name: speaker.name, samples });
  }
  return voices;
}
