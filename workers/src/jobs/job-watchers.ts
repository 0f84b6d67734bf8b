import { sseFrame } from '../transcription/transcript-events.js';

/** The live `GET /v1/jobs/{id}/events` streams of one job: each event goes to all of them at once. */
export class JobWatchers {
  private readonly writers = new Set<WritableStreamDefaultWriter<Uint8Array>>();
  private readonly encoder = new TextEncoder();

  /** A new stream: `replay` (everything so far) first; it stays open for live events unless `ended`. */
  open(replay: unknown[], ended: boolean): Response {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    writer.write(this.encode(replay)).catch(() => undefined);
    if (ended) writer.close().catch(() => undefined);
    else this.writers.add(writer);
    return new Response(readable, {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' },
    });
  }

  broadcast(events: unknown[]): void {
    if (this.writers.size === 0 || events.length === 0) return;
    const bytes = this.encode(events);
    // A watcher that went away is dropped at its first failed write.
    for (const writer of this.writers) writer.write(bytes).catch(() => this.writers.delete(writer));
  }

  closeAll(): void {
    for (const writer of this.writers) writer.close().catch(() => undefined);
    this.writers.clear();
  }

  private encode(events: unknown[]): Uint8Array {
    return this.encoder.encode(events.map(sseFrame).join(''));
  }
}
