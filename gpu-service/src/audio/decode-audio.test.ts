import { openAsBlob } from 'node:fs';
import { ApiError } from '@whisper-edge/shared';
import { describe, expect, it } from 'vitest';
import { convertSpeech, probeDuration, silentAudio, speechFlac } from '../../test/fixtures.js';
import { type DecodeOptions, decodeAudio, decodeAudioBlocks } from './decode-audio.js';
import { resolveFfmpeg } from './ffmpeg-path.js';
import { SAMPLE_RATE } from './sample-rate.js';

const ffmpegPath = resolveFfmpeg();

async function decodeFile(
  file: string,
  headers: Pick<DecodeOptions, 'onDuration' | 'onBitrate'> = {},
): Promise<Float32Array> {
  return decodeAudio((await openAsBlob(file)).stream(), { ffmpegPath, ...headers });
}

function bytesStream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
}

describe('decodeAudio', () => {
  const expected = probeDuration(speechFlac);

  for (const [name, file] of [
    ['flac', speechFlac],
    ['wav (44.1 kHz stereo)', convertSpeech('wav', ['-ar', '44100', '-ac', '2'])],
    ['mp3', convertSpeech('mp3')],
    ['ogg/opus', convertSpeech('ogg', ['-c:a', 'libopus'])],
  ] as const) {
    it(`decodes ${name} to 16 kHz mono with the clip's duration`, async () => {
      const samples = await decodeFile(file);
      expect(Math.abs(samples.length / SAMPLE_RATE - expected)).toBeLessThan(0.1);
      const peak = samples.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(peak).toBeGreaterThan(0.05);
      expect(peak).toBeLessThanOrEqual(1.0001);
    });
  }

  it("reports the duration from ffmpeg's header before the samples, for progress totals", async () => {
    const durations: number[] = [];
    const bitrates: number[] = [];
    const onDuration = (s: number) => durations.push(s);
    const onBitrate = (kbps: number) => bitrates.push(kbps);
    await decodeFile(speechFlac, { onDuration, onBitrate });
    expect(durations).toHaveLength(1);
    expect(Math.abs(durations[0]! - expected)).toBeLessThan(0.05);
    expect(bitrates).toEqual([]);
    // A WAV through a pipe names no duration, only its bitrate (44.1 kHz × 2 × 16 bit).
    await decodeFile(convertSpeech('wav', ['-ar', '44100', '-ac', '2']), { onDuration, onBitrate });
    expect(durations).toHaveLength(1);
    expect(bitrates).toEqual([1411]);
  });

  it('turns non-audio bytes into a 400 that carries ffmpeg’s reason', async () => {
    const error = await decodeAudio(
      bytesStream(new TextEncoder().encode('this is not audio at all'.repeat(50))),
      {
        ffmpegPath,
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).message).toMatch(/^could not decode audio: .+/);
    // Only ffmpeg's complaint, without its level tags or info lines.
    expect((error as ApiError).message).not.toMatch(/\[(error|info)\]|Duration:|Stream #/);
  });

  it('turns an empty body into a 400', async () => {
    const error = await decodeAudio(bytesStream(new Uint8Array(0)), { ffmpegPath }).catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).message).toMatch(/^could not decode audio/);
  });

  describe('MAX_AUDIO_SECONDS', () => {
    /** Decodes until the limit stops it; returns the error and how many seconds were yielded before it. */
    async function decodeUntilRefused(file: string, maxSeconds: number) {
      let seconds = 0;
      try {
        for await (const block of decodeAudioBlocks((await openAsBlob(file)).stream(), {
          ffmpegPath,
          maxSeconds,
        })) {
          seconds += block.length / SAMPLE_RATE;
        }
      } catch (error) {
        return { error: error as ApiError, seconds };
      }
      return { error: undefined, seconds };
    }

    it('refuses audio whose header names a duration over the limit before decoding any of it', async () => {
      const { error, seconds } = await decodeUntilRefused(silentAudio(3600), 600);
      expect(error).toBeInstanceOf(ApiError);
      expect(error?.status).toBe(413);
      expect(error?.code).toBe('audio_too_long');
      expect(error?.message).toMatch(/600-second limit \(MAX_AUDIO_SECONDS\).*header gives 3600 s/);
      // ffmpeg may have written a few blocks before its header line was read, never more than that.
      expect(seconds).toBeLessThan(60);
    });

    it('stops a decode bomb with no duration in its header once the decoded samples pass the limit', async () => {
      // An hour of silence in ~0.7 MB of FLAC written through a pipe: the header has no length.
      const { error, seconds } = await decodeUntilRefused(
        silentAudio(2 * 3600, { withDuration: false }),
        300,
      );
      expect(error?.status).toBe(413);
      expect(error?.message).toMatch(/300-second limit \(MAX_AUDIO_SECONDS\).*decoding passed 300 s/);
      expect(seconds).toBeLessThanOrEqual(300);
      expect(seconds).toBeGreaterThan(290);
    });

    it('accepts audio up to the limit', async () => {
      const { error, seconds } = await decodeUntilRefused(silentAudio(120, { withDuration: false }), 120);
      expect(error).toBeUndefined();
      expect(seconds).toBeCloseTo(120, 1);
    });
  });
});
