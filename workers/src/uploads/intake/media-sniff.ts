import { fileTypeFromBuffer } from 'file-type';

/** Enough of the head of a file for every container signature file-type knows, including MPEG-TS. */
export const SNIFF_BYTES = 4100;

export interface SniffResult {
  ok: boolean;
  mime: string | undefined;
  ext: string | undefined;
}

/**
 * Decides from the bytes, not the client's Content-Type, whether a file is audio or video. Headerless
 * formats that file-type cannot recognise (raw AAC/ADTS, some MP3 without ID3) are caught by their
 * frame sync words.
 */
export async function sniffMedia(head: Uint8Array): Promise<SniffResult> {
  const type = await fileTypeFromBuffer(head);
  if (type) {
    const media =
      type.mime.startsWith('audio/') || type.mime.startsWith('video/') || type.mime === 'application/ogg';
    return { ok: media, mime: type.mime, ext: type.ext };
  }
  // An ID3 tag only prefixes MP3 (and AAC) streams.
  if (head[0] === 0x49 && head[1] === 0x44 && head[2] === 0x33)
    return { ok: true, mime: 'audio/mpeg', ext: 'mp3' };
  // MPEG audio / ADTS frame sync: 11 (MP3) or 12 (AAC) set bits.
  if (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0) {
    const adts = (head[1]! & 0xf6) === 0xf0;
    return { ok: true, mime: adts ? 'audio/aac' : 'audio/mpeg', ext: adts ? 'aac' : 'mp3' };
  }
  return { ok: false, mime: undefined, ext: undefined };
}
