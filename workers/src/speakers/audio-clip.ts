import { ApiError } from '@whisper-edge/shared';
import { SNIFF_BYTES, sniffMedia } from '../uploads/intake/media-sniff.js';

/** A reference voice clip as stored: bytes ffmpeg will decode, and their media type. */
export interface AudioClip {
  bytes: Uint8Array;
  contentType: string;
}

/** 2 MiB holds 10 s of any reasonable recording (16-bit stereo 48 kHz WAV is 1.9 MB). */
export const MAX_CLIP_BYTES = 2 * 1024 * 1024;

const DATA_URL = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)?((?:;[a-z0-9-]+=[^;,]*)*);base64,([a-z0-9+/=\s]*)$/i;

function invalid(param: string, why: string, status = 400): ApiError {
  return new ApiError(status, `Invalid '${param}': ${why}`, {
    param,
    code: 'invalid_known_speaker_reference',
  });
}

/** Checks a clip's size and that its bytes are audio or video, whatever type it claims. */
export async function checkClip(
  bytes: Uint8Array,
  declared: string | undefined,
  param: string,
): Promise<AudioClip> {
  if (bytes.length === 0) throw invalid(param, 'the clip is empty');
  if (bytes.length > MAX_CLIP_BYTES) throw invalid(param, 'the clip is larger than 2 MiB', 413);
  const sniffed = await sniffMedia(bytes.subarray(0, SNIFF_BYTES));
  if (!sniffed.ok) {
    throw new ApiError(415, `Invalid '${param}': not audio${sniffed.mime ? ` (${sniffed.mime})` : ''}`, {
      param,
      code: 'unsupported_media_type',
    });
  }
  return { bytes, contentType: sniffed.mime ?? declared ?? 'application/octet-stream' };
}

/** `data:audio/wav;base64,…`, as OpenAI's `known_speaker_references[]` takes clips. */
export async function clipFromDataUrl(value: string, param: string): Promise<AudioClip> {
  const match = DATA_URL.exec(value.trim());
  if (!match) throw invalid(param, 'expected a base64 data URL (data:audio/wav;base64,…)');
  let binary: string;
  try {
    binary = atob(match[3]!.replace(/\s+/g, ''));
  } catch {
    throw invalid(param, 'the data URL is not valid base64');
  }
  const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  return checkClip(bytes, match[1]?.toLowerCase(), param);
}
