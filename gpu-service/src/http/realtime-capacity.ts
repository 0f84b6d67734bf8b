import { ApiError } from '@whisper-edge/shared';

interface Closable {
  close(code?: number, reason?: string): void;
}

/**
 * Live sessions hold the service for as long as they last, so they do not take admission slots (batch
 * work would wait behind an hour-long session); they have a cap of their own. Draining closes them
 * with 1012 (service restart): the edge reconnects elsewhere and replays the open utterance.
 */
export class RealtimeCapacity {
  private readonly sockets = new Set<Closable>();
  private reserved = 0;
  private draining = false;

  constructor(readonly max: number) {}

  get sessions(): number {
    return this.sockets.size + this.reserved;
  }

  /** Takes a place for a session about to open, or refuses (429 full, 503 draining). */
  reserve(): () => void {
    if (this.draining) {
      throw new ApiError(503, 'The GPU service is shutting down; retry on another instance', {
        code: 'shutting_down',
      }).withRetryAfter(5);
    }
    if (this.sessions >= this.max) {
      throw new ApiError(
        429,
        `The GPU service already holds ${this.max} live sessions (MAX_REALTIME_SESSIONS)`,
        {
          code: 'overloaded',
        },
      ).withRetryAfter(5);
    }
    this.reserved++;
    let done = false;
    return () => {
      if (!done) this.reserved--;
      done = true;
    };
  }

  add(socket: Closable): void {
    this.sockets.add(socket);
  }

  remove(socket: Closable): void {
    this.sockets.delete(socket);
  }

  drain(): void {
    this.draining = true;
    for (const socket of this.sockets) socket.close(1012, 'GPU service restarting');
  }
}
