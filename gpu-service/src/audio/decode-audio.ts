import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ApiError } from '@whisper-edge/shared';
import { SAMPLE_RATE } from './sample-rate.js';

/** One second of samples per block: small enough to keep memory flat, large enough to be cheap. */
const BLOCK_SAMPLES = SAMPLE_RATE;

export interface DecodeOptions {
  ffmpegPath: string;
  signal?: AbortSignal;
  /** Called once with the input's duration in seconds when ffmpeg's header names one (progress totals). */
  onDuration?: (seconds: number) => void;
  /** The header's overall bitrate when it names one but no duration (WAV and CBR MP3 through a pipe). */
  onBitrate?: (kbps: number) => void;
  /**
   * Longest input accepted, in decoded seconds. A tiny file can hold hours of audio (a decode bomb),
   * so the limit is on samples, checked as they come out of ffmpeg, and on the header's duration
   * before any of them do.
   */
  maxSeconds?: number;
}

/** Header durations are estimates for some formats (VBR MP3 without a Xing frame): refuse only clear excess. */
const HEADER_DURATION_SLACK = 1.1;

export function audioTooLong(maxSeconds: number, seen: string): ApiError {
  return new ApiError(
    413,
    `Audio is longer than the ${maxSeconds}-second limit (MAX_AUDIO_SECONDS): ${seen}. ` +
      'Split it, or run it as a job if the job limit is higher.',
    { code: 'audio_too_long', param: 'file' },
  );
}

const DURATION_LINE = /Duration: (?:(\d+):(\d\d):(\d\d(?:\.\d+)?)|N\/A).*?(?:bitrate: (\d+) kb\/s)?$/;
/** ffmpeg's `level+` tags: only problems are kept for the 400 message, info lines only give the duration. */
const PROBLEM_LINE = /^\[(?:error|fatal|panic)\] /;

type ByteStream = ReadableStream<Uint8Array> | WebReadableStream<Uint8Array>;

function lastLines(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.slice(-2).join('; ') || 'no audio stream';
}

function decodeError(reason: string): ApiError {
  return new ApiError(400, `could not decode audio: ${reason}`, { code: 'invalid_audio', param: 'file' });
}

/**
 * Pipes an encoded byte stream through ffmpeg and yields 16 kHz mono float PCM in fixed blocks, so an
 * hour of audio never sits in memory at once. Any container or codec ffmpeg reads works; ffmpeg's own
 * complaint becomes the 400 message, so callers learn what was wrong with the file.
 */
export async function* decodeAudioBlocks(
  input: ByteStream,
  options: DecodeOptions,
): AsyncGenerator<Float32Array> {
  const ffmpeg = spawn(
    options.ffmpegPath,
    [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'level+info',
      '-nostats',
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
  let pending = '';
  let durationSeen = false;
  const maxSeconds = options.maxSeconds ?? Number.POSITIVE_INFINITY;
  let refused: ApiError | undefined;
  const refuse = (error: ApiError) => {
    refused ??= error;
    if (ffmpeg.exitCode === null) ffmpeg.kill('SIGKILL');
  };
  ffmpeg.stderr.on('data', (text: string) => {
    const lines = (pending + text).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!durationSeen) {
        const match = DURATION_LINE.exec(line);
        if (match) {
          durationSeen = true;
          if (match[1] !== undefined) {
            const seconds = Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
            if (seconds > maxSeconds * HEADER_DURATION_SLACK) {
              refuse(audioTooLong(maxSeconds, `its header gives ${Math.round(seconds)} s`));
            }
            options.onDuration?.(seconds);
          } else if (match[4] !== undefined) options.onBitrate?.(Number(match[4]));
        }
      }
      if (PROBLEM_LINE.test(line)) stderr = `${stderr}${line.replace(PROBLEM_LINE, '')}\n`.slice(-4000);
    }
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    ffmpeg.once('error', reject);
    ffmpeg.once('close', (code) => resolve(code));
  });
  exited.catch(() => undefined);
  // ffmpeg may stop reading early (bad data); its stdin then breaks, which is not our error to report.
  const fed = pipeline(Readable.fromWeb(input as WebReadableStream<Uint8Array>), ffmpeg.stdin).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
    },
  );
  fed.catch(() => undefined);

  let block = new Float32Array(BLOCK_SAMPLES);
  let filled = 0;
  let total = 0;
  let carry: Buffer | undefined;
  const maxSamples = maxSeconds * SAMPLE_RATE;
  try {
    for await (const chunk of ffmpeg.stdout as AsyncIterable<Buffer>) {
      if (refused) throw refused;
      const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
      const whole = bytes.length - (bytes.length % 4);
      carry = whole < bytes.length ? Buffer.from(bytes.subarray(whole)) : undefined;
      // Byte copies into the block's memory: f32le is the platform's own float layout on x86 and ARM.
      for (let offset = 0; offset < whole; ) {
        const n = Math.min((whole - offset) / 4, BLOCK_SAMPLES - filled);
        new Uint8Array(block.buffer, filled * 4, n * 4).set(bytes.subarray(offset, offset + n * 4));
        filled += n;
        offset += n * 4;
        if (filled === BLOCK_SAMPLES) {
          total += filled;
          if (total > maxSamples) {
            refuse(audioTooLong(maxSeconds, `decoding passed ${maxSeconds} s`));
            throw refused;
          }
          yield block;
          block = new Float32Array(BLOCK_SAMPLES);
          filled = 0;
        }
      }
    }
    const [code] = await Promise.all([exited, fed]);
    if (refused) throw refused;
    if (code !== 0)
      throw decodeError(
        lastLines(PROBLEM_LINE.test(pending) ? `${stderr}${pending.replace(PROBLEM_LINE, '')}` : stderr),
      );
    total += filled;
    if (total > maxSamples)
      throw audioTooLong(maxSeconds, `it decodes to ${Math.round(total / SAMPLE_RATE)} s`);
    if (total === 0) throw decodeError('the file contains no audio samples');
    if (filled > 0) yield block.subarray(0, filled);
  } finally {
    if (ffmpeg.exitCode === null) ffmpeg.kill('SIGKILL');
  }
}

/** The whole decoded signal in one array: for short inputs and tests. */
export async function decodeAudio(input: ByteStream, options: DecodeOptions): Promise<Float32Array> {
  return collectBlocks(decodeAudioBlocks(input, options));
}

/** A short input's blocks as one signal. */
export async function collectBlocks(blocks: AsyncIterable<Float32Array>): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  let length = 0;
  for await (const block of blocks) {
    parts.push(block);
    length += block.length;
  }
  const out = new Float32Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
