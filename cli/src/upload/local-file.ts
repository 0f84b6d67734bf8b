import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { usageError } from '../errors/cli-error.js';

export interface LocalFile {
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
  contentType: string;
}

/** The Worker decides by the bytes; the type only labels the upload (and the stored object). */
const TYPES: Record<string, string> = {
  '.aac': 'audio/aac',
  '.aiff': 'audio/aiff',
  '.flac': 'audio/flac',
  '.m4a': 'audio/mp4',
  '.mka': 'audio/x-matroska',
  '.mkv': 'video/x-matroska',
  '.mov': 'video/quicktime',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4',
  '.mpeg': 'audio/mpeg',
  '.mpga': 'audio/mpeg',
  '.oga': 'audio/ogg',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/opus',
  '.wav': 'audio/wav',
  '.weba': 'audio/webm',
  '.webm': 'video/webm',
};

export function localFile(file: string): LocalFile {
  const absolute = path.resolve(file);
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(absolute);
  } catch {
    throw usageError(`no such file: ${file}`);
  }
  if (!stat.isFile()) throw usageError(`not a file: ${file}`);
  if (stat.size === 0) throw usageError(`the file is empty: ${file}`);
  return {
    path: absolute,
    name: path.basename(absolute),
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    contentType: TYPES[path.extname(absolute).toLowerCase()] ?? 'application/octet-stream',
  };
}

/** Bytes `start`..`end` (exclusive) of the file as a web stream, reporting each chunk as it is read. */
export function fileRange(
  file: LocalFile,
  start: number,
  end: number,
  onBytes: (n: number) => void,
): ReadableStream<Uint8Array> {
  const stream = createReadStream(file.path, { start, end: end - 1, highWaterMark: 256 * 1024 });
  stream.on('data', (chunk) => onBytes(chunk.length));
  return Readable.toWeb(stream) as ReadableStream<Uint8Array>;
}
