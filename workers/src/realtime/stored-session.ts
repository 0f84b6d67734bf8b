import type { RealtimeStoredOutput } from '@whisper-edge/shared';
import type { CompletedItem } from './session-items.js';

/** R2 multipart parts: all but the last the same size, at least 5 MiB. */
const PART_BYTES = 5 * 1024 * 1024;
const HEADER_BYTES = 44;

function wavHeader(dataBytes: number): Uint8Array {
  const header = new Uint8Array(HEADER_BYTES);
  const view = new DataView(header.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) header[at + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, 16_000, true);
  view.setUint32(28, 32_000, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  return header;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/**
 * The session's audio (16 kHz PCM16, as the GPU service heard it) written to R2 as a WAV while it
 * arrives: 5 MiB parts go up as they fill, except the first, held back until the end so its header
 * can state the length (parts may be uploaded in any order). Memory: at most two parts.
 */
export class WavRecorder {
  private first: Uint8Array[] = [];
  private firstBytes = 0;
  private current: Uint8Array[] = [];
  private currentBytes = 0;
  private dataBytes = 0;
  private upload: Promise<R2MultipartUpload> | null = null;
  private parts: Promise<R2UploadedPart>[] = [];

  constructor(
    private readonly bucket: R2Bucket,
    readonly key: string,
  ) {}

  append(pcm16: Uint8Array): void {
    this.dataBytes += pcm16.byteLength;
    let rest = pcm16;
    // The first part is the header and the first audio, PART_BYTES in all.
    const firstRoom = PART_BYTES - HEADER_BYTES - this.firstBytes;
    if (firstRoom > 0) {
      const take = rest.subarray(0, firstRoom);
      this.first.push(take);
      this.firstBytes += take.byteLength;
      rest = rest.subarray(take.byteLength);
    }
    while (rest.byteLength > 0) {
      const take = rest.subarray(0, PART_BYTES - this.currentBytes);
      this.current.push(take);
      this.currentBytes += take.byteLength;
      rest = rest.subarray(take.byteLength);
      if (this.currentBytes === PART_BYTES) this.flushPart();
    }
  }

  private flushPart(): void {
    const bytes = concat(this.current, this.currentBytes);
    this.current = [];
    this.currentBytes = 0;
    const number = this.parts.length + 2;
    this.upload ??= this.bucket.createMultipartUpload(this.key, {
      httpMetadata: { contentType: 'audio/wav' },
    });
    const part = this.upload.then((u) => u.uploadPart(number, bytes));
    // Awaited in finish(); until then a failure must not surface as an unhandled rejection.
    part.catch(() => undefined);
    this.parts.push(part);
  }

  /** Writes what is left and completes the object; returns its size. */
  async finish(): Promise<number> {
    const header = wavHeader(this.dataBytes);
    const first = concat([header, ...this.first], HEADER_BYTES + this.firstBytes);
    if (this.parts.length === 0 && this.currentBytes === 0) {
      await this.bucket.put(this.key, first, { httpMetadata: { contentType: 'audio/wav' } });
      return first.byteLength;
    }
    if (this.currentBytes > 0) this.flushPart();
    const upload = await this.upload!;
    const parts = [await upload.uploadPart(1, first), ...(await Promise.all(this.parts))];
    await upload.complete(parts);
    return HEADER_BYTES + this.dataBytes;
  }

  /** Abandons a partial upload (the session failed before it could be completed). */
  async abort(): Promise<void> {
    await this.upload?.then((u) => u.abort()).catch(() => undefined);
  }
}

/** The session's transcript in verbose_json's shape: one segment per completed item. */
export function sessionTranscript(items: CompletedItem[], durationSeconds: number, sessionId: string) {
  const segments = items.map((item, id) => ({
    id,
    start: item.start,
    end: item.end,
    text: item.transcript,
    item_id: item.id,
  }));
  return {
    task: 'transcribe',
    language: items[0]?.language ?? 'en',
    duration: Math.round(durationSeconds * 1000) / 1000,
    text: items
      .map((i) => i.transcript)
      .filter(Boolean)
      .join(' '),
    segments,
    session_id: sessionId,
  };
}

export function storedOutputOf(
  bucketName: string,
  audio: { key: string; bytes: number },
  transcriptKey: string,
): RealtimeStoredOutput {
  return {
    audio: {
      key: audio.key,
      storage_url: `s3://${bucketName}/${audio.key}`,
      content_type: 'audio/wav',
      bytes: audio.bytes,
    },
    transcript: {
      key: transcriptKey,
      storage_url: `s3://${bucketName}/${transcriptKey}`,
      content_type: 'application/json',
    },
  };
}
