import { describe, expect, it } from 'vitest';
import { readCapped } from './read-capped.js';

class TooLarge extends Error {}

function chunked(chunks: string[], pulled: { count: number }): Request {
  const encoder = new TextEncoder();
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled.count++;
      if (i < chunks.length) controller.enqueue(encoder.encode(chunks[i++]));
      else controller.close();
    },
  });
  return new Request('http://x/', { method: 'POST', body, duplex: 'half' } as RequestInit);
}

describe('readCapped', () => {
  it('returns a body within the limit whole', async () => {
    const bytes = await readCapped(chunked(['ab', 'cd'], { count: 0 }), 4, () => new TooLarge());
    expect(new TextDecoder().decode(bytes)).toBe('abcd');
  });

  it('stops reading a chunked body the moment it passes the limit', async () => {
    const pulled = { count: 0 };
    const chunks = Array.from({ length: 1000 }, () => 'x'.repeat(100));
    await expect(readCapped(chunked(chunks, pulled), 250, () => new TooLarge())).rejects.toBeInstanceOf(
      TooLarge,
    );
    expect(pulled.count).toBeLessThan(10);
  });

  it('refuses a declared length over the limit without reading', async () => {
    const pulled = { count: 0 };
    const request = new Request('http://x/', {
      method: 'POST',
      body: chunked(['x'], pulled).body,
      headers: { 'content-length': '5000' },
      duplex: 'half',
    } as RequestInit);
    await expect(readCapped(request, 100, () => new TooLarge())).rejects.toBeInstanceOf(TooLarge);
    expect(pulled.count).toBeLessThanOrEqual(1);
  });
});
