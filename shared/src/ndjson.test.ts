import { describe, expect, it } from 'vitest';
import { NdjsonIdleError, ndjsonLine, readNdjson } from './ndjson.js';

function body(chunks: string[], endWith: 'close' | 'hang' = 'close'): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      if (endWith === 'close') controller.close();
    },
  });
}

async function all(stream: AsyncGenerator<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const value of stream) out.push(value);
  return out;
}

describe('NDJSON framing', () => {
  it('reads back what it writes, whatever the chunking', async () => {
    const text = [{ a: 1 }, { b: 'x\ny' }, { c: [1, 2] }]
      .map((v) => new TextDecoder().decode(ndjsonLine(v)))
      .join('');
    const chunks = text.match(/.{1,3}/gs) ?? [];
    expect(await all(readNdjson(body(chunks)))).toEqual([{ a: 1 }, { b: 'x\ny' }, { c: [1, 2] }]);
  });

  it('drops a line cut off by the end of the stream and skips blank lines', async () => {
    expect(await all(readNdjson(body(['{"a":1}\n\n', '{"b":'])))).toEqual([{ a: 1 }]);
  });

  it('throws SyntaxError on a malformed line', async () => {
    await expect(all(readNdjson(body(['{"a":1}\n', 'not json\n'])))).rejects.toBeInstanceOf(SyntaxError);
  });

  it('gives up on a silent stream after idleMs', async () => {
    await expect(all(readNdjson(body(['{"a":1}\n'], 'hang'), 50))).rejects.toBeInstanceOf(NdjsonIdleError);
  });
});
