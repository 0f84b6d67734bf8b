import { ApiError } from '@whisper-edge/shared';

export interface AdmissionOptions {
  maxConcurrent: number;
  maxQueue: number;
}

/**
 * Caps concurrent work and queues a bounded number of waiters; beyond that, callers get 429 with a
 * Retry-After drawn from how long recent work took. Draining (shutdown) refuses new work with 503.
 */
export class Admission {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private draining = false;
  private recentSeconds = 5;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(private readonly options: AdmissionOptions) {}

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  private retryAfterSeconds(): number {
    const ahead = this.waiting.length + this.running;
    return Math.max(1, Math.ceil((this.recentSeconds * ahead) / this.options.maxConcurrent));
  }

  get capacity(): { maxConcurrent: number; maxQueue: number } {
    return { maxConcurrent: this.options.maxConcurrent, maxQueue: this.options.maxQueue };
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.enter();
    try {
      return await work();
    } finally {
      release();
    }
  }

  /**
   * Waits for a slot (or refuses at once with 429/503) and returns the function that gives it back:
   * for work that outlives the call that admitted it, such as a streamed response.
   */
  async enter(): Promise<() => void> {
    if (this.draining) {
      throw new ApiError(503, 'The GPU service is shutting down; retry on another instance', {
        code: 'shutting_down',
      }).withRetryAfter(5);
    }
    if (this.running >= this.options.maxConcurrent) {
      if (this.waiting.length >= this.options.maxQueue) {
        throw new ApiError(429, 'The GPU service is at capacity; retry later', {
          code: 'overloaded',
        }).withRetryAfter(this.retryAfterSeconds());
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    const started = performance.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // A moving average keeps Retry-After honest as load changes.
      this.recentSeconds = 0.8 * this.recentSeconds + 0.2 * ((performance.now() - started) / 1000);
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
      if (this.running === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    };
  }

  /** Refuses new work and resolves once everything admitted (running and queued) has finished. */
  drain(): Promise<void> {
    this.draining = true;
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
