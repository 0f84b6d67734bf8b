import type { AudioSource, WorkLimits } from '@whisper-edge/shared';
import { type DecodeOptions, decodeAudioBlocks } from './decode-audio.js';
import type { PaceLimits } from './download-pace.js';
import { type OpenAudioOptions, openAudioStream } from './fetch-audio.js';

/** The service's own limits on any request's audio, from its config. */
export interface AudioIntake {
  ffmpegPath: () => string;
  maxBytes: number;
  /** Cap on decoded seconds; a request may ask for less (`limits.max_audio_seconds`), never more. */
  maxSeconds: number;
  pace: PaceLimits;
  /** Local development and tests only: caller URLs may reach loopback/private hosts. */
  allowPrivateExternal: boolean;
}

export interface RequestAudio {
  url: string;
  source: AudioSource;
  limits?: WorkLimits | undefined;
  signal: AbortSignal;
  onBytes?: OpenAudioOptions['onBytes'];
  onDuration?: DecodeOptions['onDuration'];
  onBitrate?: DecodeOptions['onBitrate'];
}

/** Download → ffmpeg as one stream of 16 kHz PCM blocks, under the byte, duration and pace limits. */
export async function openRequestAudio(
  intake: AudioIntake,
  request: RequestAudio,
): Promise<AsyncGenerator<Float32Array>> {
  const stream = await openAudioStream(request.url, {
    maxBytes: intake.maxBytes,
    signal: request.signal,
    source: request.source,
    allowPrivateExternal: intake.allowPrivateExternal,
    pace: intake.pace,
    ...(request.onBytes ? { onBytes: request.onBytes } : {}),
  });
  return decodeAudioBlocks(stream, {
    ffmpegPath: intake.ffmpegPath(),
    signal: request.signal,
    maxSeconds: Math.min(intake.maxSeconds, request.limits?.max_audio_seconds ?? Number.POSITIVE_INFINITY),
    ...(request.onDuration ? { onDuration: request.onDuration } : {}),
    ...(request.onBitrate ? { onBitrate: request.onBitrate } : {}),
  });
}
