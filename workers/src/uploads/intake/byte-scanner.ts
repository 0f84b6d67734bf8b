/**
 * Reads a byte stream and hands out what precedes a delimiter, in chunks, without holding more than
 * one network chunk plus a delimiter's length in memory.
 */
export class ByteScanner {
  private buffer: Uint8Array = new Uint8Array(0);
  private ended = false;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.reader = stream.getReader();
  }

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const { value, done } = await this.reader.read();
    if (done) {
      this.ended = true;
      return false;
    }
    if (this.buffer.length === 0) {
      this.buffer = value;
    } else {
      const joined = new Uint8Array(this.buffer.length + value.length);
      joined.set(this.buffer);
      joined.set(value, this.buffer.length);
      this.buffer = joined;
    }
    return true;
  }

  /** Yields the bytes before `delimiter` and consumes the delimiter; throws if the stream ends first. */
  async *until(delimiter: Uint8Array): AsyncGenerator<Uint8Array> {
    for (;;) {
      const at = indexOf(this.buffer, delimiter);
      if (at >= 0) {
        if (at > 0) yield this.buffer.subarray(0, at);
        this.buffer = this.buffer.subarray(at + delimiter.length);
        return;
      }
      // Everything but a possible partial delimiter at the end is safe to hand out now.
      const safe = this.buffer.length - (delimiter.length - 1);
      if (safe > 0) {
        const chunk = this.buffer.subarray(0, safe);
        this.buffer = this.buffer.subarray(safe);
        yield chunk;
      }
      if (!(await this.fill())) throw new UnexpectedEndError();
    }
  }

  /** Reads exactly `length` bytes; throws if the stream ends first. */
  async take(length: number): Promise<Uint8Array> {
    while (this.buffer.length < length) {
      if (!(await this.fill())) throw new UnexpectedEndError();
    }
    const out = this.buffer.slice(0, length);
    this.buffer = this.buffer.subarray(length);
    return out;
  }

  async cancel(): Promise<void> {
    await this.reader.cancel().catch(() => undefined);
  }
}

export class UnexpectedEndError extends Error {
  constructor() {
    super('the body ended before the multipart message was complete');
    this.name = 'UnexpectedEndError';
  }
}

export function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0];
  if (first === undefined) return from;
  const last = haystack.length - needle.length;
  for (let i = haystack.indexOf(first, from); i !== -1 && i <= last; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}
