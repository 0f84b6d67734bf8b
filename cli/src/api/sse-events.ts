import { EventSourceParserStream } from 'eventsource-parser/stream';

/** Server-sent events from a response body, each event's `data` parsed as JSON (others skipped). */
export async function* sseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<Record<string, unknown>> {
  const events = body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
  for await (const event of events) {
    try {
      const data = JSON.parse(event.data) as unknown;
      if (typeof data === 'object' && data !== null) yield data as Record<string, unknown>;
    } catch {
      // A comment or keep-alive that is not JSON carries nothing for us.
    }
  }
}
