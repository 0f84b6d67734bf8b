import { ApiError } from '@whisper-edge/shared';
import { describe, expect, it } from 'vitest';
import { boundaryOf, parseMultipart, readText } from './multipart-stream.js';

/** Re-chunks a body into pieces of `size` bytes so delimiters straddle chunk edges. */
function rechunk(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

async function encodeForm(form: FormData): Promise<{ bytes: Uint8Array; boundary: string }> {
  const request = new Request('http://x/', { method: 'POST', body: form });
  const boundary = boundaryOf(request.headers.get('content-type'))!;
  return { bytes: new Uint8Array(await request.arrayBuffer()), boundary };
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk.slice());
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

describe('parseMultipart', () => {
  // Binary content that contains CRLFs, dashes and a near-copy of the delimiter.
  const binary = new Uint8Array(70_000).map((_, i) => (i * 131 + (i >> 7)) % 256);
  binary.set(new TextEncoder().encode('\r\n--\r\n----WebKitFormBoundary\r\n'), 1000);

  for (const chunkSize of [1, 7, 4096, 1 << 20]) {
    it(`splits fields and a binary file exactly, in chunks of ${chunkSize} bytes`, async () => {
      const form = new FormData();
      form.append('model', 'whisper-1');
      form.append('file', new File([binary], 'speech.flac', { type: 'audio/flac' }));
      form.append('response_format', 'text');
      const { bytes, boundary } = await encodeForm(form);

      const seen: Array<{
        name: string;
        filename?: string | undefined;
        type?: string | undefined;
        data: Uint8Array;
      }> = [];
      for await (const part of parseMultipart(rechunk(bytes, chunkSize), boundary)) {
        seen.push({
          name: part.name,
          filename: part.filename,
          type: part.contentType,
          data: await collect(part.body),
        });
      }
      expect(seen.map((p) => [p.name, p.filename, p.type])).toEqual([
        ['model', undefined, undefined],
        ['file', 'speech.flac', 'audio/flac'],
        ['response_format', undefined, undefined],
      ]);
      expect(new TextDecoder().decode(seen[0]!.data)).toBe('whisper-1');
      expect(seen[1]!.data).toEqual(binary);
      expect(new TextDecoder().decode(seen[2]!.data)).toBe('text');
    });
  }

  it('skips a part the consumer does not read, even if it stops early', async () => {
    const form = new FormData();
    form.append('file', new File([binary], 'a.wav'));
    form.append('language', 'en');
    const { bytes, boundary } = await encodeForm(form);
    const fields: Record<string, string> = {};
    for await (const part of parseMultipart(rechunk(bytes, 1000), boundary)) {
      if (part.filename) {
        for await (const _ of part.body) break;
      } else {
        fields[part.name] = await readText(part.body);
      }
    }
    expect(fields).toEqual({ language: 'en' });
  });

  it('falls back to the plain filename when filename* has a malformed escape', async () => {
    const boundary = 'b0undary';
    const body = new TextEncoder().encode(
      [
        `--${boundary}`,
        `Content-Disposition: form-data; name="file"; filename="plain.flac"; filename*=UTF-8''bad%E0%A4%A.flac`,
        '',
        'audio',
        `--${boundary}`,
        `Content-Disposition: form-data; name="other"; filename*=UTF-8''%ZZ`,
        '',
        'x',
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
    const names: (string | undefined)[] = [];
    for await (const part of parseMultipart(rechunk(body, 16), boundary)) {
      names.push(part.filename);
      await collect(part.body);
    }
    expect(names).toEqual(['plain.flac', undefined]);
  });

  it('rejects a truncated body with a 400', async () => {
    const form = new FormData();
    form.append('file', new File([binary], 'a.wav'));
    const { bytes, boundary } = await encodeForm(form);
    const parts = parseMultipart(rechunk(bytes.slice(0, 5000), 512), boundary);
    const error = await (async () => {
      for await (const part of parts) await collect(part.body);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
  });

  it('reads the boundary from the content type, quoted or not', () => {
    expect(boundaryOf('multipart/form-data; boundary=abc')).toBe('abc');
    expect(boundaryOf('multipart/form-data; boundary="a b"; charset=utf-8')).toBe('a b');
    expect(boundaryOf('application/json')).toBeUndefined();
  });
});
