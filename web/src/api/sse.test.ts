import { describe, expect, it } from 'vitest';
import { sseEvents } from './sse.js';

function chunked(...parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}

async function all(body: ReadableStream<Uint8Array>) {
  const out: unknown[] = [];
  for await (const event of sseEvents(body)) out.push(event);
  return out;
}

describe('sseEvents', () => {
  it('parses frames split anywhere across chunks', async () => {
    const events = await all(chunked('data: {"type":"a"', '}\n\nda', 'ta: {"type":"b","n":2}\n', '\n'));
    expect(events).toEqual([{ type: 'a' }, { type: 'b', n: 2 }]);
  });

  it('ignores comments and other fields, joins multi-line data, accepts CRLF', async () => {
    const events = await all(chunked(': keep-alive\r\n\r\nevent: x\r\ndata: {"a":\r\ndata: 1}\r\n\r\n'));
    expect(events).toEqual([{ a: 1 }]);
  });
});
