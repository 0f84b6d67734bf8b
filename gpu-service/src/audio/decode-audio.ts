import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ApiError } from '@whisper-edge/shared';

export const SAMPLE_RATE = 16_000;

export interface DecodeOptions {
  ffmpegPath: string;
  signal?: AbortSignal;
}

function lastLines(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.slice(-2).join('; ') || 'no audio stream';
}

/**
 * Pipes an encoded byte stream through ffmpeg into 16 kHz mono float PCM, whatever the container or
 * codec. ffmpeg's own complaint becomes the 400 message so callers learn what was wrong with the file.
 */
export async function decodeAudio(
  input: ReadableStream<Uint8Array> | WebReadableStream<Uint8Array>,
  options: DecodeOptions,
): Promise<Float32Array> {
  const ffmpeg = spawn(
    options.ffmpegPath,
    [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      'pipe:0',
      '-vn',
      '-ac',
      '1',
      '-ar',
      String(SAMPLE_RATE),
    ].concat(['-f', 'f32le', '-acodec', 'pcm_f32le', 'pipe:1']),
    { stdio: ['pipe', 'pipe', 'pipe'], ...(options.signal ? { signal: options.signal } : {}) },
  );
  let stderr = '';
  ffmpeg.stderr.setEncoding('utf8');
  ffmpeg.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-4000);
  });
  const chunks: Buffer[] = [];
  let bytes = 0;
  ffmpeg.stdout.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    bytes += chunk.length;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    ffmpeg.once('error', reject);
    ffmpeg.once('close', (code) => resolve(code));
  });
  // ffmpeg may stop reading early (bad data); its stdin then breaks, which is not our error to report.
  const fed = pipeline(Readable.fromWeb(input as WebReadableStream<Uint8Array>), ffmpeg.stdin).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
    },
  );
  const [code] = await Promise.all([exited, fed]);
  if (code !== 0) {
    throw new ApiError(400, `could not decode audio: ${lastLines(stderr)}`, {
      code: 'invalid_audio',
      param: 'file',
    });
  }
  if (bytes < 4) {
    throw new ApiError(400, 'could not decode audio: the file contains no audio samples', {
      code: 'invalid_audio',
      param: 'file',
    });
  }
  const pcm = Buffer.concat(chunks, bytes);
  const samples = new Float32Array(Math.floor(bytes / 4));
  new Uint8Array(samples.buffer).set(pcm.subarray(0, samples.length * 4));
  return samples;
}
