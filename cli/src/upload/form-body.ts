import { randomBytes } from 'node:crypto';
import { fileRange, type LocalFile } from './local-file.js';

export interface FormBody {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  /** Exact length, so the Worker sees a Content-Length and not a chunked body. */
  length: number;
}

/** A name inside a quoted header parameter, escaped as browsers do (HTML's form encoding). */
const quoted = (value: string) => value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/**
 * multipart/form-data with the fields first and the file last, streamed from disk: the file is never
 * held in memory, and `onBytes` counts the file's bytes as they leave.
 */
export function formBody(
  fields: Array<[string, string]>,
  file: LocalFile,
  onBytes: (n: number) => void,
): FormBody {
  const boundary = `----whisper-edge-${randomBytes(12).toString('hex')}`;
  const encoder = new TextEncoder();
  const head = encoder.encode(
    [
      ...fields.map(
        ([name, value]) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value}\r\n`,
      ),
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoted(file.name)}"\r\n` +
        `Content-Type: ${file.contentType}\r\n\r\n`,
    ].join(''),
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const content = fileRange(file, 0, file.size, onBytes).getReader();
  let tailSent = false;
  // One chunk per pull: the file is read only as fast as the network takes it.
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(head);
    },
    async pull(controller) {
      const { value, done } = await content.read();
      if (!done) return controller.enqueue(value);
      if (!tailSent) controller.enqueue(tail);
      tailSent = true;
      controller.close();
    },
    cancel(reason) {
      return content.cancel(reason);
    },
  });
  return {
    body,
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.length + file.size + tail.length,
  };
}
