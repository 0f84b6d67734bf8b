/** Newline-delimited JSON, the framing of the GPU service's streamed answers: written and read only here. */
export const NDJSON_TYPE = 'application/x-ndjson';

const encoder = new TextEncoder();

export function ndjsonLine(value: unknown): Uint8Array {
  return encoder.encode(`${JSON.stringify(value)}\n`);
}

/** No line (not even a heartbeat) arrived for the allowed time. */
export class NdjsonIdleError extends Error {}

/**
 * Yields each complete line of `body`, parsed (a malformed line throws SyntaxError). A line cut off by
 * the end of the stream is not a frame and is dropped: the caller sees the stream end without its
 * final event. With `idleMs`, a silence that long throws NdjsonIdleError.
 */
export async function* readNdjson(
  body: ReadableStream<Uint8Array>,
  idleMs?: number,
): AsyncGenerator<unknown> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  try {
    for (;;) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const chunk = await (idleMs === undefined
        ? reader.read()
        : Promise.race([
            reader.read(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new NdjsonIdleError(`no word for ${idleMs / 1000} s`)), idleMs);
            }),
          ]).finally(() => clearTimeout(timer)));
      if (chunk.done) return;
      buffered += chunk.value;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) yield JSON.parse(line);
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}
