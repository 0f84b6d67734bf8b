import { ApiError } from '@whisper-edge/shared';
import { ByteScanner, UnexpectedEndError } from './byte-scanner.js';

export interface MultipartPart {
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
  /** The part's bytes as they arrive. Read it before asking for the next part, or it is skipped. */
  body: AsyncIterable<Uint8Array>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = '\r\n';

export function boundaryOf(contentType: string | undefined | null): string | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return (match?.[1] ?? match?.[2])?.trim();
}

/** RFC 5987's `charset'lang'value`; a malformed escape falls back to the plain `filename`. */
function decodeExtValue(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/^[\w-]+'[^']*'/, ''));
  } catch {
    return undefined;
  }
}

function parseDisposition(value: string): { name?: string; filename?: string } {
  const params: Record<string, string> = {};
  for (const match of value.matchAll(/;\s*([\w*]+)=(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g)) {
    const key = match[1]!.toLowerCase();
    params[key] = (match[2] ?? match[3] ?? '').replace(/\\(.)/g, '$1');
  }
  const star = params['filename*'];
  const filename = (star && decodeExtValue(star)) || params.filename;
  return { ...(params.name !== undefined ? { name: params.name } : {}), ...(filename ? { filename } : {}) };
}

async function readHeaders(scanner: ByteScanner): Promise<Record<string, string>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of scanner.until(encoder.encode(CRLF + CRLF))) {
    size += chunk.length;
    if (size > MAX_HEADER_BYTES) throw new ApiError(400, 'Multipart part headers are too large');
    chunks.push(chunk.slice());
  }
  const headers: Record<string, string> = {};
  for (const line of chunks
    .map((c) => decoder.decode(c, { stream: true }))
    .join('')
    .split(CRLF)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * Streams the parts of a multipart/form-data body one at a time, so a file part can be piped to
 * storage without the whole request ever being in memory (Workers have 128 MB; uploads are bigger).
 */
export async function* parseMultipart(
  body: ReadableStream<Uint8Array>,
  boundary: string,
): AsyncGenerator<MultipartPart> {
  const scanner = new ByteScanner(body);
  const delimiter = encoder.encode(`${CRLF}--${boundary}`);
  try {
    // The first boundary has no leading CRLF; anything before it is preamble.
    for await (const _ of scanner.until(encoder.encode(`--${boundary}`))) {
      // preamble is ignored
    }
    for (;;) {
      const marker = decoder.decode(await scanner.take(2));
      if (marker === '--') return;
      if (marker !== CRLF) throw new ApiError(400, 'Malformed multipart body');
      const headers = await readHeaders(scanner);
      const { name, filename } = parseDisposition(headers['content-disposition'] ?? '');
      if (name === undefined) throw new ApiError(400, 'Multipart part without a field name');
      const content = scanner.until(delimiter);
      yield { name, filename, contentType: headers['content-type'], body: unclosable(content) };
      // Skip whatever the consumer left unread so the next part starts at its boundary.
      for await (const _ of content) {
        // drained
      }
    }
  } catch (error) {
    await scanner.cancel();
    throw asApiError(error);
  }
}

function asApiError(error: unknown): unknown {
  return error instanceof UnexpectedEndError
    ? new ApiError(400, `Malformed multipart body: ${error.message}`)
    : error;
}

// A consumer that stops early must not close the underlying reader: the rest of the part is still
// between us and the next boundary and gets drained by the parser.
function unclosable(source: AsyncGenerator<Uint8Array>): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => source.next().catch((error: unknown) => Promise.reject(asApiError(error))),
      return: async () => ({ done: true, value: undefined }),
    }),
  };
}

export async function readText(body: AsyncIterable<Uint8Array>, limit = 64 * 1024): Promise<string> {
  const textDecoder = new TextDecoder();
  let text = '';
  for await (const chunk of body) {
    text += textDecoder.decode(chunk, { stream: true });
    if (text.length > limit) throw new ApiError(400, 'A form field is too long');
  }
  return text + textDecoder.decode();
}
